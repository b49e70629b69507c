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
        let wall = Double(plan.steps) * seconds / 3600
        return PlanCost(
            gpus: gpus, rollouts: batch * Double(plan.steps),
            responseTokens: throughput.costedResponseTokens(responseTokens) ?? 0, secondsPerStep: seconds,
            generationSecondsPerStep: throughput.generationSeconds(
                rollouts: batch, gpus: gpus, responseTokens: responseTokens), wallClockHours: wall,
            gpuHours: wall * Double(gpus),
            usdPerGPUHour: usdPerGPUHour,
            epochs: plan.problems.map { (plan.steps * plan.problemsPerBatch + $0 - 1) / $0 }, throughput: throughput)
    }

    /// The rollouts `gpuHours` buy without any per-step overhead, `H·3600/(GPU-seconds per
    /// rollout)`: an upper bound of every plan within the budget.
    public static func rolloutCeiling(gpuHours: Double, throughput: ThroughputModel, responseTokens: Double? = nil)
        -> Double
    {
        gpuHours * 3600 / throughput.gpuSecondsPerRollout(responseTokens: responseTokens)
    }

    /// A plan of the largest rollout budget found whose cost stays within `gpuHours` on `gpus`
    /// GPUs: bisection in log rollouts over `planning` (which plans a rollout budget) below the
    /// ``rolloutCeiling(gpuHours:throughput:responseTokens:)`` (n and B_p move with the budget,
    /// so the cost is not strictly monotone: the bisection's answer is within the budget, near
    /// its largest).
    public static func plan(
        gpuHours: Double, gpus: Int, throughput: ThroughputModel, responseTokens: Double? = nil,
        planning: (Double) throws(DomainError) -> Plan
    ) throws(DomainError) -> Plan {
        let ceiling = rolloutCeiling(gpuHours: gpuHours, throughput: throughput, responseTokens: responseTokens)
        guard gpuHours > 0, gpuHours.isFinite, ceiling > 0, ceiling.isFinite, gpus >= 1 else {
            throw .invalid(
                field: "budget", value: String(gpuHours),
                reason: "needs positive GPU-hours, GPUs and a throughput with a positive cost per rollout")
        }
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
            throw .invalid(
                field: "budget", value: "\(gpuHours) GPU-hours",
                reason:
                    "buys at most \(String(format: "%.4g", ceiling)) rollouts on \(gpus) GPUs: not one step of the plan"
            )
        }
        return best
    }

    /// Adds the cost of exported settings to their notes when the plan has a cost: the settings'
    /// own (n, B_p, M) on their GPUs, and by how much they exceed a cluster-time budget.
    public static func annotate(_ settings: inout FrameworkSettings, plan: Plan) {
        guard let planCost = plan.cost else { return }
        var exported = plan
        exported.rolloutsPerProblem = settings.setting.rolloutsPerProblem
        exported.problemsPerBatch = settings.setting.problemsPerBatch
        exported.steps = settings.steps
        let cost = self.cost(
            of: exported, throughput: planCost.throughput, gpus: settings.shape.gpus,
            responseTokens: planCost.responseTokens, usdPerGPUHour: planCost.usdPerGPUHour)
        let usd = cost.usd.map { String(format: ", $%.4g", $0) } ?? ""
        settings.notes.append(
            "cost of these settings on \(settings.shape.gpus) GPUs: \(settings.steps) steps × "
                + String(
                    format: "%.4g s = %.4g h wall clock, %.4g GPU-hours", cost.secondsPerStep, cost.wallClockHours,
                    cost.gpuHours)
                + usd)
        let spent = plan.unit == .usd ? cost.usd : (plan.unit == .gpuHours ? cost.gpuHours : nil)
        if let spent, spent > plan.budget * (1 + 1e-9) {
            settings.notes.append(
                String(
                    format: "over the budget of %.4g %@ by %.3g%%", plan.budget, plan.unit.rawValue,
                    100 * (spent / plan.budget - 1)))
        }
    }
}
