public import Domain
import Foundation

/// The nearest setting a framework accepts: keep n (the law's choice) and the micro batch and move
/// B_p; failing that, halve the micro batch; failing that, move n by powers of two.
public enum ExportSearch {
    /// Doublings and halvings of n tried, each way.
    static let maxDoublings = 6

    /// C in rollouts: the plan's budget, or M·B_p·n for a token budget (its tokens per rollout are
    /// not kept in the plan).
    public static func rolloutBudget(of plan: Plan) -> Double {
        plan.unit == .rollouts ? plan.budget : Double(plan.steps) * Double(plan.batch)
    }

    /// The first setting `accepts` takes, over n = n, 2n, n/2, 4n, …, then micro batch m, m/2, …, 1,
    /// then the B_p nearest the plan's (``nearestProblemsPerBatch``); nil when none passes.
    public static func nearestSetting(
        to planned: BatchSetting, budget: Double, problems: Int?, gpus: Int, accepts: (BatchSetting) -> Bool
    ) -> BatchSetting? {
        for n in rolloutCandidates(planned.rolloutsPerProblem) {
            for micro in microBatchCandidates(planned.microBatch) {
                let upper = min(problems ?? Limits.maxProblemsPerBatch, Limits.maxProblemsPerBatch, Int(budget) / n)
                if let bp = nearestProblemsPerBatch(
                    planned.problemsPerBatch, n: n, microBatch: micro, gpus: gpus, upper: upper,
                    accepts: { accepts(BatchSetting(rolloutsPerProblem: n, problemsPerBatch: $0, microBatch: micro)) })
                {
                    return BatchSetting(rolloutsPerProblem: n, problemsPerBatch: bp, microBatch: micro)
                }
            }
        }
        return nil
    }

    /// The B_p in 1…`upper` nearest `bp` (the larger on a tie) among the multiples of
    /// m·G / gcd(n, m·G) — the B_p for which B_p·n is a whole number of micro batches on every
    /// GPU, the divisibility verl, TRL and OpenRLHF share — that `accepts` takes.
    static func nearestProblemsPerBatch(
        _ bp: Int, n: Int, microBatch: Int, gpus: Int, upper: Int, accepts: (Int) -> Bool
    ) -> Int? {
        let unit = microBatch * gpus
        let quantum = unit / gcd(n, unit)
        let target = min(bp, upper)
        let below = target / quantum * quantum
        let above = below + quantum
        let candidates =
            below == target ? [target] : (target - below < above - target ? [below, above] : [above, below])
        return candidates.first { $0 >= 1 && $0 <= upper && accepts($0) }
    }

    /// n, then n·2^k and n/2^k (exact halvings only) for k = 1…6, within 1…2^20.
    static func rolloutCandidates(_ n: Int) -> [Int] {
        var candidates = [n]
        for k in 1...maxDoublings {
            candidates.append(n << k)
            if n % (1 << k) == 0 { candidates.append(n >> k) }
        }
        return candidates.filter { (1...Limits.maxRolloutsPerProblem).contains($0) }
    }

    /// m, then halved (rounding down) to 1.
    static func microBatchCandidates(_ micro: Int) -> [Int] {
        var candidates = [micro]
        while let last = candidates.last, last > 1 { candidates.append(last / 2) }
        return candidates
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The adjustments' sentences: which rules the plan broke, what moved, the learning rate and M.
    static func describe(
        from planned: BatchSetting, to chosen: BatchSetting, broken: [RuleViolation], plan: Plan, steps: Int,
        learningRate: Double
    ) -> [String] {
        guard planned != chosen else { return [] }
        var lines = broken.map { "the plan breaks \($0)" }
        let moves = [
            ("n", planned.rolloutsPerProblem, chosen.rolloutsPerProblem),
            ("B_p", planned.problemsPerBatch, chosen.problemsPerBatch),
            ("micro batch", planned.microBatch, chosen.microBatch),
        ].filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) → \($0.2)" }
        let batch =
            chosen.batch == planned.batch ? "B_p·n = \(chosen.batch)" : "B_p·n \(planned.batch) → \(chosen.batch)"
        lines.append(moves.joined(separator: ", ") + ": \(batch) passes every check")
        if chosen.batch != planned.batch {
            lines.append(
                "learning rate \(format(plan.learningRate)) → \(format(learningRate)) (η = 1e-6·√(B_p·n/1024))")
            lines.append("M \(plan.steps) → \(steps) = ⌊C/(B_p·n)⌋ at the same budget")
        }
        return lines
    }

    static func format(_ x: Double) -> String { String(format: "%.3g", x) }
}
