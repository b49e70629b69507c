public import Domain
import Foundation
import NumericCore

/// The distribution of per-task success probability p over a task set: a Beta(α, β), optionally
/// mixed with point masses at 0 (never solvable) and 1 (always solved):
/// `p ~ w₀·δ₀ + w₁·δ₁ + (1 − w₀ − w₁)·Beta(α, β)`.
///
/// Agent benchmarks are strongly U-shaped (Terminal-Bench fits have α, β < 1), which is why the
/// population average alone predicts coverage and selection badly.
public struct SolveRateModel: Codable, Hashable, Sendable {
    /// Which likelihood was fitted.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case betaBinomial = "beta-binomial"
        case mixture
    }

    public var kind: Kind
    public var alpha: Double
    public var beta: Double
    /// Weight of the point mass at p = 0.
    public var pointMassZero: Double
    /// Weight of the point mass at p = 1.
    public var pointMassOne: Double
    /// The maximised log-likelihood of the counts.
    public var logLikelihood: Double

    public init(
        kind: Kind, alpha: Double, beta: Double, pointMassZero: Double = 0, pointMassOne: Double = 0,
        logLikelihood: Double = 0
    ) {
        self.kind = kind
        self.alpha = alpha
        self.beta = beta
        self.pointMassZero = pointMassZero
        self.pointMassOne = pointMassOne
        self.logLikelihood = logLikelihood
    }

    /// A Beta shape with mean `passAt1` and concentration `α + β` — for when only a population
    /// pass@1 (a leaderboard number) is known.
    public static func assumedShape(passAt1: Double, concentration: Double = defaultConcentration) -> SolveRateModel {
        precondition(
            passAt1 > 0 && passAt1 < 1 && concentration > 0, "need 0 < pass@1 < 1 and a positive concentration")
        return SolveRateModel(kind: .betaBinomial, alpha: passAt1 * concentration, beta: (1 - passAt1) * concentration)
    }

    /// The median concentration α + β of the seven Terminal-Bench core 0.1.1 Beta-binomial fits
    /// (0.27–0.87): strongly U-shaped.
    public static let defaultConcentration = 0.41

    /// The range of shapes a sizing shows its sensitivity over: the Terminal-Bench extremes, the
    /// default, and a milder benchmark (α + β = 2).
    public static let plausibleConcentrations = [0.27, 0.41, 0.87, 2.0]

    /// `E[pass@k]` over tasks: `w₁ + (1 − w₀ − w₁)·(1 − B(α, β + k)/B(α, β))`. Any k ≥ 1, also
    /// beyond the observed trials (the extrapolation is the model's).
    public func expectedPassAtK(_ k: Int) -> Double {
        precondition(k >= 1, "pass@k needs k ≥ 1")
        let beta = 1 - exp(logBeta(alpha, self.beta + Double(k)) - logBeta(alpha, self.beta))
        return pointMassOne + (1 - pointMassZero - pointMassOne) * beta
    }

    /// `E[p]`, the population pass@1.
    public var meanSolveRate: Double {
        pointMassOne + (1 - pointMassZero - pointMassOne) * alpha / (alpha + beta)
    }

    /// `P(j of N rollouts pass)` for j = 0…N: the model's predictive distribution of one task's
    /// passing count (Beta-binomial plus the point masses).
    public func passingDistribution(rollouts n: Int) -> [Double] {
        (0...n).map { exp(logProbability(trials: n, successes: $0)) }
    }

    /// Draws one task's solve rate p.
    public func sampleSolveRate(using rng: inout some RandomNumberGenerator) -> Double {
        let u = rng.nextUniform()
        if u < pointMassZero { return 0 }
        if u < pointMassZero + pointMassOne { return 1 }
        return Beta(alpha: alpha, beta: beta).sample(using: &rng)
    }

    /// `log P(c successes in n trials)` under the model.
    public func logProbability(trials n: Int, successes c: Int) -> Double {
        let betaBinomial =
            logChoose(Double(n), Double(c)) + logBeta(Double(c) + alpha, Double(n - c) + beta) - logBeta(alpha, beta)
        let continuous = 1 - pointMassZero - pointMassOne
        var total = continuous > 0 ? continuous * exp(betaBinomial) : 0
        if c == 0 { total += pointMassZero }
        if c == n { total += pointMassOne }
        return log(total)
    }
}

/// Fits ``SolveRateModel``s to per-task counts by maximum likelihood.
public enum SolveRateFitter {
    /// Maximum-likelihood fit of the Beta-binomial (or the mixture with point masses):
    /// `log L = Σᵢ log P(cᵢ | nᵢ)`, maximised by Nelder–Mead over `(log α, log β)` (and the point
    /// masses' logits against the Beta part) from a small grid of starts; the best wins.
    public static func fit(_ rates: SolveRates, kind: SolveRateModel.Kind = .betaBinomial) throws(DomainError)
        -> SolveRateModel
    {
        try rates.validate()
        // Tasks with the same (n, c) share a likelihood term: count them once.
        var groups: [[Int]: Double] = [:]
        for task in rates.tasks { groups[[task.trials, task.successes], default: 0] += 1 }
        let terms = groups.map { (n: $0.key[0], c: $0.key[1], weight: $0.value) }
        func model(_ x: [Double]) -> SolveRateModel {
            var w0 = 0.0
            var w1 = 0.0
            if kind == .mixture {
                // Softmax over (Beta part, zero, one) with the Beta part's logit fixed at 0.
                let (e0, e1) = (exp(min(x[2], 50)), exp(min(x[3], 50)))
                let total = 1 + e0 + e1
                (w0, w1) = (e0 / total, e1 / total)
            }
            return SolveRateModel(
                kind: kind, alpha: exp(x[0]), beta: exp(x[1]), pointMassZero: w0, pointMassOne: w1,
                logLikelihood: 0)
        }
        func negativeLogLikelihood(_ x: [Double]) -> Double {
            guard x[0] > -12, x[0] < 12, x[1] > -12, x[1] < 12 else { return .infinity }
            let m = model(x)
            return -terms.reduce(0) { $0 + $1.weight * m.logProbability(trials: $1.n, successes: $1.c) }
        }
        let logStarts: [[Double]] = [[-2, -1], [-1, -1], [0, 0], [1, 1], [-1, 1], [1, -1]]
        let starts =
            kind == .mixture ? logStarts.flatMap { s in [[-3.0, -3.0], [-1.0, -1.0]].map { s + $0 } } : logStarts
        var best: NelderMead.Result?
        for start in starts {
            let result = NelderMead.minimize(
                negativeLogLikelihood, start: start, step: 0.5, tolerance: 1e-12, maxEvaluations: 20_000)
            if best == nil || result.value < best!.value { best = result }
        }
        var fitted = model(best!.x)
        fitted.logLikelihood = -best!.value
        return fitted
    }

    /// Task-level bootstrap: `resamples` fits, each to the tasks drawn with replacement
    /// (seeded, reproducible).
    public static func bootstrap(
        _ rates: SolveRates, kind: SolveRateModel.Kind = .betaBinomial, resamples: Int,
        seed: UInt64
    ) throws(DomainError) -> [SolveRateModel] {
        try rates.validate()
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x626F_6F74)
        var models: [SolveRateModel] = []
        for _ in 0..<resamples {
            let tasks = rates.tasks.indices.map { _ in rates.tasks[Int(rng.next() % UInt64(rates.tasks.count))] }
            models.append(try fit(SolveRates(system: rates.system, tasks: tasks), kind: kind))
        }
        return models
    }

    /// Predicted vs measured pass@k when each task keeps only `keep` of its trials: for every seed,
    /// each task's outcomes are thinned by a hypergeometric draw (its `keep` trials chosen without
    /// replacement from its n), the model is fitted to the thinned counts, and its `E[pass@k]` is
    /// compared with the unbiased pass@k of the full counts, `k` = the smallest trial count.
    public static func holdoutCheck(
        _ rates: SolveRates, keep: Int, seeds: Int = 40,
        kind: SolveRateModel.Kind = .betaBinomial
    ) throws(DomainError) -> HoldoutCheck {
        try rates.validate()
        let k = rates.tasks.map(\.trials).min()!
        guard keep >= 1, keep < k else {
            throw .invalid(
                field: "keep", value: String(keep),
                reason: "must lie in 1…\(k - 1) (the tasks have \(k) or more trials)")
        }
        let measured =
            rates.tasks.reduce(0) { $0 + passAtK(samples: $1.trials, correct: $1.successes, k: k) }
            / Double(rates.tasks.count)
        var predictions: [Double] = []
        for seed in 0..<seeds {
            var rng = Xoshiro256StarStar(seed: UInt64(seed), stream: 0x7461_736B)
            let thinned = rates.tasks.map { task in
                TaskOutcome(
                    taskID: task.taskID, trials: keep,
                    successes: hypergeometric(
                        population: task.trials, successes: task.successes, draws: keep, using: &rng))
            }
            predictions.append(try fit(SolveRates(system: rates.system, tasks: thinned), kind: kind).expectedPassAtK(k))
        }
        let mean = predictions.reduce(0, +) / Double(seeds)
        return HoldoutCheck(
            system: rates.system, keptTrials: keep, k: k, seeds: seeds, predicted: mean, measured: measured)
    }

    /// Successes among `draws` items taken without replacement from `population` items of which
    /// `successes` are successes (sequential draws).
    static func hypergeometric(population: Int, successes: Int, draws: Int, using rng: inout some RandomNumberGenerator)
        -> Int
    {
        var (left, good, found) = (population, successes, 0)
        for _ in 0..<draws {
            if Double(good) > rng.nextUniform() * Double(left) {
                found += 1
                good -= 1
            }
            left -= 1
        }
        return found
    }
}

/// The result of ``SolveRateFitter/holdoutCheck(_:keep:seeds:kind:)``.
public struct HoldoutCheck: Codable, Hashable, Sendable {
    public var system: String?
    /// Trials per task the fits saw.
    public var keptTrials: Int
    /// The k of the compared pass@k (the full trial count).
    public var k: Int
    public var seeds: Int
    /// Mean over seeds of the model's `E[pass@k]` fitted on the thinned counts.
    public var predicted: Double
    /// The unbiased pass@k of the full counts.
    public var measured: Double
}
