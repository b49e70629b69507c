import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import RLSim
import Testing

@Suite("Simulator populations and mechanics")
struct RLSimMechanicsTests {
    @Test func committedParametersDecode() {
        let p = SimulationParameters.standard
        #expect(p.featureDimension == 32 && p.standardiseAdvantages && !p.filterZeroVariance)
        expectClose(p.baseLearningRate, 2.5e-3, relative: 1e-15)
        expectClose(p.exposureMemorisation, 3e4, relative: 1e-15)
    }

    /// Base avg@16 of the easy and hard populations follows the paper's histogram (chi-square on
    /// 16 base samples per problem, pooled bins), and extremely-hard has no success in 128.
    @Test func populationsFollowTheirBins() {
        let p = SimulationParameters.standard
        let easy = Population(source: .difficulty(.easy), trainSize: 20_000, validationSize: 1, parameters: p, seed: 3)
        let hard = Population(source: .difficulty(.hard), trainSize: 20_000, validationSize: 1, parameters: p, seed: 3)
        var rng = Xoshiro256StarStar(seed: 9)
        func avg16(_ population: Population) -> [Int] {
            var counts = [Int](repeating: 0, count: 17)
            for a in population.trainLogits {
                counts[Binomial.sample(trials: 16, probability: logistic(a), using: &rng)] += 1
            }
            return counts
        }
        // Resampling 16 outcomes of a posterior draw reproduces the bin's predictive distribution,
        // which puts mass outside the bin; the bins' own share stays dominant and the means sit
        // inside the bins.
        let easyMean = easy.trainLogits.reduce(0) { $0 + logistic($1) } / 20_000
        let hardMean = hard.trainLogits.reduce(0) { $0 + logistic($1) } / 20_000
        #expect(easyMean > 0.3 && easyMean < 0.6, "easy mean \(easyMean)")
        #expect(hardMean < 0.0625, "hard mean \(hardMean)")
        let hardCounts = avg16(hard)
        #expect(Double(hardCounts[0]) / 20_000 > 0.7, "hard 0/16 share \(hardCounts[0])")
        let easyCounts = avg16(easy)
        #expect(Double(easyCounts[5...9].reduce(0, +)) / 20_000 > 0.55)
        let extreme = Population(
            source: .difficulty(.extremelyHard), trainSize: 5_000, validationSize: 1, parameters: p, seed: 1)
        #expect(extreme.trainLogits.reduce(0) { $0 + logistic($1) } / 5_000 < 0.01)
        let tri = Population(
            source: .difficulty(.heteroTri), trainSize: 20_000, validationSize: 1, parameters: p, seed: 1)
        let veryEasy = tri.trainLogits.filter { logistic($0) > 0.6 }.count
        expectClose(Double(veryEasy) / 20_000, 0.25, absolute: 0.05)
    }

    @Test func evaluationGridIsLogSpacedAndStartsAtTheBasePolicy() {
        let targets = EvaluationGrid.targets(budget: 1e7)
        #expect(targets.count == 61)
        expectClose(targets.last!, 1e7, relative: 1e-12)
        expectClose(targets.first!, 1e3, relative: 1e-12)
        for (a, b) in zip(targets, targets.dropFirst()) { expectClose(b / a, pow(10, 4.0 / 60), relative: 1e-12) }
        let steps = EvaluationGrid.steps(rolloutsPerStep: 256, budget: 1e7)
        #expect(steps.first == 0 && steps.last == 39_062)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Same seed and configuration give identical runs, whatever the worker count and whatever
    /// else runs beside them; another seed gives another population and run.
    @Test func runsAreReproducible() throws {
        let configs = [
            SimulationConfiguration(rolloutsPerProblem: 8, problemsPerBatch: 16, budget: 2e4, seed: 1),
            SimulationConfiguration(rolloutsPerProblem: 32, problemsPerBatch: 16, budget: 2e4, seed: 1),
            SimulationConfiguration(rolloutsPerProblem: 8, problemsPerBatch: 16, budget: 2e4, seed: 2),
        ]
        func simulate(_ c: [SimulationConfiguration], workers: Int) throws -> [SimulatedRun] {
            try Simulator(source: .difficulty(.easy), trainSize: 200, validationSize: 50, workers: workers)
                .run(c) {
                    Run(
                        name: $0.runName(prefix: "t"), source: .sim, rolloutsPerProblem: $0.rolloutsPerProblem,
                        problemsPerBatch: $0.problemsPerBatch)
                }
        }
        let together = try simulate(configs, workers: 2)
        let alone = try simulate([configs[0]], workers: 1)
        #expect(together[0].points == alone[0].points)
        #expect(together[0].points != together[2].points)
        // 61 targets plus the base policy, every metric at every evaluation.
        let steps = Set(together[0].points.map(\.step))
        #expect(steps.contains(0) && steps.count == EvaluationGrid.steps(rolloutsPerStep: 128, budget: 2e4).count)
        #expect(together[0].points.filter { $0.metric == .validationReward }.count == steps.count)
        let last = together[1].points.last!
        #expect(last.rollouts == Double(configs[1].steps * 512))
        expectClose(
            try #require(last.tokens), last.rollouts * SimulationParameters.standard.tokensPerRollout, relative: 1e-12)
        expectClose(try #require(together[1].run.learningRate), 2.5e-3 * (512.0 / 1024).squareRoot(), relative: 1e-12)
    }

    /// Check 9: bad configurations are refused with a clear message before any work.
    @Test func badConfigurationsAreRefusedBeforeWork() {
        let simulator = Simulator(source: .difficulty(.hard), trainSize: 100)
        for (config, fragment) in [
            (SimulationConfiguration(rolloutsPerProblem: 1, problemsPerBatch: 8, budget: 1e4, seed: 0), "≥ 2"),
            (
                SimulationConfiguration(rolloutsPerProblem: 8, problemsPerBatch: 128, budget: 1e4, seed: 0),
                "exceeds the 100 train problems"
            ),
            (SimulationConfiguration(rolloutsPerProblem: 8, problemsPerBatch: 8, budget: -5, seed: 0), "positive"),
            (SimulationConfiguration(rolloutsPerProblem: 8, problemsPerBatch: 8, budget: 10, seed: 0), "buys no step"),
        ] {
            let good = SimulationConfiguration(rolloutsPerProblem: 8, problemsPerBatch: 8, budget: 1e9, seed: 0)
            #expect {
                _ = try simulator.run([good, config]) {
                    Run(
                        name: "x", source: .sim, rolloutsPerProblem: $0.rolloutsPerProblem,
                        problemsPerBatch: $0.problemsPerBatch)
                }
            } throws: { "\($0)".contains(fragment) }
        }
        #expect(SweepPreset.named("isocompute-q9") == nil)
        #expect(SweepPreset.q1Easy.grid.count == 39 && SweepPreset.q1Hard.grid.count == 27)
        let (kept, dropped) = SweepPreset.q1Easy.configurations(seeds: 2, trainSize: 500)
        #expect(dropped.count == 2 * 9 && kept.allSatisfy { $0.problemsPerBatch <= 500 })  // B_p 512 and 1024 dropped
        #expect(SweepPreset.q2Easy.grid.allSatisfy { $0.n * $0.bp == $0.fixedBatch })
    }
}

/// Reduced versions of the findings checks (issue 4 checks 1, 2 and 6): D = 2,000, V = 300,
/// C_max = 3·10⁶, 3 seeds, B_p = 32, n ∈ {8, …, 2048} — the full-size checks run from
/// `experiments/rlsim/`.
@Suite("Simulator findings (reduced)")
struct RLSimFindingsTests {
    static let ns = [8, 16, 32, 64, 128, 256, 512, 1024, 2048]

    static func simulate(_ difficulty: Difficulty) throws -> [SimulatedRun] {
        let configs = ns.flatMap { n in
            (0..<3).map {
                SimulationConfiguration(rolloutsPerProblem: n, problemsPerBatch: 32, budget: 3e6, seed: UInt64($0))
            }
        }
        return try Simulator(source: .difficulty(difficulty), trainSize: 2000).run(configs) {
            Run(
                name: $0.runName(prefix: difficulty.rawValue), source: .sim, rolloutsPerProblem: $0.rolloutsPerProblem,
                problemsPerBatch: $0.problemsPerBatch)
        }
    }

    static let easy = Result { try simulate(.easy) }
    static let hard = Result { try simulate(.hard) }
    static func summary(_ d: Difficulty, _ metric: MetricName = .validationReward) throws -> SweepSummary {
        SweepSummary(try (d == .easy ? easy : hard).get(), metric: metric)
    }
    static func key(_ n: Int) -> SweepSummary.Key { SweepSummary.Key(rolloutsPerProblem: n, problemsPerBatch: 32) }

    /// Check 1: n* rises with compute and saturates inside the grid, on easy and hard.
    @Test(arguments: [Difficulty.easy, .hard])
    func optimalRolloutsRiseThenSaturate(difficulty: Difficulty) throws {
        let summary = try Self.summary(difficulty)
        let path = summary.optimalRollouts(problemsPerBatch: 32)
        let early = path[summary.targets.firstIndex { $0 >= 1e5 }!]
        let saturation = summary.saturationRollouts(problemsPerBatch: 32)
        #expect(early < saturation, "n* at 1e5 = \(early), at C_max = \(saturation); path \(path)")
        #expect(saturation > 8 && saturation < 2048, "saturation n \(saturation) must lie inside the grid")
    }

    /// Check 2: hard saturates at a smaller n than easy.
    @Test func hardSaturatesBelowEasy() throws {
        let easy = try Self.summary(.easy).saturationRollouts(problemsPerBatch: 32)
        let hard = try Self.summary(.hard).saturationRollouts(problemsPerBatch: 32)
        #expect(hard < easy, "hard \(hard) vs easy \(easy)")
    }

    /// Check 6: on hard, larger n raises best@4 (coverage); on easy, larger n raises worst@4
    /// (sharpening) — from n = 8 to each set's saturation n.
    @Test func coverageOnHardSharpeningOnEasy() throws {
        let hardN = try Self.summary(.hard).saturationRollouts(problemsPerBatch: 32)
        let coverage = try Self.summary(.hard, .validationBest(at: 4)).best
        #expect(coverage[Self.key(hardN)]! > coverage[Self.key(8)]!, "hard best@4 at n = \(hardN) vs 8")
        let easyN = try Self.summary(.easy).saturationRollouts(problemsPerBatch: 32)
        let sharpening = try Self.summary(.easy, .validationWorst(at: 4)).best
        #expect(sharpening[Self.key(easyN)]! > sharpening[Self.key(8)]! * 1.05, "easy worst@4 at n = \(easyN) vs 8")
    }
}
