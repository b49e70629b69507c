import Foundation
import NumericCore

/// Runs the frontier suggests: one or two n trained to a budget they have not reached yet. Beyond
/// the data a lone run has nothing to be compared with (a grid point one curve covers is a tie),
/// so runs past the identified range come in pairs {n, 2n}.
public struct SuggestedRun: Sendable, Codable, Equatable {
    /// The n of each run.
    public var rolloutsPerProblem: [Int]
    /// Each run's budget in rollouts.
    public var budget: Double
    /// Rollouts the suggestion costs: its runs times the budget.
    public var cost: Double { Double(rolloutsPerProblem.count) * budget }
    /// Why this run: the expected share of the variance it removes, or what it would identify.
    public var reason: String
    /// Expected reduction of Var[log2 n*(target)], in log2² units, and as a fraction of it
    /// (identified laws only).
    public var varianceReduction: Double?
    public var fractionOfVariance: Double?
}

/// Which runs would most narrow the law's interval at a target budget (docs/SCALING_LAWS.md,
/// "Suggested next runs").
public struct RunSuggestions: Sendable, Codable, Equatable {
    /// The budget the plan is for.
    public var target: Double
    /// The law's current 95% interval of n* there (from its bootstrap; `nil` when the law is
    /// not identified: its bootstrap does not measure what the data lack).
    public var interval: [Double]?
    /// Best first: expected variance reduction per rollout spent.
    public var runs: [SuggestedRun]

    /// The expected-variance-reduction rule over candidate runs.
    ///
    /// Let `y(C) = log2 n*(C)` under each bootstrap draw of the law. Runs to budget C are treated
    /// as a noisy look at `y(C)` centred where they test (log2 n for one run, log2 n + ½ for the
    /// pair {n, 2n}): its noise variance is `0.25 + (centre − ȳ(C))²` — half a doubling, the
    /// resolution of power-of-two runs, plus how far the runs are from the predicted optimum (runs
    /// far from it say little about where it is). Conditioning the draws' joint Gaussian on that
    /// look reduces the target's variance by `Cov(y(C), y(T))² / (Var y(C) + noise)`.
    /// Candidates: a single untested n (a power of two from half the smallest n run to twice the
    /// largest) to the top of the identified range, and pairs {n, 2n} to budgets doubling from
    /// there up to the target; ranked by reduction per rollout.
    static func suggest(
        samples: [[Double]], curves: [GroupCurve], from start: Double, target: Double, count: Int = 3
    ) -> RunSuggestions? {
        guard samples.count >= 20, target > start, start > 0 else { return nil }
        let family = AllocationLaw()
        let atTarget = samples.map { family.value($0, at: [target]) }
        let targetMean = atTarget.reduce(0, +) / Double(atTarget.count)
        let targetVariance = variance(atTarget)
        let interval = quantiles(atTarget, [0.025, 0.975]).map(exp2)
        let tested = curves.map(\.rolloutsPerProblem)
        guard let smallest = tested.min(), let largest = tested.max(), targetVariance > 0 else {
            return RunSuggestions(target: target, interval: interval, runs: [])
        }
        let ns = Array(sequence(first: max(1, smallest / 2)) { $0 * 2 }.prefix { $0 <= 2 * largest })
        var candidates: [SuggestedRun] = []
        for c in sequence(first: start, next: { $0 * 2 < target * 1.001 ? $0 * 2 : nil }) {
            let y = samples.map { family.value($0, at: [c]) }
            let mean = y.reduce(0, +) / Double(y.count)
            let covariance =
                zip(y, atTarget).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - targetMean) } / Double(y.count - 1)
            let options: [[Int]] =
                c == start
                ? ns.filter { n in !curves.contains { $0.rolloutsPerProblem == n && $0.xReach >= c * 0.999 } }.map {
                    [$0]
                }
                : ns.dropLast().map { [$0, 2 * $0] }
            for runs in options {
                let centre = runs.map { log2(Double($0)) }.reduce(0, +) / Double(runs.count)
                let offset = centre - mean
                let noise: Double = 0.25 + offset * offset
                let reduction = covariance * covariance / (variance(y) + noise)
                let share = reduction / targetVariance
                candidates.append(
                    SuggestedRun(
                        rolloutsPerProblem: runs, budget: c,
                        reason: "removes \(Int((share * 100).rounded()))% of the variance of log2 n* at the target",
                        varianceReduction: reduction, fractionOfVariance: share))
            }
        }
        let ranked = candidates.filter { ($0.fractionOfVariance ?? 0) >= 0.01 }
            .sorted { ($0.varianceReduction ?? 0) / $0.cost > ($1.varianceReduction ?? 0) / $1.cost }
        return RunSuggestions(target: target, interval: interval, runs: Array(ranked.prefix(count)))
    }
}

extension RunSuggestions {
    /// Runs that address why a law is not identified, cheapest first (its bootstrap cannot rank
    /// runs: it does not measure what the data lack). `top` is the top of the identified range
    /// (or of the data).
    ///
    /// - A jump between two resolved winners more than a doubling apart (the step k sits on its
    ///   bound for): the untested n between them, geometric middle first, to `top`.
    /// - The saturation not seen (the last winner is the largest n tried, L on its bound, or no
    ///   law): twice the last winner, to `top` when untested there, else to 2·`top`.
    /// - Otherwise (a decreasing or unsteady law: noise): another seed of the last two winners
    ///   to `top`.
    static func remedies(
        winners: [Int], tested: [Int], top: Double, target: Double, lawBound: [String], lawFitted: Bool
    ) -> RunSuggestions {
        var runs: [SuggestedRun] = []
        let triedSet = Set(tested)
        for (a, b) in zip(winners, winners.dropFirst()) where max(a, b) > 2 * min(a, b) {
            let between = sequence(first: 2 * min(a, b)) { $0 * 2 }.prefix { $0 < max(a, b) }.filter {
                !triedSet.contains($0)
            }
            let middle = sqrt(Double(a) * Double(b))
            for n in between.sorted(by: { abs(log2(Double($0) / middle)) < abs(log2(Double($1) / middle)) }) {
                runs.append(
                    SuggestedRun(
                        rolloutsPerProblem: [n], budget: top,
                        reason: "n* jumps from \(a) to \(b) with no run in between: resolves the step"))
            }
        }
        if let last = winners.last, !lawFitted || lawBound.contains("L") || last == tested.max() || runs.isEmpty {
            let next = 2 * last
            runs.append(
                SuggestedRun(
                    rolloutsPerProblem: triedSet.contains(next) ? [last, next] : [next],
                    budget: triedSet.contains(next) ? 2 * top : top,
                    reason: "the saturation is not seen: does n* keep rising past \(last)?"))
        }
        if runs.isEmpty || (lawFitted && !lawBound.contains("L") && !lawBound.contains("k")) {
            for n in winners.suffix(2) {
                runs.append(
                    SuggestedRun(
                        rolloutsPerProblem: [n], budget: top, reason: "another seed of a winner: tells noise from trend"
                    ))
            }
        }
        var seen = Set<[Int]>()
        let unique = runs.filter { seen.insert($0.rolloutsPerProblem).inserted }
        return RunSuggestions(target: target, interval: nil, runs: Array(unique.prefix(3)))
    }
}

/// Sample variance (ddof = 1).
private func variance(_ values: [Double]) -> Double {
    let deviation = standardDeviation(values)
    return deviation * deviation
}
