import Foundation

/// A run the frontier suggests: one n trained to a budget it has not reached yet.
public struct SuggestedRun: Sendable, Codable, Equatable {
    public var rolloutsPerProblem: Int
    /// The run's budget in rollouts (its cost).
    public var budget: Double
    /// Expected reduction of Var[log2 n*(target)], in log2² units, and as a fraction of it.
    public var varianceReduction: Double
    public var fractionOfVariance: Double
}

/// Which runs would most narrow the law's interval at a target budget (docs/SCALING_LAWS.md,
/// "Suggested next runs").
public struct RunSuggestions: Sendable, Codable, Equatable {
    /// The budget the plan is for.
    public var target: Double
    /// The law's current 95% interval of n* there (from its bootstrap).
    public var interval: [Double]
    /// Best first: expected variance reduction per rollout spent.
    public var runs: [SuggestedRun]

    /// The expected-variance-reduction rule over candidate runs.
    ///
    /// Let `y(C) = log2 n*(C)` under each bootstrap draw of the law. A run of n to budget C is
    /// treated as a noisy look at `y(C)`: its noise variance is `σ² + (log2 n − ȳ(C))²`, with
    /// `σ = 0.5` (half a doubling, the resolution of power-of-two runs) and the second term
    /// saying that a run far from the predicted optimum tells little about where the optimum is.
    /// Conditioning the draws' joint Gaussian on that look reduces the target's variance by
    /// `Cov(y(C), y(T))² / (Var y(C) + noise)`. Candidates: n a power of two from the smallest n
    /// run to twice the largest, at budgets from the top of the identified range doubling up to
    /// the target, leaving out (n, C) that a run already covers; ranked by reduction per rollout.
    static func suggest(
        samples: [[Double]], curves: [GroupCurve], from start: Double, target: Double, count: Int = 3
    ) -> RunSuggestions? {
        guard samples.count >= 20, target > 0, start > 0 else { return nil }
        let family = AllocationLaw()
        let atTarget = samples.map { family.value($0, at: [target]) }
        let targetMean = atTarget.reduce(0, +) / Double(atTarget.count)
        let targetVariance = variance(atTarget)
        let sorted = atTarget.sorted()
        let interval = [exp2(quantile(sorted: sorted, 0.025)), exp2(quantile(sorted: sorted, 0.975))]
        var budgets: [Double] = []
        var budget = start
        while budget < target * 0.999 {
            budgets.append(budget)
            budget *= 2
        }
        budgets.append(target)
        let tested = curves.map(\.rolloutsPerProblem)
        guard let smallest = tested.min(), let largest = tested.max(), targetVariance > 0 else {
            return RunSuggestions(target: target, interval: interval, runs: [])
        }
        let ns = sequence(first: max(1, smallest)) { $0 * 2 }.prefix { $0 <= 2 * largest }
        var candidates: [SuggestedRun] = []
        for c in budgets {
            let y = samples.map { family.value($0, at: [c]) }
            let mean = y.reduce(0, +) / Double(y.count)
            let covariance =
                zip(y, atTarget).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - targetMean) } / Double(y.count - 1)
            for n in ns where !curves.contains(where: { $0.rolloutsPerProblem == n && $0.xReach >= c * 0.999 }) {
                let offset = log2(Double(n)) - mean
                let reduction = covariance * covariance / (variance(y) + 0.25 + offset * offset)
                candidates.append(
                    SuggestedRun(
                        rolloutsPerProblem: n, budget: c, varianceReduction: reduction,
                        fractionOfVariance: reduction / targetVariance))
            }
        }
        let ranked = candidates.filter { $0.fractionOfVariance >= 0.01 }
            .sorted { $0.varianceReduction / $0.budget > $1.varianceReduction / $1.budget }
        return RunSuggestions(target: target, interval: interval, runs: Array(ranked.prefix(count)))
    }
}

/// Sample variance (ddof = 1).
private func variance(_ values: [Double]) -> Double {
    let deviation = standardDeviation(values)
    return deviation * deviation
}
