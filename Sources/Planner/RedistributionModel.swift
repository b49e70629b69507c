public import Domain
import Foundation
import NumericCore

/// Select-K + PDR + final RTV task by task, for the refined population's *shape*: every
/// iteration's per-task pass-count histogram, with two effects the population-independent chain
/// of ``PipelineModel`` leaves out (`docs/TEST_TIME.md`, "The refined population's shape"):
///
/// - **Refinement follows the task's own rate**: a refined rollout with i of K passing priors on a
///   task of rate p passes with `logit f(i, p) = δᵢ + γ·logit p`; the δᵢ are solved for the
///   population so that each select-K bucket of the first refinement step keeps the refinement
///   table's average (the reference measured its Table 2 there). γ comes from the reference's
///   ablation.
/// - **The judge is worse on hard tasks**: on a mixed pair of a task of rate p the winner passes
///   with `a(p) = expit(u + v·logit p)`; (u, v) are solved so that the mixed-pair-weighted average
///   of a(p) over each iteration's first judged round reproduces the given group accuracies of the
///   iterations (least squares with more than two; with one accuracy, v = 0: the same judge on
///   every task). ``Prediction/judgeAccuracies`` says how close the fit came.
///
/// The population is integrated over quadrature nodes of the solve-rate model (its point masses
/// and logit-spaced bins of its Beta part with exact masses). Select-K only, T ≥ 2, K = the
/// refinement table's K.
public enum RedistributionModel {
    /// What the reference's ablation fixes (`experiments/tts-shape/run10.py`: fitted to Claude-4.5-
    /// Sonnet's Table 1 and Figure 6 — iteration 0 and the single-prior and random-K iterations 1,
    /// and their tasks at 16/16).
    public struct Calibration: Codable, Hashable, Sendable {
        /// γ, the weight of the task's own rate in a refined rollout's logit.
        public var ownRateWeight: Double
        /// The refinement table: success with 0…K passing priors under select-K (default: the
        /// reference's Table 2, averaged over its two models).
        public var refinementTable: [Double]

        public init(ownRateWeight: Double, refinementTable: [Double] = RefinementModel.referenceTable) {
            precondition(refinementTable.count >= 2, "the refinement table needs K + 1 ≥ 2 values")
            self.ownRateWeight = ownRateWeight
            self.refinementTable = refinementTable
        }

        /// γ = 0.96 with the reference's Table 2.
        public static let reference = Calibration(ownRateWeight: 0.96)
    }

    /// The model's answer for one pipeline over one population.
    public struct Prediction: Codable, Hashable, Sendable {
        /// Iteration 0 first, each with its pass-count histogram and its priors' pass@1.
        public var iterations: [IterationQuality]
        /// P(the final answer passes), averaged over tasks.
        public var accuracy: Double
        /// The judge on a mixed pair of a task of rate p: `expit(judgeIntercept + judgeSlope·logit p)`.
        public var judgeIntercept: Double
        public var judgeSlope: Double
        /// The model's judge accuracies per iteration (the mixed-pair-weighted a(p)), to compare
        /// with the given ones.
        public var judgeAccuracies: [Double]
        /// δ₀…δ_K of the refinement.
        public var refinementOffsets: [Double]

        /// The judge's pair accuracy on a task of rate `p`.
        public func judgeAccuracy(solveRate p: Double) -> Double {
            logistic(judgeIntercept + judgeSlope * clampedLogit(p))
        }
    }

    /// Predicts `pipeline` (select-K, T ≥ 2, K = the table's K) over `population`, with
    /// `pairAccuracies[t]` the group accuracy of iteration t's judge on mixed pairs (one value:
    /// every iteration; more than two are fitted together).
    public static func predict(
        population: SolveRateModel, pipeline: TestTimePipeline, pairAccuracies: [Double],
        calibration: Calibration = .reference
    ) throws(DomainError) -> Prediction {
        let c = pipeline.configuration
        let k = calibration.refinementTable.count - 1
        guard pipeline.selection == .select, c.iterations >= 2, c.priors == k, c.rollouts > k,
            TournamentRounds.shrink(c.rollouts, to: k, groupSize: c.groupSize).survivors == k
        else {
            throw .invalid(
                field: "configuration", value: pipeline.specification,
                reason:
                    "the redistribution model needs select-K with T ≥ 2, K = \(k) (the refinement table's) and N > K")
        }
        guard !pairAccuracies.isEmpty, pairAccuracies.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw .invalid(
                field: "judge", value: pairAccuracies.map { String($0) }.joined(separator: ","),
                reason: "the redistribution model needs pair accuracies in (0, 1)")
        }
        let chain = Chain(population: population, pipeline: pipeline, calibration: calibration)
        let rows = Array(pairAccuracies.prefix(c.iterations))
        var judge = (intercept: logit(rows[0]), slope: 0.0)
        if rows.count > 1 {
            let fit = NelderMead.minimize(
                { x in
                    let model = chain.run(intercept: x[0], slope: x[1]).judgeAccuracies
                    return zip(model, rows).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                }, start: [logit(rows[0]), 0], step: 0.5, tolerance: 1e-10, maxEvaluations: 300)
            judge = (fit.x[0], fit.x[1])
        }
        return chain.run(intercept: judge.intercept, slope: judge.slope)
    }

    /// logit p, finite at p ∈ {0, 1}.
    static func clampedLogit(_ p: Double) -> Double { logit(min(max(p, 1e-13), 1 - 1e-13)) }
}

extension RedistributionModel {
    /// The per-node computation for one judge curve; memoises tournaments by rounded accuracy.
    final class Chain {
        let nodes: [(rate: Double, weight: Double)]
        let n: Int
        let configuration: PipelineConfiguration
        let calibration: Calibration
        private var tournaments: [Int: (survivors: [[Double]], final: [Double])] = [:]

        init(population: SolveRateModel, pipeline: TestTimePipeline, calibration: Calibration) {
            nodes = population.quadratureNodes()
            n = pipeline.configuration.rollouts
            configuration = pipeline.configuration
            self.calibration = calibration
        }

        /// Select-K survivors (row j → passing priors i) and final-RTV accuracy (by j) for a pair
        /// accuracy, rounded to 1e-3 (a grid of at most 999 tournaments).
        func tournament(pairAccuracy a: Double) -> (survivors: [[Double]], final: [Double]) {
            let key = Int((min(max(a, 1e-3), 1 - 1e-3) * 1_000).rounded())
            if let hit = tournaments[key] { return hit }
            let judge = JudgeModel(pairAccuracy: Double(key) / 1_000, votes: configuration.votes)
            let rtv = TournamentTransitions(
                groupSize: configuration.groupSize, votes: configuration.votes, judge: judge)
            let value = (
                rtv.survivors(of: n, stopAt: configuration.priors).distribution,
                (0...n).map { rtv.accuracy(passing: $0, candidates: n) }
            )
            tournaments[key] = value
            return value
        }

        func run(intercept: Double, slope: Double) -> Prediction {
            let k = configuration.priors
            let logits = nodes.map { clampedLogit($0.rate) }
            let judged = logits.map { tournament(pairAccuracy: logistic(intercept + slope * $0)) }
            let accuracies = logits.map { logistic(intercept + slope * $0) }
            var histograms = nodes.map { node in
                (0...n).map { binomialProbability(trials: n, successes: $0, probability: node.rate) }
            }
            let offsets = refinementOffsets(histograms, judged: judged, logits: logits)
            let refined = logits.map { lp in
                (0...k).map { i in
                    let f = logistic(offsets[i] + calibration.ownRateWeight * lp)
                    return (0...n).map { binomialProbability(trials: n, successes: $0, probability: f) }
                }
            }
            var iterations: [IterationQuality] = []
            var judgeAccuracies: [Double] = []
            for t in 0..<configuration.iterations {
                judgeAccuracies.append(mixedPairAverage(histograms, accuracies))
                var quality = aggregate(histograms)
                if t == configuration.iterations - 1 {
                    iterations.append(quality)
                    break
                }
                var priors = 0.0
                histograms = histograms.indices.map { node in
                    let contexts = passingPriors(histograms[node], judged[node].survivors)
                    priors +=
                        nodes[node].weight * contexts.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
                    var next = [Double](repeating: 0, count: n + 1)
                    for (i, pi) in contexts.enumerated() where pi > 0 {
                        for j in 0...n { next[j] += pi * refined[node][i][j] }
                    }
                    return next
                }
                quality.priorsPassAt1 = priors / Double(k)
                iterations.append(quality)
            }
            let accuracy = histograms.indices.reduce(0.0) { total, node in
                total + nodes[node].weight * zip(histograms[node], judged[node].final).reduce(0) { $0 + $1.0 * $1.1 }
            }
            return Prediction(
                iterations: iterations, accuracy: accuracy, judgeIntercept: intercept, judgeSlope: slope,
                judgeAccuracies: judgeAccuracies, refinementOffsets: offsets)
        }

        /// δᵢ such that the select-K bucket with i passing priors averages the table's value over
        /// the population (bisection; a bucket nobody reaches keeps logit of its value).
        private func refinementOffsets(
            _ histograms: [[Double]], judged: [(survivors: [[Double]], final: [Double])], logits: [Double]
        ) -> [Double] {
            let masses = histograms.indices.map { node in
                passingPriors(histograms[node], judged[node].survivors).map { $0 * nodes[node].weight }
            }
            return calibration.refinementTable.enumerated().map { i, target in
                let total = masses.reduce(0) { $0 + $1[i] }
                let goal = min(max(target, 1e-9), 1 - 1e-9)
                guard total > 1e-300 else { return logit(goal) }
                var (low, high) = (-80.0, 80.0)
                for _ in 0..<200 where high - low > 1e-12 {
                    let mid = (low + high) / 2
                    let mean =
                        masses.indices.reduce(0.0) {
                            $0 + masses[$1][i] * logistic(mid + calibration.ownRateWeight * logits[$1])
                        } / total
                    if mean < goal { low = mid } else { high = mid }
                }
                return (low + high) / 2
            }
        }

        /// The distribution of passing priors given a node's pass-count histogram.
        private func passingPriors(_ histogram: [Double], _ survivors: [[Double]]) -> [Double] {
            var result = [Double](repeating: 0, count: configuration.priors + 1)
            for (j, pj) in histogram.enumerated() where pj > 0 {
                for (i, pi) in survivors[j].enumerated() { result[i] += pj * pi }
            }
            return result
        }

        /// a(p) averaged over the mixed pairs of a first judged round (j(N − j)/(N − 1) expected
        /// mixed pairs among N/2 random pairs with j passing).
        private func mixedPairAverage(_ histograms: [[Double]], _ accuracies: [Double]) -> Double {
            var (numerator, denominator) = (0.0, 0.0)
            for node in histograms.indices {
                let mixed = histograms[node].enumerated().reduce(0.0) {
                    $0 + $1.element * Double($1.offset * (n - $1.offset)) / Double(n - 1)
                }
                numerator += nodes[node].weight * mixed * accuracies[node]
                denominator += nodes[node].weight * mixed
            }
            return denominator > 0 ? numerator / denominator : .nan
        }

        /// The population's histogram, pass@1 and pass@N.
        private func aggregate(_ histograms: [[Double]]) -> IterationQuality {
            var total = [Double](repeating: 0, count: n + 1)
            for (node, histogram) in histograms.enumerated() {
                for j in 0...n { total[j] += nodes[node].weight * histogram[j] }
            }
            let mean = total.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element } / Double(n)
            return IterationQuality(passAt1: mean, passAtN: 1 - total[0], passingDistribution: total)
        }
    }
}

extension SolveRateModel {
    /// The model as weighted solve rates: its point masses, and its Beta part cut into `bins`
    /// logit-spaced bins (edges expit(z), z ∈ [−16, 16]), each with its exact mass and mean
    /// (`I_x(α + 1, β)` gives the partial first moment).
    public func quadratureNodes(bins: Int = 120) -> [(rate: Double, weight: Double)] {
        let part = 1 - pointMassZero - pointMassOne
        var nodes: [(rate: Double, weight: Double)] = []
        if pointMassZero > 0 { nodes.append((0, pointMassZero)) }
        if pointMassOne > 0 { nodes.append((1, pointMassOne)) }
        guard part > 0 else { return nodes }
        let edges = [0.0] + (1..<bins).map { logistic(-16 + 32 * Double($0) / Double(bins)) } + [1.0]
        let mass = edges.map { regularizedIncompleteBeta(x: $0, a: alpha, b: beta) }
        let moment = edges.map { regularizedIncompleteBeta(x: $0, a: alpha + 1, b: beta) }
        let mean = alpha / (alpha + beta)
        for b in 0..<bins {
            let w = mass[b + 1] - mass[b]
            guard w > 0 else { continue }
            let rate = min(max(mean * (moment[b + 1] - moment[b]) / w, edges[b]), edges[b + 1])
            nodes.append((rate, part * w))
        }
        return nodes
    }

    /// A point mass at p = 0 plus a Beta part of concentration `concentration`, with population
    /// pass@1 `passAt1` and a fraction `zeroShare` of tasks with none of `rollouts` rollouts
    /// passing (the share a user reads off iteration 0). Throws when no weight at 0 gives that
    /// share (it must lie between the Beta's own and 1 − pass@1).
    public static func matching(
        passAt1 mu: Double, zeroShare: Double, rollouts n: Int, concentration kappa: Double = ablationConcentration
    ) throws(DomainError) -> SolveRateModel {
        guard mu > 0 && mu < 1 else {
            throw .invalid(field: "pass@1", value: String(mu), reason: "need 0 < pass@1 < 1")
        }
        guard kappa > 0 else {
            throw .invalid(field: "concentration", value: String(kappa), reason: "must be positive")
        }
        guard n >= 1 else { throw .invalid(field: "rollouts", value: String(n), reason: "need at least one") }
        func model(_ w0: Double) -> SolveRateModel {
            let m = mu / (1 - w0)
            return SolveRateModel(kind: .mixture, alpha: m * kappa, beta: (1 - m) * kappa, pointMassZero: w0)
        }
        func zeros(_ w0: Double) -> Double { model(w0).passingDistribution(rollouts: n)[0] }
        let (lowest, highest) = (zeros(0), 1 - mu)
        guard zeroShare >= lowest && zeroShare < highest else {
            throw .invalid(
                field: "zero share", value: String(zeroShare),
                reason: String(
                    format:
                        "with pass@1 %.4g and a Beta part of α + β = %.3g, the share of tasks at 0/%d must lie in [%.4f, %.4f)",
                    mu, kappa, n, lowest, highest))
        }
        var (low, high) = (0.0, 1 - mu)
        for _ in 0..<200 where high - low > 1e-14 {
            let mid = (low + high) / 2
            if zeros(mid) < zeroShare { low = mid } else { high = mid }
        }
        return model((low + high) / 2)
    }

    /// The Beta part's concentration the reference's ablation gives (Claude-4.5-Sonnet on 100 SWE
    /// tasks: Beta(1.078, 0.321) beside a point mass at 0; `experiments/tts-shape/run10.py`).
    public static let ablationConcentration = 1.399
}
