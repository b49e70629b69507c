public import Domain
import Foundation
import NumericCore

/// What a budget is measured in.
public enum CostUnit: String, Codable, Sendable, CaseIterable {
    /// US dollars at the inputs' prices.
    case usd
    /// Input plus output tokens.
    case tokens
}

extension CostBreakdown {
    /// The cost in `unit`.
    public func value(in unit: CostUnit, prices inputs: CostInputs) -> Double {
        switch unit {
        case .usd: dollars(priceIn: inputs.priceIn, priceOut: inputs.priceOut)
        case .tokens: tokensIn + tokensOut
        }
    }
}

/// The configurations the optimizer searches.
public struct SearchSpace: Codable, Hashable, Sendable {
    public var rollouts = Array(1...16) + [20, 24, 32, 48, 64]
    public var groupSizes = [2, 3, 4]
    public var votes = [1, 2, 3, 4, 5, 6, 8, 12, 16]
    /// K values for refinement (only K ≤ N are used).
    public var priors = [1, 2, 4, 8]
    /// T ranges over 1…maxIterations.
    public var maxIterations = 3
    public var selections: [PriorSelection] = [.select]

    public init() {}

    /// Every pipeline of the space, RTV-only ones (T = 1) once per (N, G, V). Select-K plays whole
    /// rounds, so a K it cannot stop at exactly is replaced by the K′ < K it keeps (duplicates dropped).
    public var pipelines: [TestTimePipeline] {
        var result: [TestTimePipeline] = []
        for g in groupSizes {
            for v in votes {
                for n in rollouts {
                    result.append(
                        TestTimePipeline(configuration: PipelineConfiguration(rollouts: n, groupSize: g, votes: v)))
                    guard maxIterations > 1 else { continue }
                    for t in 2...maxIterations {
                        for s in selections {
                            var seen = Set<Int>()
                            for k in priors where k <= n {
                                let kept =
                                    switch s {
                                    case .select: TournamentRounds.shrink(n, to: k, groupSize: g).survivors
                                    case .random: k
                                    case .own: 1
                                    }
                                guard seen.insert(kept).inserted else { continue }
                                result.append(
                                    TestTimePipeline(
                                        configuration: PipelineConfiguration(
                                            rollouts: n, groupSize: g, votes: v, priors: kept,
                                            iterations: t), selection: s))
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}

/// A pipeline with its predicted accuracy and cost per task.
public struct ScoredPipeline: Codable, Hashable, Sendable {
    public var pipeline: TestTimePipeline
    public var accuracy: Double
    public var cost: CostBreakdown
    /// The cost in the planner's unit.
    public var costValue: Double

    public init(pipeline: TestTimePipeline, accuracy: Double, cost: CostBreakdown, costValue: Double) {
        self.pipeline = pipeline
        self.accuracy = accuracy
        self.cost = cost
        self.costValue = costValue
    }
}

/// A two-sided predictive interval.
public struct PredictiveInterval: Codable, Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public var level: Double
}

/// Scores, searches and brackets test-time pipelines.
public enum TestTimePlanner {
    /// Accuracy and cost of every pipeline in `space` under `model`, excluding those whose
    /// sequential rounds exceed `maxRounds`. Work is split by (G, V) over the cores; each split
    /// shares one memoised ``PipelineModel``.
    public static func score(
        space: SearchSpace, model: SolveRateModel, judges: JudgeSchedule,
        refinement: RefinementModel = .reference, inputs: CostInputs, unit: CostUnit,
        maxRounds: Int? = nil
    ) -> [ScoredPipeline] {
        score(
            space: space, models: [model], judges: judges, refinement: refinement, inputs: inputs, unit: unit,
            maxRounds: maxRounds)[0]
    }

    /// The same for several populations at once (one list per model, in order): a pipeline's
    /// success by initial passing count does not depend on the population, so the tournament
    /// and refinement work is done once and each model costs a dot product per pipeline.
    public static func score(
        space: SearchSpace, models: [SolveRateModel], judges: JudgeSchedule,
        refinement: RefinementModel = .reference, inputs: CostInputs, unit: CostUnit,
        maxRounds: Int? = nil
    ) -> [[ScoredPipeline]] {
        let splits = space.groupSizes.flatMap { g in space.votes.map { (g, $0) } }
        let pipelines = space.pipelines
        let perSplit = parallelMap(count: splits.count, workers: ProcessInfo.processInfo.activeProcessorCount) {
            s -> [[ScoredPipeline]] in
            let (g, v) = splits[s]
            let planner = PipelineModel(judges: judges, refinement: refinement)
            var scored = [[ScoredPipeline]](repeating: [], count: models.count)
            for pipeline in pipelines where pipeline.configuration.groupSize == g && pipeline.configuration.votes == v {
                let cost = CostModel.cost(pipeline.configuration, inputs, selection: pipeline.selection)
                if let maxRounds, cost.sequentialRounds > maxRounds { continue }
                for (m, model) in models.enumerated() {
                    scored[m].append(
                        ScoredPipeline(
                            pipeline: pipeline, accuracy: planner.expectedAccuracy(model: model, pipeline: pipeline),
                            cost: cost, costValue: cost.value(in: unit, prices: inputs)))
                }
            }
            return scored
        }
        return models.indices.map { m in perSplit.flatMap { $0[m] } }
    }

    /// The cost–accuracy frontier: cheapest first, each entry strictly more accurate than every
    /// cheaper one (ties in cost keep the more accurate).
    public static func frontier(_ scored: [ScoredPipeline]) -> [ScoredPipeline] {
        let sorted = scored.sorted { ($0.costValue, -$0.accuracy) < ($1.costValue, -$1.accuracy) }
        var result: [ScoredPipeline] = []
        for candidate in sorted where candidate.accuracy > (result.last?.accuracy ?? -1) + 1e-12 {
            result.append(candidate)
        }
        return result
    }

    /// The most accurate frontier pipeline costing at most `budget`; nil if none fits.
    public static func best(within budget: Double, frontier: [ScoredPipeline]) -> ScoredPipeline? {
        frontier.last { $0.costValue <= budget }
    }

    /// The cheapest frontier pipeline reaching `target` accuracy; nil if none does.
    public static func cheapest(reaching target: Double, frontier: [ScoredPipeline]) -> ScoredPipeline? {
        frontier.first { $0.accuracy >= target }
    }

    /// Predictive interval for the *mean accuracy over a set of `tasks` tasks*: each task's
    /// outcome is Bernoulli with the population accuracy (tasks drawn from the shape, judge
    /// randomness included), and parameter uncertainty enters as a mixture over `accuracies`
    /// (one per bootstrap refit or judge draw): the mean is distributed as
    /// `(1/B)·Σ_b Binomial(tasks, μ_b)/tasks`, whose quantiles are returned.
    public static func predictiveInterval(accuracies: [Double], tasks: Int, level: Double = 0.95) -> PredictiveInterval
    {
        precondition(
            !accuracies.isEmpty && tasks >= 1 && level > 0 && level < 1, "need accuracies, tasks ≥ 1, 0 < level < 1")
        precondition(accuracies.allSatisfy { $0.isFinite }, "accuracies must be finite")
        var pmf = [Double](repeating: 0, count: tasks + 1)
        for mu in accuracies {
            let p = min(max(mu, 0), 1)
            for k in 0...tasks {
                pmf[k] += binomialProbability(trials: tasks, successes: k, probability: p) / Double(accuracies.count)
            }
        }
        let tail = (1 - level) / 2
        var cumulative = 0.0
        var lower: Int?
        var upper = tasks
        for (k, pk) in pmf.enumerated() {
            cumulative += pk
            if lower == nil && cumulative >= tail { lower = k }
            if cumulative >= 1 - tail {
                upper = k
                break
            }
        }
        return PredictiveInterval(
            lower: Double(lower ?? 0) / Double(tasks), upper: Double(upper) / Double(tasks), level: level)
    }
}
