public import Domain
import Foundation
public import NumericCore

/// Groups whose n binary rewards are all equal (all 0 or all 1) have zero GRPO advantage: their
/// expected share at a group size n over a population of per-problem success rates p is
/// `f(n) = E[pⁿ + (1 − p)ⁿ]`, in closed form for a ``BetaMixture`` (docs/TRAINING_PLANNER.md,
/// "Zero-advantage groups").
public enum ZeroAdvantage {
    /// The group sizes of the table printed with a plan.
    public static let tableRollouts = [2, 4, 8, 16, 32, 64, 128, 256]

    /// `pⁿ + (1 − p)ⁿ` for one problem of pass rate p.
    public static func fraction(passRate p: Double, rollouts n: Int) -> Double {
        pow(p, Double(n)) + pow(1 - p, Double(n))
    }

    /// `E[pⁿ + (1 − p)ⁿ]` over the population.
    public static func fraction(_ population: BetaMixture, rollouts n: Int) -> Double {
        1 - max(0, min(1, population.mixedOutcomeProbability(n)))
    }

    /// Below this informative share over-sampling is not a plan: it is printed as unbounded.
    public static let smallestInformativeShare = 1e-9

    /// f at n, the informative groups of a batch of B_p, and the dynamic-sampling over-sampling
    /// (nil when informative groups all but vanish: no number of prompts is a sensible plan).
    public static func row(_ population: BetaMixture, rollouts n: Int, problemsPerBatch: Int) -> ZeroAdvantageRow {
        let informative = max(0, min(1, population.mixedOutcomeProbability(n)))
        let usable = informative >= smallestInformativeShare
        return ZeroAdvantageRow(
            rolloutsPerProblem: n, fraction: 1 - informative, informativeGroups: Double(problemsPerBatch) * informative,
            oversampling: usable ? 1 / informative : nil,
            oversampling95: usable
                ? promptsFor(problemsPerBatch, informative: informative).map { Double($0) / Double(problemsPerBatch) }
                : nil)
    }

    /// The plan's row and the table across ``tableRollouts`` (and the plan's n).
    public static func table(
        _ population: BetaMixture, named name: String, rollouts n: Int, problemsPerBatch: Int
    ) -> ZeroAdvantageTable {
        let sizes = Set(tableRollouts + [n]).sorted()
        return ZeroAdvantageTable(
            population: name, meanPassRate: population.mean, problemsPerBatch: problemsPerBatch,
            atPlan: row(population, rollouts: n, problemsPerBatch: problemsPerBatch),
            rows: sizes.map { row(population, rollouts: $0, problemsPerBatch: problemsPerBatch) })
    }

    /// The fewest prompts N with `P(Binomial(N, q) ≥ B_p) ≥ 0.95`: enough to keep B_p informative
    /// groups in 95% of batches, by bisection on `I_q(B_p, N − B_p + 1)`; nil beyond 10^15 prompts.
    static func promptsFor(_ problems: Int, informative q: Double) -> Int? {
        if q >= 1 { return problems }
        let limit = 1e15
        guard q > 0, Double(problems) / q <= limit else { return nil }
        func enough(_ n: Int) -> Bool {
            regularizedIncompleteBeta(x: q, a: Double(problems), b: Double(n - problems + 1)) >= 0.95
        }
        var high = max(problems, Int((Double(problems) / q).rounded(.up)))
        while !enough(high) {
            guard Double(high) * 2 <= limit else { return nil }
            high *= 2
        }
        var low = problems - 1  // not enough (fewer than B_p prompts)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if enough(middle) { high = middle } else { low = middle }
        }
        return high
    }
}
