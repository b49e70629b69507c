import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import Planner
import Synchronization
import Testing

@Suite("PDR pipeline model")
struct PipelineTests {
    static var shapes: [SolveRateModel] { TournamentTests.shapes }

    @Test func referenceRefinementFollowsTable2() {
        let f = RefinementModel.reference
        expectClose(f.intercept, -4.718963916522843, absolute: 1e-9)  // numpy.polyfit on the logits
        expectClose(f.slope, 9.733614347910486, absolute: 1e-9)
        // The logistic keeps the table's shape: near 0 without passing priors, near 1 with all passing.
        #expect(f.successProbability(passingPriors: 0, of: 4) < 0.01)
        #expect(f.successProbability(passingPriors: 4, of: 4) > 0.99)
        let values = (0...4).map { f.successProbability(passingPriors: $0, of: 4) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        // A table that is exactly logistic is recovered exactly.
        let exact = (0...4).map { logistic(-2 + 3 * Double($0) / 4) }
        let refit = RefinementModel.fit(table: exact)
        expectClose(refit.intercept, -2, absolute: 1e-9)
        expectClose(refit.slope, 3, absolute: 1e-9)
    }

    /// T = 1 is RTV alone; the final accuracy never exceeds the last iteration's pass@N.
    @Test(arguments: [3, 8, 16, 17])
    func pipelinePropertiesHoldForEveryShape(rollouts n: Int) {
        for model in Self.shapes {
            for a in [0.5, 0.66, 0.9, 1.0] {
                let planner = PipelineModel(judge: JudgeModel(voteAccuracy: a))
                let rtvOnly = TestTimePipeline(
                    configuration: PipelineConfiguration(rollouts: n, groupSize: 2, votes: 8))
                let tournament = TournamentSettings(groupSize: 2, votes: 8)
                expectClose(
                    planner.expectedAccuracy(model: model, pipeline: rtvOnly),
                    TournamentModel.expectedAccuracy(
                        model: model, candidates: n, tournament: tournament,
                        judge: planner.judge),
                    absolute: 1e-12)
                for selection in PriorSelection.allCases {
                    for (k, t) in [(1, 2), (2, 2), (4, 2), (4, 3)] where k <= n {
                        let pipeline = TestTimePipeline(
                            configuration: PipelineConfiguration(
                                rollouts: n, groupSize: 2, votes: 8,
                                priors: k, iterations: t),
                            selection: selection)
                        let prediction = planner.predict(model: model, pipeline: pipeline)
                        #expect(prediction.iterations.count == t)
                        #expect(prediction.accuracy <= prediction.iterations.last!.passAtN + 1e-12, "\(pipeline)")
                        expectClose(
                            prediction.accuracy, planner.expectedAccuracy(model: model, pipeline: pipeline),
                            absolute: 1e-12)
                        // Iteration 0 is the population's own coverage.
                        expectClose(prediction.iterations[0].passAtN, model.expectedPassAtK(n), absolute: 1e-10)
                        expectClose(prediction.iterations[0].passAt1, model.meanSolveRate, absolute: 1e-10)
                        // With a perfect judge the answer passes whenever the last iteration has a passing rollout.
                        if a == 1 {
                            expectClose(prediction.accuracy, prediction.iterations.last!.passAtN, absolute: 1e-10)
                        }
                    }
                }
            }
        }
    }

    /// Select-K finds better priors than random-K whenever the judge beats a coin flip, so it
    /// refines better (the reference's Table 1 ordering).
    @Test func selectKBeatsRandomKWithAnInformativeJudge() {
        let planner = PipelineModel(judge: JudgeModel(voteAccuracy: 0.66))
        for model in Self.shapes {
            let config = PipelineConfiguration(rollouts: 16, groupSize: 2, votes: 8, priors: 4, iterations: 2)
            let select = planner.predict(
                model: model, pipeline: TestTimePipeline(configuration: config, selection: .select))
            let random = planner.predict(
                model: model, pipeline: TestTimePipeline(configuration: config, selection: .random))
            #expect(select.iterations[1].passAt1 > random.iterations[1].passAt1)
        }
    }

    /// Analytic vs Monte Carlo on 16 pipeline cells (both selections, K ∈ {1, 2, 4},
    /// T ∈ {2, 3}, N ∈ {3, 8, 16, 17}, every shape, a different judge in each iteration): within
    /// max(0.5 points, 4 SE), 4·10⁵ tasks each.
    @Test func analyticMatchesMonteCarlo() {
        let ns = [3, 8, 16, 17]
        let ks = [1, 2, 4]
        let accuracies = [0.5, 0.66, 0.9, 1.0]
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let n = ns[i % 4]
            let k = min(ks[i % 3], n)
            let config = PipelineConfiguration(
                rollouts: n, groupSize: 2 + 2 * ((i / 4) % 2), votes: [1, 2, 8][(i / 2) % 3],
                priors: k, iterations: 2 + (i / 8))
            let pipeline = TestTimePipeline(configuration: config, selection: i % 2 == 0 ? .select : .random)
            let judges = JudgeSchedule(
                (0..<config.iterations).map { JudgeModel(voteAccuracy: accuracies[(i / 3 + $0) % 4]) })
            let model = Self.shapes[i % 8]
            let analytic = PipelineModel(judges: judges).expectedAccuracy(model: model, pipeline: pipeline)
            let mc = PipelineSimulator(judges: judges).simulate(
                model: model, pipeline: pipeline, tasks: 400_000, seed: UInt64(100 + i))
            if abs(analytic - mc.mean) > max(0.005, 4 * mc.standardError) {
                let a = judges.judges.map(\.voteAccuracy)
                failures.withLock {
                    $0.append("\(pipeline) a=\(a): analytic \(analytic), MC \(mc.mean) ± \(mc.standardError)")
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }

    /// A schedule of equal judges is one judge; a different judge in iteration t changes only what
    /// iteration t selects (select-K from t, or the final RTV when t is the last iteration).
    @Test func eachIterationUsesItsOwnJudge() {
        let config = PipelineConfiguration(rollouts: 16, groupSize: 2, votes: 8, priors: 4, iterations: 3)
        let pipeline = TestTimePipeline(configuration: config)
        let (strong, weak) = (JudgeModel(voteAccuracy: 0.8), JudgeModel(voteAccuracy: 0.6))
        for model in Self.shapes {
            let one = PipelineModel(judge: strong).predict(model: model, pipeline: pipeline)
            let same = PipelineModel(judges: JudgeSchedule([strong, strong, strong])).predict(
                model: model, pipeline: pipeline)
            expectClose(same.accuracy, one.accuracy, absolute: 1e-14)
            // A weak last judge: every iteration's coverage and priors stay, the final drops.
            let weakFinal = PipelineModel(judges: JudgeSchedule([strong, strong, weak])).predict(
                model: model, pipeline: pipeline)
            for t in 0..<3 {
                expectClose(weakFinal.iterations[t].passAt1, one.iterations[t].passAt1, absolute: 1e-14)
                expectClose(
                    weakFinal.iterations[t].priorsPassAt1 ?? -1, one.iterations[t].priorsPassAt1 ?? -1, absolute: 1e-14)
            }
            #expect(weakFinal.accuracy < one.accuracy)
            // A weak judge in iteration 1 (the list's last judge serves iteration 2 too): iteration 0's
            // priors stay, iteration 1's priors are worse.
            let weakLater = PipelineModel(judges: JudgeSchedule([strong, weak])).predict(
                model: model, pipeline: pipeline)
            expectClose(weakLater.iterations[1].passAt1, one.iterations[1].passAt1, absolute: 1e-14)
            #expect((weakLater.iterations[1].priorsPassAt1 ?? 1) < (one.iterations[1].priorsPassAt1 ?? 0))
            #expect(weakLater.iterations[2].priorsPassAt1 == nil)
        }
    }

    /// Each iteration's pass-count histogram is a distribution whose mean and zero mass are the
    /// iteration's pass@1 and 1 − pass@N; a coin-flip judge selects priors as good as the iteration.
    @Test func iterationHistogramsAndPriors() {
        for model in Self.shapes {
            for selection in [PriorSelection.select, .random] {
                let pipeline = TestTimePipeline(
                    configuration: PipelineConfiguration(
                        rollouts: 16, groupSize: 2, votes: 8, priors: 4, iterations: 3),
                    selection: selection)
                let coin = PipelineModel(judge: JudgeModel(voteAccuracy: 0.5)).predict(model: model, pipeline: pipeline)
                for quality in coin.iterations {
                    let d = quality.passingDistribution
                    #expect(d.count == 17 && d.allSatisfy { $0 >= 0 })
                    expectClose(d.reduce(0, +), 1, absolute: 1e-12)
                    let mean = d.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element } / 16
                    expectClose(mean, quality.passAt1, absolute: 1e-12)
                    expectClose(1 - d[0], quality.passAtN, absolute: 1e-12)
                    if let priors = quality.priorsPassAt1 { expectClose(priors, quality.passAt1, absolute: 1e-12) }
                }
            }
        }
    }

    /// Refinement redistributes (the reference's finding for Claude-4.5-Opus on SWE-bench Verified):
    /// from its iteration-0 pass@1 and both judges, tasks at 0/16 and at 16/16 both rise in
    /// iteration 1. The sizes are the shape's (see docs/TEST_TIME.md); only the direction is checked.
    @Test func refinementRedistributesTowardBothEnds() {
        let judges = JudgeSchedule([
            JudgeModel(pairAccuracy: 0.670, votes: 8), JudgeModel(pairAccuracy: 0.582, votes: 8),
        ])
        let pipeline = try! TestTimePipeline(specification: "N=16,G=2,V=8,K=4,T=2")
        let model = SolveRateModel.assumedShape(passAt1: 0.7094)
        let p = PipelineModel(judges: judges).predict(model: model, pipeline: pipeline)
        let (before, after) = (p.iterations[0].passingDistribution, p.iterations[1].passingDistribution)
        #expect(after[0] > before[0] && after[16] > before[16])
        #expect(p.iterations[1].passAt1 > p.iterations[0].passAt1)
    }
}
