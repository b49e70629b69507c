import Domain
import Foundation
import Ingest
import NumericCore
import Planner
import RLSim
import RunStore

extension TrainingPlanWorkflow {
    /// The throughput model: fitted to the named stored runs' timed steps, or given.
    static func throughputModel(_ source: ThroughputSource, store: Store, responseTokens: Double?) throws
        -> ThroughputModel
    {
        switch source {
        case .given(let rate): return .given(rolloutsPerGPUSecond: rate)
        case .runs(let names, let pilotGPUs):
            let pilots = try names.map { name throws in
                guard let run = try store.run(named: name), let id = run.id else {
                    throw WorkflowError.empty(
                        "no run named \"\(name)\" for --throughput-from (import the pilot's log first: isoplan import verl LOG --name NAME)"
                    )
                }
                return ThroughputFit.Pilot(
                    name: name,
                    steps: PilotTimings.steps(
                        try loggedSteps(store.points(ofRun: id)), rolloutsPerStep: run.rolloutsPerStep))
            }
            return try ThroughputFit.fit(pilots, gpus: pilotGPUs, responseTokens: responseTokens)
        }
    }

    /// A run's points back as logged steps under their raw names.
    static func loggedSteps(_ points: [MetricPoint]) -> [LoggedStep] {
        var steps: [Int: [String: Double]] = [:]
        for point in points { steps[point.step, default: [:]][point.rawName ?? point.metric.rawValue] = point.value }
        return steps.keys.sorted().map { LoggedStep(step: $0, values: steps[$0] ?? [:]) }
    }

    /// The request in the law's units: a cluster-time budget becomes its rollout ceiling (the
    /// rollouts the GPU-hours buy without per-step overhead), to choose the law with.
    static func rolloutRequest(_ request: TrainingPlanRequest, throughput: ThroughputModel?) throws
        -> TrainingPlanRequest
    {
        guard request.unit.isClusterTime else { return request }
        guard let throughput else {
            throw WorkflowError.empty(
                "a budget in \(request.unit.rawValue) needs a throughput: --throughput-from RUN or --rollouts-per-gpu-second X"
            )
        }
        var lawRequest = request
        lawRequest.unit = .rollouts
        lawRequest.budget = ClusterBudget.rolloutCeiling(
            gpuHours: try gpuHours(request), throughput: throughput, responseTokens: request.tokensPerRollout)
        return lawRequest
    }

    /// The budget in GPU-hours (dollars over the price).
    static func gpuHours(_ request: TrainingPlanRequest) throws -> Double {
        guard request.unit == .usd else { return request.budget }
        guard let price = request.usdPerGPUHour, price > 0 else {
            throw WorkflowError.empty("a budget in usd needs --usd-per-gpu-hour P")
        }
        return request.budget / price
    }

    /// The plan of a rollout or token budget, or the one a cluster-time budget buys; costed when
    /// a throughput is known, in the request's own budget and unit.
    static func plan(
        _ request: TrainingPlanRequest, throughput: ThroughputModel?,
        planning: (Double) throws(DomainError) -> Plan
    ) throws -> Plan {
        guard let throughput else { return try planning(request.budget) }
        var plan =
            request.unit.isClusterTime
            ? try ClusterBudget.plan(
                gpuHours: gpuHours(request), gpus: request.gpus, throughput: throughput,
                responseTokens: request.tokensPerRollout, planning: planning)
            : try planning(request.budget)
        plan.budget = request.budget
        plan.unit = request.unit
        plan.cost = ClusterBudget.cost(
            of: plan, throughput: throughput, gpus: request.gpus, responseTokens: request.tokensPerRollout,
            usdPerGPUHour: request.usdPerGPUHour)
        if let pilot = throughput.pilotGPUs, pilot != request.gpus {
            plan.warnings.append(
                "the pilot ran on \(pilot) GPUs: the cost assumes its per-GPU throughput holds on \(request.gpus)")
        }
        return plan
    }

    /// The zero-advantage table at the plan's n and B_p over the chosen population.
    /// `counts`: the counts file of `auto`, already read (the population when none is chosen).
    static func zeroAdvantage(
        _ request: TrainingPlanRequest, difficulty: PlanDifficulty, plan: Plan,
        counts: (file: String, rates: SolveRates)?
    ) throws -> ZeroAdvantageTable {
        let choice = request.population ?? counts.map { .counts(file: $0.file) }
        let (mixture, name) = try population(choice, difficulty: difficulty, read: counts)
        return ZeroAdvantage.table(
            mixture, named: name, rollouts: plan.rolloutsPerProblem, problemsPerBatch: plan.problemsPerBatch)
    }

    /// The chosen population as a Beta mixture and its name; nil: the difficulty's own. A counts
    /// file already `read` is not read again.
    static func population(
        _ choice: PopulationChoice?, difficulty: PlanDifficulty, read: (file: String, rates: SolveRates)?
    ) throws -> (BetaMixture, String) {
        switch choice {
        case nil:
            let source = PopulationSource.difficulty(difficulty.population)
            return (source.betaMixture, source.name)
        case .counts(let file):
            let pooled = try read.flatMap { $0.file == file ? $0.rates : nil } ?? pooledCounts(file)
            guard !pooled.tasks.isEmpty else { throw WorkflowError.empty("\(file): no tasks") }
            return (PopulationSource.counts(pooled).betaMixture, "counts:\((file as NSString).lastPathComponent)")
        case .beta(let alpha, let beta):
            return (.beta(alpha: alpha, beta: beta), PopulationSource.beta(alpha: alpha, beta: beta).name)
        case .passAt1(let p, let concentration):
            let shape = SolveRateModel.assumedShape(passAt1: p, concentration: concentration)
            return (
                .beta(alpha: shape.alpha, beta: shape.beta),
                "pass@1 \(p) (Beta(\(String(format: "%.3g", shape.alpha)),\(String(format: "%.3g", shape.beta)))"
                    + ", concentration \(concentration))"
            )
        }
    }
}
