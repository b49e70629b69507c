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
    /// T ∈ {2, 3}, N ∈ {3, 8, 16, 17}, every shape): within max(0.5 points, 4 SE), 4·10⁵ tasks each.
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
            let judge = JudgeModel(voteAccuracy: accuracies[(i / 3) % 4])
            let model = Self.shapes[i % 8]
            let analytic = PipelineModel(judge: judge).expectedAccuracy(model: model, pipeline: pipeline)
            let mc = PipelineSimulator(judge: judge).simulate(
                model: model, pipeline: pipeline, tasks: 400_000, seed: UInt64(100 + i))
            if abs(analytic - mc.mean) > max(0.005, 4 * mc.standardError) {
                failures.withLock {
                    $0.append(
                        "\(pipeline) a=\(judge.voteAccuracy): analytic \(analytic), MC \(mc.mean) ± \(mc.standardError)"
                    )
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }
}
