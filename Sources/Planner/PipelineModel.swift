public import Domain
import Foundation
import NumericCore

/// Success of a refined rollout as a logistic in the fraction of passing priors in its context:
/// `f(i) = logistic(intercept + slope·i/K)`.
///
/// The reference's Table 2 shows that prior quality nearly decides a refined rollout (0/4
/// passing priors → 0.1–0.6 %, 4/4 → 99 %); the model keeps exactly that dependence and nothing
/// else — a refined rollout's success does not depend on the task's own solve rate, only on
/// which priors the selection found (documented in `docs/TEST_TIME.md`).
public struct RefinementModel: Codable, Hashable, Sendable {
    public var intercept: Double
    public var slope: Double

    public init(intercept: Double, slope: Double) {
        self.intercept = intercept
        self.slope = slope
    }

    /// P(a refined rollout passes | `i` of its `k` priors come from passing rollouts).
    public func successProbability(passingPriors i: Int, of k: Int) -> Double {
        precondition(k >= 1 && i >= 0 && i <= k, "need 0 ≤ i ≤ k, k ≥ 1")
        return logistic(intercept + slope * Double(i) / Double(k))
    }

    /// Least squares on the logit scale through a lookup table `table[i]` = success with i of
    /// `table.count − 1` priors passing (values clamped to [1e-6, 1 − 1e-6]). The logit scale
    /// weighs the rare-success end by relative error, which is what decides P(≥ 1 of N passes)
    /// on hard tasks.
    public static func fit(table: [Double]) -> RefinementModel {
        precondition(table.count >= 2 && table.allSatisfy { $0 >= 0 && $0 <= 1 }, "need ≥ 2 probabilities in [0, 1]")
        let k = Double(table.count - 1)
        let xs = table.indices.map { Double($0) / k }
        let ys = table.map { logit(min(max($0, 1e-6), 1 - 1e-6)) }
        let (mx, my) = (xs.reduce(0, +) / Double(xs.count), ys.reduce(0, +) / Double(ys.count))
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let slope = sxy / sxx
        return RefinementModel(intercept: my - slope * mx, slope: slope)
    }

    /// The reference's Table 2 (SWE, K = 4), averaged over its two models (Claude-4.5-Opus and
    /// Gemini-3.1-Pro): success with 0…4 passing priors.
    public static let referenceTable = [0.0035, 0.3515, 0.4695, 0.862, 0.995]

    /// ``fit(table:)`` of ``referenceTable``: intercept −4.719, slope 9.734 (f = 0.009, 0.092, 0.537, 0.930, 0.993 for 0…4 of 4).
    public static let reference = fit(table: referenceTable)
}

/// A test-time pipeline to score: the configuration and how priors are chosen.
public struct TestTimePipeline: Codable, Hashable, Sendable {
    public var configuration: PipelineConfiguration
    public var selection: PriorSelection

    public init(configuration: PipelineConfiguration, selection: PriorSelection = .select) {
        self.configuration = configuration
        self.selection = selection
    }
}

/// Coverage of one iteration's N rollouts.
public struct IterationQuality: Codable, Hashable, Sendable {
    /// Expected fraction of passing rollouts.
    public var passAt1: Double
    /// P(at least one of the N passes) — the ceiling of any selection from this iteration.
    public var passAtN: Double
    /// P(j of the N rollouts of a task pass), j = 0…N: the per-task pass-count histogram over
    /// the population (times the task count, the expected number of tasks at j/N).
    public var passingDistribution: [Double]
    /// Expected fraction of passing rollouts among the priors chosen from this iteration for the
    /// next (the reference's "Sel-K" column for select-K); nil for the last iteration.
    public var priorsPassAt1: Double?
}

/// The model's prediction for one pipeline over a task population.
public struct PipelinePrediction: Codable, Hashable, Sendable {
    /// P(the final answer passes), averaged over tasks.
    public var accuracy: Double
    /// Iteration 0 first.
    public var iterations: [IterationQuality]
}

/// Select-K then PDR then a final RTV, analytically: a Markov chain on the number j of passing
/// rollouts among an iteration's N.
///
/// - Iteration 0: j ~ the solve-rate model's passing distribution (Beta-binomial per task).
/// - Refinement step t → t + 1: select-K plays whole RTV rounds, judged by iteration t's judge,
///   down to K' ≤ K survivors (the exact survivor distribution of ``TournamentTransitions``), and
///   every refined rollout, sharing that context, passes with f(i) given i passing priors:
///   j' ~ Binomial(N, f(i)). Random-K gives each refined rollout its own hypergeometric context:
///   j' ~ Binomial(N, Σᵢ Hyp(i; N, j, K)·f(i)). Own-summary gives rollout i the previous rollout i
///   as its one prior: j' ~ Binomial(j, f(1 of 1)) + Binomial(N − j, f(0 of 1)).
/// - Final RTV over the last iteration's N only (the reference's pipeline), judged by that
///   iteration's judge.
///
/// Since f does not depend on the task's rate, the chain after iteration 0 is the same for every
/// task; `successByInitialPassing` is therefore independent of the population and a bootstrap or
/// a sweep over shapes costs one dot product each. Memoised; not thread-safe.
public final class PipelineModel {
    public let judges: JudgeSchedule
    public let refinement: RefinementModel
    private var tournaments: [TournamentKey: TournamentTransitions] = [:]
    private var steps: [StepKey: [[Double]]] = [:]
    private var outcomes: [TestTimePipeline: [Double]] = [:]

    public init(judges: JudgeSchedule, refinement: RefinementModel = .reference) {
        self.judges = judges
        self.refinement = refinement
    }

    /// The same judge in every iteration.
    public convenience init(judge: JudgeModel, refinement: RefinementModel = .reference) {
        self.init(judges: JudgeSchedule(judge), refinement: refinement)
    }

    /// Iteration 0's judge.
    public var judge: JudgeModel { judges.judge(forIteration: 0) }

    /// The memoised RTV transitions for G and V under iteration `t`'s judge.
    public func tournament(groupSize: Int, votes: Int, iteration t: Int = 0) -> TournamentTransitions {
        let judge = judges.judge(forIteration: t)
        let key = TournamentKey(groupSize: groupSize, votes: votes, judge: judge)
        if let hit = tournaments[key] { return hit }
        let value = TournamentTransitions(groupSize: groupSize, votes: votes, judge: judge)
        tournaments[key] = value
        return value
    }

    /// The refinement step from iteration `t` to t + 1: row j (passing among N in iteration t) is
    /// the distribution of passing rollouts in iteration t + 1.
    public func refinementStep(_ pipeline: TestTimePipeline, from t: Int = 0) -> [[Double]] {
        let c = pipeline.configuration
        let n = c.rollouts
        // Only select-K consults a judge; the other selections share one step for every t.
        let judge = pipeline.selection == .select ? judges.judge(forIteration: t) : nil
        let key = StepKey(
            rollouts: n, groupSize: c.groupSize, votes: c.votes, priors: c.priors, selection: pipeline.selection,
            judge: judge)
        if let hit = steps[key] { return hit }
        let matrix: [[Double]]
        switch pipeline.selection {
        case .select:
            let (k, survivors) = tournament(groupSize: c.groupSize, votes: c.votes, iteration: t)
                .survivors(of: n, stopAt: c.priors)
            let refined = (0...k).map { i in
                let f = refinement.successProbability(passingPriors: i, of: k)
                return (0...n).map { binomialProbability(trials: n, successes: $0, probability: f) }
            }
            matrix = survivors.map { row in
                var next = [Double](repeating: 0, count: n + 1)
                for (i, pi) in row.enumerated() where pi > 0 { for j in 0...n { next[j] += pi * refined[i][j] } }
                return next
            }
        case .random:
            let k = c.priors
            matrix = (0...n).map { j in
                let f = (0...k).reduce(0.0) { total, i in
                    total + hypergeometricProbability(population: n, successes: j, draws: k, observed: i)
                        * refinement.successProbability(passingPriors: i, of: k)
                }
                return (0...n).map { binomialProbability(trials: n, successes: $0, probability: min(max(f, 0), 1)) }
            }
        case .own:
            let (fail, pass) = (
                refinement.successProbability(passingPriors: 0, of: 1),
                refinement.successProbability(passingPriors: 1, of: 1)
            )
            matrix = (0...n).map { j in
                let fromPassing = (0...j).map { binomialProbability(trials: j, successes: $0, probability: pass) }
                let fromFailing = (0...(n - j)).map {
                    binomialProbability(trials: n - j, successes: $0, probability: fail)
                }
                var next = [Double](repeating: 0, count: n + 1)
                for (a, pa) in fromPassing.enumerated() {
                    for (b, pb) in fromFailing.enumerated() { next[a + b] += pa * pb }
                }
                return next
            }
        }
        steps[key] = matrix
        return matrix
    }

    /// `w[j]` = P(the final answer passes | j of the N iteration-0 rollouts pass), for j = 0…N.
    public func successByInitialPassing(_ pipeline: TestTimePipeline) -> [Double] {
        if let hit = outcomes[pipeline] { return hit }
        let c = pipeline.configuration
        let last = max(c.iterations, 1) - 1
        let rtv = tournament(groupSize: c.groupSize, votes: c.votes, iteration: last)
        var w = (0...c.rollouts).map { rtv.accuracy(passing: $0, candidates: c.rollouts) }
        for t in stride(from: last - 1, through: 0, by: -1) {
            w = refinementStep(pipeline, from: t).map { row in zip(row, w).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        outcomes[pipeline] = w
        return w
    }

    /// Expected accuracy and per-iteration coverage and pass-count histograms over tasks whose
    /// rates follow `model`.
    public func predict(model: SolveRateModel, pipeline: TestTimePipeline) -> PipelinePrediction {
        let c = pipeline.configuration
        var distribution = model.passingDistribution(rollouts: c.rollouts)
        func quality() -> IterationQuality {
            let mean = distribution.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
            return IterationQuality(
                passAt1: mean / Double(c.rollouts), passAtN: 1 - distribution[0], passingDistribution: distribution)
        }
        var iterations = [quality()]
        let last = max(c.iterations, 1) - 1
        for t in 0..<last {
            iterations[t].priorsPassAt1 = priorsPassAt1(pipeline, iteration: t, distribution: distribution)
            let step = refinementStep(pipeline, from: t)
            var next = [Double](repeating: 0, count: c.rollouts + 1)
            for (j, pj) in distribution.enumerated() where pj > 0 {
                for k in 0...c.rollouts { next[k] += pj * step[j][k] }
            }
            distribution = next
            iterations.append(quality())
        }
        let rtv = tournament(groupSize: c.groupSize, votes: c.votes, iteration: last)
        let accuracy = distribution.enumerated().reduce(0) {
            $0 + $1.element * rtv.accuracy(passing: $1.offset, candidates: c.rollouts)
        }
        return PipelinePrediction(accuracy: accuracy, iterations: iterations)
    }

    /// Expected passing fraction of the priors chosen from iteration `t`, whose pass counts follow
    /// `distribution`: the select-K survivors' (under iteration t's judge), a random K-subset's
    /// (j/N in expectation), or each rollout's own summary (likewise j/N).
    func priorsPassAt1(_ pipeline: TestTimePipeline, iteration t: Int, distribution: [Double]) -> Double {
        let c = pipeline.configuration
        guard pipeline.selection == .select else {
            return distribution.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element } / Double(c.rollouts)
        }
        let (k, survivors) = tournament(groupSize: c.groupSize, votes: c.votes, iteration: t)
            .survivors(of: c.rollouts, stopAt: c.priors)
        return zip(distribution, survivors).reduce(0) { total, pair in
            total + pair.0 * pair.1.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element } / Double(k)
        }
    }

    /// Expected accuracy over `model`: the population's iteration-0 distribution dotted with
    /// ``successByInitialPassing(_:)``.
    public func expectedAccuracy(model: SolveRateModel, pipeline: TestTimePipeline) -> Double {
        zip(model.passingDistribution(rollouts: pipeline.configuration.rollouts), successByInitialPassing(pipeline))
            .reduce(0) { $0 + $1.0 * $1.1 }
    }
}

extension PipelineModel {
    /// Memo key of a tournament: its shape and judge.
    private struct TournamentKey: Hashable {
        var groupSize: Int
        var votes: Int
        var judge: JudgeModel
    }

    /// Memo key of a refinement step: N, G, V, K, the selection and (select-K only) the judge of
    /// the step's iteration — not T, so pipelines differing only in T share their steps.
    private struct StepKey: Hashable {
        var rollouts, groupSize, votes, priors: Int
        var selection: PriorSelection
        var judge: JudgeModel?
    }
}

/// Whole pipelines simulated task by task: the task's rate, every rollout's outcome, RTV vote by
/// vote (select-K and final), refined rollouts from their actual contexts.
public struct PipelineSimulator: Sendable {
    public var judges: JudgeSchedule
    public var refinement: RefinementModel

    public init(judges: JudgeSchedule, refinement: RefinementModel = .reference) {
        self.judges = judges
        self.refinement = refinement
    }

    /// The same judge in every iteration.
    public init(judge: JudgeModel, refinement: RefinementModel = .reference) {
        self.init(judges: JudgeSchedule(judge), refinement: refinement)
    }

    /// The fraction of `tasks` simulated tasks whose final answer passes, and its standard error.
    public func simulate(
        model: SolveRateModel, pipeline: TestTimePipeline, tasks: Int,
        seed: UInt64
    ) -> (mean: Double, standardError: Double) {
        let c = pipeline.configuration
        let n = c.rollouts
        var rng = Xoshiro256StarStar(seed: seed)
        let iterations = max(c.iterations, 1)
        var players = (0..<iterations).map {
            TournamentPlayer(groupSize: c.groupSize, votes: c.votes, judge: judges.judge(forIteration: $0))
        }
        var population = [Bool](repeating: false, count: n)
        var scratch = population
        var indices = Array(0..<n)
        var wins = 0
        for _ in 0..<tasks {
            let p = model.sampleSolveRate(using: &rng)
            for i in 0..<n { population[i] = rng.nextUniform() < p }
            for t in 0..<(iterations - 1) {
                scratch = population
                switch pipeline.selection {
                case .select:
                    let k = players[t].play(&scratch, count: n, stopAt: c.priors, using: &rng)
                    let passing = scratch[0..<k].reduce(0) { $0 + ($1 ? 1 : 0) }
                    let f = refinement.successProbability(passingPriors: passing, of: k)
                    for i in 0..<n { population[i] = rng.nextUniform() < f }
                case .random:
                    for i in 0..<n {
                        var passing = 0
                        for d in 0..<c.priors {  // partial Fisher–Yates: a K-subset without replacement
                            indices.swapAt(d, d + Int(rng.next() % UInt64(n - d)))
                            if scratch[indices[d]] { passing += 1 }
                        }
                        population[i] =
                            rng.nextUniform() < refinement.successProbability(passingPriors: passing, of: c.priors)
                    }
                case .own:
                    for i in 0..<n {
                        let f = refinement.successProbability(passingPriors: scratch[i] ? 1 : 0, of: 1)
                        population[i] = rng.nextUniform() < f
                    }
                }
            }
            _ = players[iterations - 1].play(&population, count: n, stopAt: 1, using: &rng)
            if population[0] { wins += 1 }
        }
        let mean = Double(wins) / Double(tasks)
        return (mean, (mean * (1 - mean) / Double(tasks)).squareRoot())
    }
}

extension TestTimePipeline {
    /// Parses `N=16,G=2,V=8[,K=4,T=2,S=select|random]` (keys in any order, case-insensitive;
    /// defaults G = 2, V = 8, K = 4, T = 1, S = select).
    public init(specification: String) throws(DomainError) {
        var values: [String: String] = [:]
        for part in specification.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, ["N", "G", "V", "K", "T", "S"].contains(pair[0].uppercased()) else {
                throw .invalid(
                    field: "configuration", value: String(part),
                    reason: "expected KEY=VALUE with KEY one of N, G, V, K, T, S")
            }
            values[pair[0].uppercased()] = pair[1]
        }
        func integer(_ key: String, _ fallback: Int?, minimum: Int) throws(DomainError) -> Int {
            guard let text = values[key] else {
                if let fallback { return fallback }
                throw .invalid(field: "configuration", value: specification, reason: "\(key) is required")
            }
            guard let value = Int(text), value >= minimum else {
                throw .invalid(field: key, value: text, reason: "must be a whole number ≥ \(minimum)")
            }
            return value
        }
        let n = try integer("N", nil, minimum: 1)
        let t = try integer("T", 1, minimum: 1)
        let k = try integer("K", min(4, n), minimum: 1)
        if t > 1 && k > n { throw .invalid(field: "K", value: String(k), reason: "must not exceed N = \(n)") }
        guard let selection = PriorSelection(rawValue: (values["S"] ?? "select").lowercased()), selection != .own else {
            throw .invalid(field: "S", value: values["S"]!, reason: "must be select or random")
        }
        self.init(
            configuration: PipelineConfiguration(
                rollouts: n, groupSize: try integer("G", 2, minimum: 2),
                votes: try integer("V", 8, minimum: 1), priors: k, iterations: t),
            selection: selection)
    }

    /// `N=16,G=2,V=8` for RTV alone, `N=16,G=2,V=8,K=4,T=2,S=select` with refinement, `N=1`
    /// for a single rollout.
    public var specification: String {
        let c = configuration
        if c.rollouts == 1 && c.iterations == 1 { return "N=1" }
        let base = "N=\(c.rollouts),G=\(c.groupSize),V=\(c.votes)"
        return c.iterations > 1 ? base + ",K=\(c.priors),T=\(c.iterations),S=\(selection.rawValue)" : base
    }
}
