import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import Planner
import Testing

@Suite("Test-time optimizer")
struct TestTimePlannerTests {
    static let inputs: CostInputs = {
        var inputs = CostInputs(rolloutTokensIn: 400_000, rolloutTokensOut: 8_000, priceIn: 3e-6, priceOut: 15e-6)
        inputs.summaryTokensIn = 40_000
        return inputs
    }()

    static var smallSpace: SearchSpace {
        var space = SearchSpace()
        space.rollouts = [1, 2, 3, 4, 6, 8, 12, 16]
        space.votes = [1, 2, 4, 8]
        space.groupSizes = [2, 4]
        space.selections = [.select, .random]
        return space
    }

    /// More budget never lowers the optimizer's expected accuracy, for every shape and unit.
    @Test func moreBudgetNeverLowersAccuracy() {
        for model in TournamentTests.shapes.prefix(4) {
            for unit in CostUnit.allCases {
                let scored = TestTimePlanner.score(
                    space: Self.smallSpace, model: model, judges: JudgeSchedule(JudgeModel(voteAccuracy: 0.66)),
                    inputs: Self.inputs, unit: unit)
                let frontier = TestTimePlanner.frontier(scored)
                let (low, high) = (scored.map(\.costValue).min()!, scored.map(\.costValue).max()!)
                var previous = -1.0
                for i in 0...200 {
                    let budget = low * pow(high / low, Double(i) / 200)
                    let best = TestTimePlanner.best(within: budget, frontier: frontier)!
                    #expect(best.costValue <= budget * (1 + 1e-12))
                    #expect(best.accuracy >= previous)
                    // Nothing affordable beats the pick.
                    #expect(!scored.contains { $0.costValue <= budget && $0.accuracy > best.accuracy + 1e-12 })
                    previous = best.accuracy
                }
                // Target mode returns the cheapest configuration reaching the target.
                let target = (frontier.first!.accuracy + frontier.last!.accuracy) / 2
                let cheapest = TestTimePlanner.cheapest(reaching: target, frontier: frontier)!
                #expect(cheapest.accuracy >= target)
                #expect(!scored.contains { $0.accuracy >= target && $0.costValue < cheapest.costValue - 1e-12 })
            }
        }
    }

    @Test func latencyBoundIsRespected() {
        let scored = TestTimePlanner.score(
            space: Self.smallSpace, model: TournamentTests.shapes[0],
            judges: JudgeSchedule(JudgeModel(voteAccuracy: 0.8)),
            inputs: Self.inputs, unit: .usd, maxRounds: 5)
        #expect(!scored.isEmpty && scored.allSatisfy { $0.cost.sequentialRounds <= 5 })
        // N = 8 in pairs: 2 + 3 rounds.
        #expect(scored.contains { $0.pipeline.configuration.rollouts == 8 && $0.pipeline.configuration.groupSize == 2 })
        #expect(
            !scored.contains { $0.pipeline.configuration.rollouts == 16 && $0.pipeline.configuration.groupSize == 2 })
    }

    /// The interval's quantiles equal scipy's binomial quantiles for one accuracy, and the
    /// mixture's for several (golden values from `scipy.stats.binom`).
    @Test func predictiveIntervalMatchesBinomialQuantiles() {
        for (tasks, mu, lower, upper) in [(80, 0.4872, 0.375, 0.6), (80, 0.5, 0.3875, 0.6125), (100, 0.3, 0.21, 0.39)] {
            let interval = TestTimePlanner.predictiveInterval(accuracies: [mu], tasks: tasks)
            expectClose(interval.lower, lower, absolute: 1e-12)
            expectClose(interval.upper, upper, absolute: 1e-12)
        }
        let mixture = TestTimePlanner.predictiveInterval(accuracies: [0.4, 0.5, 0.6], tasks: 50)
        expectClose(mixture.lower, 0.3, absolute: 1e-12)
        expectClose(mixture.upper, 0.7, absolute: 1e-12)
    }

    @Test func pairAccuracyConvertsBothWays() {
        for (a, votes) in [(0.55, 1), (0.66, 8), (0.9, 3), (0.75, 16)] {
            let pair = JudgeModel(voteAccuracy: a).groupAccuracy(size: 2, passing: 1, votes: votes)
            expectClose(JudgeModel(pairAccuracy: pair, votes: votes).voteAccuracy, a, absolute: 1e-9)
        }
    }

    @Test func configurationSpecificationsParse() throws {
        let rtv = try TestTimePipeline(specification: "N=16,G=2,V=8")
        #expect(rtv.configuration == PipelineConfiguration(rollouts: 16, groupSize: 2, votes: 8))
        let pdr = try TestTimePipeline(specification: "n=16, v=8, k=4, t=2, s=random")
        #expect(pdr.configuration.priors == 4 && pdr.configuration.iterations == 2 && pdr.selection == .random)
        #expect(try TestTimePipeline(specification: pdr.specification) == pdr)
        #expect(throws: DomainError.self) { try TestTimePipeline(specification: "G=2") }
        #expect(throws: DomainError.self) { try TestTimePipeline(specification: "N=4,K=8,T=2") }
        #expect(throws: DomainError.self) { try TestTimePipeline(specification: "N=4,X=1") }
        #expect(throws: DomainError.self) { try TestTimePipeline(specification: "N=0") }
    }

    /// The assumed shape keeps the given mean; a U-shaped population gains less from RTV than a
    /// concentrated one with the same pass@1.
    @Test func assumedShapeKeepsTheMeanAndShapeDrivesTheGain() {
        let judge = JudgeModel(voteAccuracy: 0.8)
        let c = TournamentSettings(groupSize: 2, votes: 8)
        let gains = SolveRateModel.plausibleConcentrations.map { kappa in
            let shape = SolveRateModel.assumedShape(passAt1: 0.45, concentration: kappa)
            expectClose(shape.meanSolveRate, 0.45, absolute: 1e-12)
            return TournamentModel.expectedAccuracy(model: shape, candidates: 16, tournament: c, judge: judge) - 0.45
        }
        #expect(zip(gains, gains.dropFirst()).allSatisfy { $0 < $1 })
    }
}
