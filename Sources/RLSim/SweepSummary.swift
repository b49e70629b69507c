public import Domain

/// Seed-averaged views of a sweep that the findings are stated in: each configuration's
/// best-so-far metric at the 61 evaluation targets, the compute-optimal n at each target, and
/// each configuration's best value.
public struct SweepSummary: Sendable {
    /// A configuration, seeds pooled.
    public struct Key: Hashable, Sendable, Comparable {
        public var rolloutsPerProblem: Int
        public var problemsPerBatch: Int
        public init(rolloutsPerProblem: Int, problemsPerBatch: Int) {
            self.rolloutsPerProblem = rolloutsPerProblem
            self.problemsPerBatch = problemsPerBatch
        }
        public static func < (a: Key, b: Key) -> Bool {
            (a.problemsPerBatch, a.rolloutsPerProblem) < (b.problemsPerBatch, b.rolloutsPerProblem)
        }
    }

    public let metric: MetricName
    /// C_k, the evaluation targets.
    public let targets: [Double]
    /// Seed mean of the best value reached with at most C_k rollouts, per configuration (nil
    /// before a configuration's first step that fits, i.e. only the base value is known).
    public let bestSoFar: [Key: [Double]]
    public let seeds: [Key: Int]

    public init(_ runs: [SimulatedRun], metric: MetricName = .validationReward) {
        self.metric = metric
        let budget = runs.map(\.configuration.budget).max() ?? 1
        targets = EvaluationGrid.targets(budget: budget)
        var sums: [Key: [Double]] = [:]
        var counts: [Key: Int] = [:]
        for run in runs {
            let key = Key(
                rolloutsPerProblem: run.configuration.rolloutsPerProblem,
                problemsPerBatch: run.configuration.problemsPerBatch)
            let points = run.points.filter { $0.metric == metric }.sorted { $0.rollouts < $1.rollouts }
            var curve: [Double] = []
            var best = -Double.infinity
            var index = 0
            for target in targets {
                while index < points.count && points[index].rollouts <= target * (1 + 1e-9) {
                    best = max(best, points[index].value)
                    index += 1
                }
                curve.append(best)
            }
            sums[key] = zip(sums[key] ?? [Double](repeating: 0, count: targets.count), curve).map { $0 + $1 }
            counts[key, default: 0] += 1
        }
        var means: [Key: [Double]] = [:]
        for (key, sum) in sums { means[key] = sum.map { $0 / Double(counts[key]!) } }
        bestSoFar = means
        seeds = counts
    }

    /// The seed-mean best value of each configuration over the whole budget.
    public var best: [Key: Double] { bestSoFar.mapValues { $0.last! } }

    /// The compute-optimal n at each target among configurations with `problemsPerBatch`
    /// (argmax of the seed-mean best-so-far).
    public func optimalRollouts(problemsPerBatch bp: Int) -> [Int] {
        let keys = bestSoFar.keys.filter { $0.problemsPerBatch == bp }.sorted()
        return targets.indices.map { k in keys.max { bestSoFar[$0]![k] < bestSoFar[$1]![k] }!.rolloutsPerProblem }
    }

    /// "Saturation n": the argmax over n of the seed-mean best value at C_max, at `problemsPerBatch`.
    public func saturationRollouts(problemsPerBatch bp: Int) -> Int {
        optimalRollouts(problemsPerBatch: bp).last!
    }

    /// max − min of the best values over `keys`, relative to the max.
    public func relativeSpread(_ keys: [Key]) -> Double {
        let values = keys.compactMap { best[$0] }
        guard let high = values.max(), let low = values.min(), high > 0 else { return 0 }
        return (high - low) / high
    }
}
