public import Domain
import Foundation
import NumericCore
import ScalingLaws

/// A compute-optimal allocation law `log2 n*(x) = L/(1 + e^(−k(u(x) − u0))) + b`, with
/// u = log10 C for budgets (or u = M for the fixed-batch law), and the saturation to cap at.
public struct AllocationLawSpec: Codable, Hashable, Sendable {
    public var name: String
    /// [L, k, log10 C0 (or M0), b].
    public var parameters: [Double]
    /// Whether the law's input is log10 of the budget (true) or update steps M (false).
    public var logInput: Bool
    /// The empirical saturation n to cap at.
    public var cap: Int
    public var source: String

    public init(name: String, parameters: [Double], logInput: Bool = true, cap: Int, source: String) {
        self.name = name
        self.parameters = parameters
        self.logInput = logInput
        self.cap = cap
        self.source = source
    }

    /// A law fitted to a frontier, capped at its own saturation 2^round(b + L) (within 2…2048)
    /// unless `cap` says otherwise.
    public static func fitted(name: String, parameters: [Double], cap: Int? = nil, source: String) -> AllocationLawSpec
    {
        let saturation = cap ?? Int(pow(2, (parameters[0] + parameters[3]).rounded()))
        return AllocationLawSpec(name: name, parameters: parameters, cap: max(2, min(saturation, 2048)), source: source)
    }

    /// n*(x), unrounded: 2 to the ``ScalingLaws/AllocationLaw`` value.
    public func optimalRollouts(_ x: Double) -> Double { optimalRollouts(x, parameters: parameters) }

    /// n*(x) under other parameters of the same law (a bootstrap draw).
    public func optimalRollouts(_ x: Double, parameters p: [Double]) -> Double {
        pow(2, AllocationLaw(input: logInput ? .log10 : .linear).value(p, at: [x]))
    }
}

/// The published IsoCompute laws (Qwen2.5-7B-Instruct, Guru-Math) as built-in presets.
public enum PublishedLaws {
    /// `--law q1` (Fig. 6, B_p = 32) and `--law q3-joint` (Fig. 10), by difficulty; the token
    /// budget law exists for easy only (Fig. 23). Caps: the text's empirical saturation, easy 512,
    /// hard 128.
    public static func law(_ name: String, difficulty: Difficulty, unit: BudgetUnit) -> AllocationLawSpec? {
        switch (name, difficulty, unit) {
        case ("q1", .easy, .rollouts):
            AllocationLawSpec(
                name: "q1-easy", parameters: [6.09, 4.75, 5.84, 2.73], cap: 512,
                source: "IsoCompute Fig. 6 (easy, B_p = 32, rollouts)")
        case ("q1", .hard, .rollouts):
            AllocationLawSpec(
                name: "q1-hard", parameters: [4.47, 7.23, 5.84, 2.79], cap: 128,
                source: "IsoCompute Fig. 6 (hard, B_p = 32, rollouts)")
        case ("q3-joint", .easy, .rollouts):
            AllocationLawSpec(
                name: "q3-joint-easy", parameters: [5.67, 8.84, 6.08, 3.08], cap: 512,
                source: "IsoCompute Fig. 10 (easy, joint over B_p)")
        case ("q3-joint", .hard, .rollouts):
            AllocationLawSpec(
                name: "q3-joint-hard", parameters: [3.97, 50, 6.13, 3.04], cap: 128,
                source: "IsoCompute Fig. 10 (hard, joint over B_p)")
        case ("q1", .easy, .tokens), ("q3-joint", .easy, .tokens):
            AllocationLawSpec(
                name: "q1-easy-tokens", parameters: [6.62, 3.47, 9.18, 2.64], cap: 512,
                source: "IsoCompute Fig. 23 (easy, B_p = 32, tokens)")
        default: nil
        }
    }

    /// The fixed-batch law n*(M) (Fig. 8; easy, B = 8,192; linear in M).
    public static let fixedBatchEasy = AllocationLawSpec(
        name: "q2-easy-B8192", parameters: [7.10, 0.01, 91.7, 2.00], logInput: false,
        cap: 512, source: "IsoCompute Fig. 8 (easy, B = 8,192, n*(M))")
}

/// What the data say about compute outside the frontier they identify: a plan there is an
/// extrapolation, and its n* interval widens (docs/TRAINING_PLANNER.md, "Honest extrapolation").
public struct DataRange: Sendable, Equatable {
    /// The compute the frontier is identified on.
    public var compute: ClosedRange<Double>
    /// The largest n still rising at the end of its data: beyond the range n* may reach it.
    public var ceiling: Int?
    /// How fast the interval widens, in doublings of n per decade outside the range.
    public var doublingsPerDecade: Double

    /// One doubling per decade: a choice (docs/TRAINING_PLANNER.md, rule 7), `--extrapolation-widening`.
    public static let defaultDoublingsPerDecade = 1.0

    public init(
        compute: ClosedRange<Double>, ceiling: Int? = nil, doublingsPerDecade: Double = defaultDoublingsPerDecade
    ) {
        self.compute = compute
        self.ceiling = ceiling
        self.doublingsPerDecade = doublingsPerDecade
    }
}

/// Turns a budget and a law into (n, B_p, M, η) and a recipe (the playbook's §10 rules).
public enum TrainingPlanner {
    /// - Parameters:
    ///   - budget: C in rollouts (or tokens with `unit` `.tokens` and `tokensPerRollout`).
    ///   - difficulty: the plan's population: easy, hard, or mixed (planned as hard, warned).
    ///   - batch: a fixed B = B_p·n (fixed-batch mode, n*(M) with M = C/B).
    ///   - problems: the train-set size D (B_p ≤ D; small sets warn that saturation is lower).
    ///   - lawSamples: the law's bootstrap parameter vectors, when known: the plan's n* interval
    ///     (``optimalRolloutsInterval(law:at:samples:)``; not in fixed-batch mode).
    ///   - dataRange: the compute the data identify the frontier on; outside it the interval
    ///     widens (``widenedForExtrapolation(_:optimal:at:data:)``).
    public static func plan(
        budget: Double, unit: BudgetUnit = .rollouts, tokensPerRollout: Double? = nil,
        difficulty: PlanDifficulty,
        law: AllocationLawSpec, lawSource: String, batch: Int? = nil, problems: Int? = nil,
        problemsPerBatch preferred: Int = 32, lawSamples: [[Double]] = [], dataRange: DataRange? = nil
    ) throws(DomainError) -> Plan {
        var warnings: [String] = []
        let hardRecipe = difficulty != .easy
        if difficulty == .mixed {
            warnings.append("mixed sets are planned with the hard recipe (no KL, no entropy bonus)")
        }
        let rollouts = try rolloutBudget(
            budget, unit: unit, tokensPerRollout: tokensPerRollout, law: law, problemsPerBatch: preferred, batch: batch,
            warnings: &warnings)
        var allocation: Allocation
        if let batch {
            allocation = try fixedBatchAllocation(
                batch, rollouts: rollouts, budget: budget, law: law, hardRecipe: hardRecipe, problems: problems,
                warnings: &warnings)
        } else {
            let x = law.name.hasSuffix("tokens") ? budget : rollouts
            allocation = freeAllocation(law, at: x, problemsPerBatch: preferred, samples: lawSamples)
            if let data = dataRange, !data.compute.contains(x) {
                allocation.interval = widenedForExtrapolation(
                    allocation.interval, optimal: allocation.optimal, at: x, data: data)
                warnings.append(
                    "the budget lies \(String(format: "%.2g", decadesOutside(x, data.compute))) decade(s) outside the "
                        + "compute the data identify the frontier on (\(String(format: "%.3g", data.compute.lowerBound))–"
                        + "\(String(format: "%.3g", data.compute.upperBound))): extrapolated; the n* interval widens by "
                        + "\(data.doublingsPerDecade) doubling(s) of n per decade outside"
                        + (data.ceiling.map {
                            " and reaches n = \($0), the largest n still rising at the end of its data"
                        } ?? ""))
            }
        }
        if let problems, problems < 1000 {
            warnings.append(
                "a small train set (D = \(problems)) saturates at a smaller n than the law's (the paper: D = 500 → 256); consider a lower n"
            )
        }
        if batch == nil {
            fitToData(&allocation, rollouts: rollouts, problems: problems, hardRecipe: hardRecipe, warnings: &warnings)
        }
        let (n, bp) = (allocation.n, allocation.bp)
        let steps = Int(rollouts / Double(bp * n))
        guard steps >= 1 else {
            throw .invalid(field: "budget", value: String(budget), reason: "buys no step of B_p·n = \(bp * n) rollouts")
        }
        let learningRate = TrainingPlanner.learningRate(batch: bp * n)
        let rationale =
            allocation.rationale
            + " M = C/(B_p·n) = \(steps); η = 1e-6·√(B_p·n/1024) = \(String(format: "%.3g", learningRate)) (the square-root rule)."
        var plan = Plan(
            budget: budget, unit: unit, difficulty: difficulty, rolloutsPerProblem: n, problemsPerBatch: bp,
            steps: steps,
            learningRate: learningRate, optimalRollouts: allocation.optimal, lawSource: lawSource,
            lawParameters: law.parameters, recipe: recipe(hard: hardRecipe), rationale: rationale, warnings: warnings)
        plan.fixedBatch = batch
        plan.problems = problems
        plan.optimalRolloutsInterval = allocation.interval
        return plan
    }

    /// The square-root rule η(B) = 1e-6·√(B/1024), B = B_p·n.
    public static func learningRate(batch: Int) -> Double { 1e-6 * (Double(batch) / 1024).squareRoot() }

    /// n and B_p before the steps are counted, with the law's unrounded n*, its interval and why.
    struct Allocation {
        var n: Int
        var bp: Int
        var optimal: Double
        var interval: [Double]?
        var rationale: String
    }

    /// The budget in rollouts (a token budget divided by tokens per rollout), after the limits.
    static func rolloutBudget(
        _ budget: Double, unit: BudgetUnit, tokensPerRollout: Double?, law: AllocationLawSpec, problemsPerBatch: Int,
        batch: Int?, warnings: inout [String]
    ) throws(DomainError) -> Double {
        guard budget > 0, budget <= Limits.maxPlanBudget else {
            throw .invalid(field: "budget", value: String(budget), reason: "must lie in (0, 1e18]")
        }
        guard problemsPerBatch >= 1, problemsPerBatch <= Limits.maxProblemsPerBatch, (batch ?? 2) <= Limits.maxBatch
        else {
            throw .invalid(
                field: "B_p or batch", value: "\(problemsPerBatch), \(batch ?? 0)",
                reason: "B_p ≤ 2^24 and B ≤ 2^30 are supported")
        }
        var rollouts = budget
        if unit == .tokens {
            guard let tokensPerRollout, tokensPerRollout >= 1 else {
                throw .invalid(
                    field: "tokens-per-rollout", value: "-",
                    reason: "a token budget needs tokens per rollout (≥ 1) to count steps")
            }
            rollouts = budget / tokensPerRollout
            if !law.name.hasSuffix("tokens") {
                warnings.append(
                    "no published token law for this difficulty: n comes from the rollouts law at C/T = \(String(format: "%g", rollouts)) rollouts"
                )
            }
        }
        guard rollouts <= Limits.maxPlanBudget else {
            throw .invalid(field: "budget", value: String(budget), reason: "more than 1e18 rollouts")
        }
        return rollouts
    }

    /// Fixed-batch mode: n from the n*(M) law at M = C/B, a power of two that divides B, keeps
    /// B_p = B/n at least the recipe's floor and within D, and stays under the saturation.
    static func fixedBatchAllocation(
        _ batch: Int, rollouts: Double, budget: Double, law: AllocationLawSpec, hardRecipe: Bool, problems: Int?,
        warnings: inout [String]
    ) throws(DomainError) -> Allocation {
        guard batch >= 2 else { throw .invalid(field: "batch", value: String(batch), reason: "must be ≥ 2") }
        guard rollouts >= Double(batch) else {
            throw .invalid(field: "budget", value: String(budget), reason: "buys no step of B = \(batch) rollouts")
        }
        let m = rollouts / Double(batch)
        let fixedLaw = law.logInput ? PublishedLaws.fixedBatchEasy : law
        if law.logInput && hardRecipe {
            warnings.append(
                "the fixed-batch law n*(M) is the paper's easy fit; capped at this difficulty's saturation \(law.cap)"
            )
        }
        let optimal = fixedLaw.optimalRollouts(m)
        let minimumBatch = hardRecipe ? 32 : 1
        var n = clampPowerOfTwo(optimal, cap: max(min(fixedLaw.cap, law.cap, batch / minimumBatch), 2))
        if let problems, batch / n > problems {
            while batch / n > problems { n *= 2 }
            warnings.append("n raised to \(n) so that B_p = B/n fits the \(problems) train problems")
        }
        let bp = max(batch / n, 1)
        let rationale =
            "Fixed batch B = \(batch): M = C/B = \(Int(m)) steps; the n*(M) law (\(fixedLaw.source)) gives n* = \(String(format: "%.1f", optimal)), rounded to the power of two \(n); B_p = B/n = \(bp)."
        return Allocation(n: n, bp: bp, optimal: optimal, interval: nil, rationale: rationale)
    }

    /// Free mode: n* from the law at x, rounded to a power of two and capped at the saturation;
    /// B_p as preferred; the n* interval from the law's bootstrap samples.
    static func freeAllocation(_ law: AllocationLawSpec, at x: Double, problemsPerBatch: Int, samples: [[Double]])
        -> Allocation
    {
        let optimal = law.optimalRollouts(x)
        let n = clampPowerOfTwo(optimal, cap: law.cap)
        let capped = clampPowerOfTwo(optimal, cap: Int.max) > law.cap
        let rationale =
            "The law \(law.name) (\(law.source)) gives n*(\(String(format: "%g", x))) = \(String(format: "%.1f", optimal)); rounded to a power of two\(capped ? " and capped at the saturation \(law.cap)" : ""): n = \(n). B_p = \(problemsPerBatch) (the frontier's range is 32–128; B_p is a stability knob), and M takes the rest."
        return Allocation(
            n: n, bp: problemsPerBatch, optimal: optimal,
            interval: optimalRolloutsInterval(law: law, at: x, samples: samples), rationale: rationale)
    }

    /// Free mode's adjustments to the data and the budget: B_p within D, at least 32 on hard or
    /// skewed sets, and n halved until the budget pays one step.
    static func fitToData(
        _ allocation: inout Allocation, rollouts: Double, problems: Int?, hardRecipe: Bool, warnings: inout [String]
    ) {
        if let problems, allocation.bp > problems {
            allocation.bp = problems
            warnings.append("B_p lowered to the \(problems) train problems")
        }
        if hardRecipe && allocation.bp < 32 {
            allocation.bp = 32
            warnings.append("B_p raised to 32, the minimum for hard or skewed sets")
        }
        while allocation.n > 2 && rollouts < Double(allocation.bp * allocation.n) {
            allocation.n /= 2
            warnings.append("n halved to \(allocation.n) so the budget buys at least one step")
        }
    }

    /// The playbook's recipe: KL and entropy bonus off on hard or skewed sets.
    static func recipe(hard: Bool) -> [String: String] {
        [
            "kl": hard ? "off" : "on", "entropy_bonus": hard ? "off" : "on", "zero_variance_filter": "off",
            "policy": "on-policy GRPO with TIS", "temperature": "0.6", "optimizer": "AdamW, 10 warm-up steps",
        ]
    }

    /// Decades from x to the nearest end of `range` (0 inside).
    static func decadesOutside(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        x > range.upperBound ? log10(x / range.upperBound) : x < range.lowerBound ? log10(range.lowerBound / x) : 0
    }

    /// The n* interval at x outside the data's range: the bootstrap interval (or n* itself)
    /// widened in log2 by `doublingsPerDecade` per decade outside, on both sides; above the range
    /// it reaches at least the data's ceiling (an n that may still overtake).
    public static func widenedForExtrapolation(_ interval: [Double]?, optimal: Double, at x: Double, data: DataRange)
        -> [Double]
    {
        let factor = pow(2, data.doublingsPerDecade * decadesOutside(x, data.compute))
        let (low, high) = interval.map { ($0[0], $0[1]) } ?? (optimal, optimal)
        let ceiling = x > data.compute.upperBound ? Double(data.ceiling ?? 0) : 0
        return [min(low, optimal) / factor, max(max(high, optimal) * factor, ceiling)]
    }

    /// The 95% bootstrap interval of n*(x): the 2.5% and 97.5% quantiles of n* under each of the
    /// law's bootstrap parameter vectors `samples`; nil with fewer than 20 finite values.
    public static func optimalRolloutsInterval(law: AllocationLawSpec, at x: Double, samples: [[Double]]) -> [Double]? {
        let draws = samples.map { law.optimalRollouts(x, parameters: $0) }.filter(\.isFinite)
        guard draws.count >= 20 else { return nil }
        return quantiles(draws, [0.025, 0.975])
    }

    /// 2^round(log2 x), at least 2 and at most `cap`.
    static func clampPowerOfTwo(_ x: Double, cap: Int) -> Int {
        let rounded = Int(pow(2, log2(max(x, 2)).rounded()))
        return max(2, min(rounded, cap))
    }
}

/// The paper's difficulty bins applied to measured per-task counts (`--difficulty auto`).
public enum DifficultyClassifier {
    /// Each task's avg = successes/trials goes to easy ([0.3, 0.6]) or hard ([0, 0.0625]) — to the
    /// nearer bin when outside both, with a warning; a set with at least 80 % of its tasks in one
    /// bin is that bin, otherwise `mixed`.
    public static func classify(_ rates: SolveRates)
        -> (difficulty: PlanDifficulty, easy: Int, hard: Int, outside: Int, warnings: [String])
    {
        var (easy, hard, outside) = (0, 0, 0)
        for task in rates.tasks {
            let avg = Double(task.successes) / Double(task.trials)
            if avg >= 0.3 && avg <= 0.6 {
                easy += 1
            } else if avg <= 0.0625 {
                hard += 1
            } else {
                outside += 1
                if abs(avg - 0.0625) < (avg > 0.6 ? avg - 0.6 : 0.3 - avg) { hard += 1 } else { easy += 1 }
            }
        }
        var warnings: [String] = []
        if outside > 0 {
            warnings.append(
                "\(outside) of \(rates.tasks.count) tasks lie outside the paper's avg@16 bins and were put in the nearer one"
            )
        }
        let total = Double(rates.tasks.count)
        let difficulty: PlanDifficulty =
            Double(easy) >= 0.8 * total ? .easy : (Double(hard) >= 0.8 * total ? .hard : .mixed)
        return (difficulty, easy, hard, outside, warnings)
    }
}
