public import Domain
import Foundation

/// Plans in cluster time: what a plan costs on G GPUs through a ``ThroughputModel``, and the
/// plan a GPU-hour budget buys.
public enum ClusterBudget {
    /// Steps × seconds per step on `gpus` GPUs, in wall-clock hours, GPU-hours and dollars.
    public static func cost(
        of plan: Plan, throughput: ThroughputModel, gpus: Int, responseTokens: Double? = nil,
        usdPerGPUHour: Double? = nil
    ) -> PlanCost {
        let batch = Double(plan.batch)
        let seconds = throughput.stepSeconds(rollouts: batch, gpus: gpus, responseTokens: responseTokens)
        let response = throughput.origin == .measured ? responseTokens ?? throughput.responseTokens : 0
        let generation =
            throughput.origin == .measured
            ? batch * throughput.generationGPUSecondsPerToken * response / Double(gpus) : seconds
        let wall = Double(plan.steps) * seconds / 3600
        return PlanCost(
            gpus: gpus, rollouts: batch * Double(plan.steps), responseTokens: response, secondsPerStep: seconds,
            generationSecondsPerStep: generation, wallClockHours: wall, gpuHours: wall * Double(gpus),
            usdPerGPUHour: usdPerGPUHour,
            epochs: plan.problems.map { (plan.steps * plan.problemsPerBatch + $0 - 1) / $0 }, throughput: throughput)
    }

    /// The plan of the largest rollout budget whose cost stays within `gpuHours` on `gpus` GPUs:
    /// bisection in log rollouts over `planning` (which plans a rollout budget), from the bound
    /// without overhead, `C ≤ H·3600/(GPU-seconds per rollout)`, down.
    public static func plan(
        gpuHours: Double, gpus: Int, throughput: ThroughputModel, responseTokens: Double? = nil,
        planning: (Double) throws(DomainError) -> Plan
    ) throws(DomainError) -> Plan {
        let perRollout = throughput.gpuSecondsPerRollout(responseTokens: responseTokens)
        guard gpuHours > 0, gpuHours.isFinite, perRollout > 0, perRollout.isFinite, gpus >= 1 else {
            throw .invalid(
                field: "budget", value: String(gpuHours),
                reason: "needs positive GPU-hours, GPUs and a throughput with a positive cost per rollout")
        }
        let ceiling = gpuHours * 3600 / perRollout
        func hours(_ plan: Plan) -> Double {
            cost(of: plan, throughput: throughput, gpus: gpus, responseTokens: responseTokens).gpuHours
        }
        var best: Plan?
        var (low, high) = (log(ceiling) - log(1e6), log(ceiling))
        if let top = try? planning(ceiling), hours(top) <= gpuHours { return top }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if let plan = try? planning(exp(middle)), hours(plan) <= gpuHours {
                best = plan
                low = middle
            } else {
                high = middle
            }
        }
        guard let best else {
            _ = try planning(ceiling)  // the planner's own reason, when it has one
            throw .invalid(
                field: "budget", value: String(gpuHours),
                reason: "\(gpuHours) GPU-hours on \(gpus) GPUs buy no step of the plan")
        }
        return best
    }
}
