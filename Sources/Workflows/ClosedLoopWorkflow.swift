public import Domain
import Foundation
import Planner
public import RLSim
public import RunStore
import ScalingLaws

/// The closed loop of issue 5: simulate a sweep → fit the frontier law → plan at a budget beyond
/// the fitted range → simulate the plan and its neighbours → regret.
public struct ClosedLoopRequest: Sendable {
    public var difficulty: Difficulty = .easy
    public var trainSize = 6000
    /// The sweep: the Q1 row at B_p = 32 (n ∈ 8…2048) to `sweepBudget`, `sweepSeeds` seeds.
    public var sweepBudget = 1e7
    public var sweepSeeds = 3
    /// The plan's budget as a multiple of the sweep's.
    public var extrapolation = 4.0
    /// Seeds of the plan and every alternative.
    public var seeds = 5
    /// Which repetition of the loop: the sweep uses seeds `sweepSeeds·repetition …`, so
    /// repetitions see independent noise (and are stored as separate sweeps).
    public var repetition = 0
    /// Bootstrap resamples of the frontier law (the plan's n* interval).
    public var bootstrapResamples = 200
    public var parameters = SimulationParameters.standard
    public var workers: Int?

    public init() {}
}

public struct ClosedLoopResult: Codable, Sendable {
    public struct Alternative: Codable, Sendable {
        public var rolloutsPerProblem: Int
        public var problemsPerBatch: Int
        /// Seed mean of the best exact val_reward within the budget.
        public var bestValidationReward: Double
        public var isPlan: Bool
    }

    public var lawParameters: [Double]
    /// Whether the sweep's law was identified (otherwise the plan fell back; see its warnings).
    public var lawIdentified: Bool
    public var planBudget: Double
    public var plan: Plan
    /// n of the best alternative (the truth's n* among the simulated neighbours).
    public var trueOptimalRollouts: Int
    /// The truth's n* lies inside the plan's 95% n* interval.
    public var truthInsideInterval: Bool
    /// Regret ≤ 1% or the truth inside the interval.
    public var passes: Bool
    public var alternatives: [Alternative]
    /// Configurations dropped as infeasible (B_p above the train set, or no step), as `n/B_p`.
    public var infeasible: [String]
    /// Best over plan and alternatives minus the plan's, absolute and relative to the best.
    public var regret: Double
    public var relativeRegret: Double
    /// max − min of the alternatives' values, relative to the max.
    public var spread: Double
    public var seconds: Double
}

public enum ClosedLoopWorkflow {
    public static func run(
        _ request: ClosedLoopRequest, store: Store,
        progress: any ProgressReporter = SilentProgress()
    ) throws(WorkflowError) -> ClosedLoopResult {
        do {
            let start = Date()
            // 1. The sweep, stored like any other, and the project's frontier fit of it.
            let sweep = sweepRuns(request)
            let sweepID = sweepRequest(request).identity.id
            _ = try SimulationWorkflow.run(sweep, store: store, progress: progress)
            var frontier = FrontierRequest(filter: try RunFilter("sweep=\(sweepID)"))
            frontier.options.bootstrapResamples = request.bootstrapResamples
            frontier.options.minimumCompute = 1e5  // the paper's fitting range
            frontier.workers = request.workers
            let fitted = try FrontierWorkflow.run(frontier, store: store)

            // 2. The plan at the extrapolated budget, as `plan train` makes it from the stored fit
            // (an unidentified law is not used: the plan falls back and says so).
            let budget = request.sweepBudget * request.extrapolation
            var planRequest = TrainingPlanRequest(
                budget: budget, difficulty: .named(request.difficulty == .easy ? .easy : .hard))
            planRequest.problems = request.trainSize
            let plan = try TrainingPlanWorkflow.run(planRequest, store: store)

            // 3. The plan and its neighbours at that budget, `seeds` seeds each.
            let (alternatives, infeasible) = try alternatives(
                around: plan, budget: budget, request: request,
                progress: progress)
            let values = alternatives.map(\.bestValidationReward)
            guard let planValue = alternatives.first(where: \.isPlan)?.bestValidationReward,
                let top = values.max(), let bottom = values.min()
            else {
                throw WorkflowError.empty("the plan \(plan.rolloutsPerProblem)/\(plan.problemsPerBatch) is infeasible")
            }
            let truth = alternatives.max { $0.bestValidationReward < $1.bestValidationReward }!.rolloutsPerProblem
            let inside = plan.optimalRolloutsInterval.map { Double(truth) >= $0[0] && Double(truth) <= $0[1] } ?? false
            let relativeRegret = (top - planValue) / top
            return ClosedLoopResult(
                lawParameters: fitted.analysis.law?.parameters ?? [], lawIdentified: fitted.analysis.lawIdentified,
                planBudget: budget, plan: plan, trueOptimalRollouts: truth, truthInsideInterval: inside,
                passes: relativeRegret <= 0.01 || inside, alternatives: alternatives,
                infeasible: infeasible, regret: top - planValue, relativeRegret: relativeRegret,
                spread: (top - bottom) / top, seconds: Date().timeIntervalSince(start))
        } catch {
            throw WorkflowError(error)
        }
    }

    /// The sweep: the Q1 row at B_p = 32 (n ∈ 8…2048) as the grid `closed-loop`, on the
    /// request's population, D, C and seeds.
    static func sweepRequest(_ request: ClosedLoopRequest) -> SweepRequest {
        let grid = (3...11).map { (n: 1 << $0, bp: 32, fixedBatch: Int?.none) }
        let preset = SweepPreset(
            name: "closed-loop", difficulty: request.difficulty, trainSize: request.trainSize,
            budget: request.sweepBudget, grid: grid)
        var sweep = SweepRequest(preset: preset)
        sweep.seeds = request.sweepSeeds
        sweep.parameters = request.parameters
        sweep.workers = request.workers
        sweep.scope = request.repetition == 0 ? nil : "closed-loop-r\(request.repetition)"
        return sweep
    }

    /// The sweep's runs, with seeds shifted to the request's repetition.
    static func sweepRuns(_ request: ClosedLoopRequest) -> SimulationRequest {
        var prepared = SimulationWorkflow.prepare(sweepRequest(request))
        let offset = UInt64(request.sweepSeeds * request.repetition)
        prepared.configurations = prepared.configurations.map { configuration in
            var shifted = configuration
            shifted.seed += offset
            return shifted
        }
        return prepared
    }

    /// Simulates (without storing) {n/4, n/2, n, 2n, 4n} × {B_p/4, B_p, 4B_p} around the plan at
    /// `budget`, seeds 100…, and returns each one's seed mean of the best val_reward; those with
    /// B_p above the train set or no step are returned apart as `n/B_p`.
    static func alternatives(
        around plan: Plan, budget: Double, request: ClosedLoopRequest,
        progress: any ProgressReporter
    ) throws -> ([ClosedLoopResult.Alternative], [String]) {
        let n = plan.rolloutsPerProblem
        let bp = plan.problemsPerBatch
        var candidates: [(n: Int, bp: Int)] = []
        var infeasible: [String] = []
        for nn in [n / 4, n / 2, n, 2 * n, 4 * n] where nn >= 2 {
            for b in [bp / 4, bp, 4 * bp] where b >= 1 {
                if b > request.trainSize || Double(nn * b) > budget {
                    infeasible.append("\(nn)/\(b)")
                    continue
                }
                candidates.append((nn, b))
            }
        }
        let configurations = candidates.flatMap { c in
            (0..<request.seeds).map {
                SimulationConfiguration(
                    rolloutsPerProblem: c.n, problemsPerBatch: c.bp, budget: budget,
                    seed: UInt64(100 + $0))
            }
        }
        let source = PopulationSource.difficulty(request.difficulty)
        let simulator = Simulator(
            source: source, trainSize: request.trainSize, parameters: request.parameters,
            workers: request.workers)
        let runs = try simulator.run(
            configurations,
            runName: {
                Run(
                    name: $0.runName(prefix: "closed-loop"), source: .sim, rolloutsPerProblem: $0.rolloutsPerProblem,
                    problemsPerBatch: $0.problemsPerBatch)
            }, progress: progress)
        let best = SweepSummary(runs).best
        let alternatives = candidates.compactMap { c in
            best[.init(rolloutsPerProblem: c.n, problemsPerBatch: c.bp)].map {
                ClosedLoopResult.Alternative(
                    rolloutsPerProblem: c.n, problemsPerBatch: c.bp, bestValidationReward: $0,
                    isPlan: c.n == n && c.bp == bp)
            }
        }
        return (alternatives, infeasible)
    }
}
