import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import Testing

@testable import Planner

@Suite("The refined population's shape")
struct RedistributionTests {
    static let reference = try! TestTimePipeline(specification: "N=16,G=2,V=8,K=4,T=2")

    /// Claude-4.5-Opus on SWE-bench Verified, from what the reference gives besides the check:
    /// iteration-0 pass@1 0.7094 and 73 of 500 tasks at 0/16, its judge rows 67.0 % and 58.2 %, and
    /// the ablation's γ and shape concentration. The reference's redistribution, +21 tasks at 0/16
    /// and +141 at 16/16, must come out within 40 %.
    @Test func opusOnSWEBenchVerifiedRedistributesLikeTheReference() throws {
        let population = try SolveRateModel.matching(passAt1: 0.7094, zeroShare: 73.0 / 500, rollouts: 16)
        let p = try RedistributionModel.predict(
            population: population, pipeline: Self.reference, pairAccuracies: [0.670, 0.582])
        let (before, after) = (p.iterations[0].passingDistribution, p.iterations[1].passingDistribution)
        expectClose(500 * before[0], 73, absolute: 0.05)  // the quadrature's error
        expectClose(p.iterations[0].passAt1, 0.7094, absolute: 1e-5)
        expectClose(p.judgeAccuracies[0], 0.670, absolute: 1e-4)
        expectClose(p.judgeAccuracies[1], 0.582, absolute: 1e-4)
        #expect(p.judgeSlope > 0, "the judge is worse on hard tasks")
        let (zeros, full) = (500 * (after[0] - before[0]), 500 * (after[16] - before[16]))
        #expect(abs(zeros - 21) <= 0.4 * 21, "Δ 0/16 = \(zeros)")
        #expect(abs(full - 141) <= 0.4 * 141, "Δ 16/16 = \(full)")
        // One judge for every task (the same rows cannot both be met) misses the 0/16 rise.
        let flat = try RedistributionModel.predict(
            population: population, pipeline: Self.reference, pairAccuracies: [0.670])
        let flatZeros = 500 * (flat.iterations[1].passingDistribution[0] - flat.iterations[0].passingDistribution[0])
        #expect(flat.judgeSlope == 0 && flatZeros < 0.6 * 21, "Δ 0/16 with one judge = \(flatZeros)")
    }

    /// One judge row: the judge is flat and reproduces it; with γ = 0 the offsets are the table's
    /// logits; histograms are distributions; the final never beats the last iteration's pass@N.
    @Test func limitsAndInvariants() throws {
        for model in TournamentTests.shapes.prefix(4) {
            let flat = RedistributionModel.Calibration(ownRateWeight: 0)
            let p = try RedistributionModel.predict(
                population: model, pipeline: Self.reference, pairAccuracies: [0.75], calibration: flat)
            #expect(p.judgeSlope == 0)
            for a in p.judgeAccuracies { expectClose(a, 0.75, absolute: 1e-12) }
            for (offset, value) in zip(p.refinementOffsets, RefinementModel.referenceTable) {
                expectClose(offset, logit(value), absolute: 1e-9)
            }
            for quality in p.iterations {
                expectClose(quality.passingDistribution.reduce(0, +), 1, absolute: 1e-9)
            }
            expectClose(p.iterations[0].passAt1, model.meanSolveRate, absolute: 1e-6)
            #expect(p.accuracy <= p.iterations[1].passAtN + 1e-12)
        }
        #expect(throws: DomainError.self) {
            try RedistributionModel.predict(
                population: TournamentTests.shapes[0], pipeline: try TestTimePipeline(specification: "N=16,K=2,T=2"),
                pairAccuracies: [0.7])
        }
        #expect(throws: DomainError.self) {  // whole pairwise rounds from 10 stop at 3 priors, not 4
            try RedistributionModel.predict(
                population: TournamentTests.shapes[0], pipeline: try TestTimePipeline(specification: "N=10,K=4,T=2"),
                pairAccuracies: [0.7])
        }
        #expect(throws: DomainError.self) {
            try SolveRateModel.matching(passAt1: 0.7, zeroShare: 0.35, rollouts: 16)  // above 1 − pass@1
        }
    }

    /// The analytic chain against a task-by-task simulation of the same model (each task's rate
    /// drawn from the quadrature nodes, its own judge a(p), refined rollouts at f(i, p)): the
    /// final accuracy and the iteration-1 shares at 0/16 and 16/16 within 4 standard errors.
    @Test func analyticMatchesASimulationOfTheSameModel() throws {
        let population = try SolveRateModel.matching(passAt1: 0.7094, zeroShare: 73.0 / 500, rollouts: 16)
        let p = try RedistributionModel.predict(
            population: population, pipeline: Self.reference, pairAccuracies: [0.670, 0.582])
        let nodes = population.quadratureNodes()
        var cumulative = 0.0
        let cdf = nodes.map { node -> Double in
            cumulative += node.weight
            return cumulative
        }
        let judges = nodes.map {
            JudgeModel(pairAccuracy: (p.judgeAccuracy(solveRate: $0.rate) * 1_000).rounded() / 1_000, votes: 8)
        }
        var rng = Xoshiro256StarStar(seed: 2026)
        let tasks = 200_000
        var (wins, zeros, full) = (0, 0, 0)
        var rollouts = [Bool](repeating: false, count: 16)
        for _ in 0..<tasks {
            let u = rng.nextUniform() * cumulative
            let node = min(cdf.firstIndex { $0 >= u } ?? nodes.count - 1, nodes.count - 1)
            let rate = nodes[node].rate
            var player = TournamentPlayer(groupSize: 2, votes: 8, judge: judges[node])
            for i in 0..<16 { rollouts[i] = rng.nextUniform() < rate }
            var scratch = rollouts
            let k = player.play(&scratch, count: 16, stopAt: 4, using: &rng)
            let passing = scratch[0..<k].reduce(0) { $0 + ($1 ? 1 : 0) }
            let f = logistic(
                p.refinementOffsets[passing] + 0.96 * RedistributionModel.clampedLogit(rate))
            for i in 0..<16 { rollouts[i] = rng.nextUniform() < f }
            let count = rollouts.reduce(0) { $0 + ($1 ? 1 : 0) }
            if count == 0 { zeros += 1 }
            if count == 16 { full += 1 }
            _ = player.play(&rollouts, count: 16, stopAt: 1, using: &rng)
            if rollouts[0] { wins += 1 }
        }
        let h1 = p.iterations[1].passingDistribution
        for (simulated, analytic) in [(wins, p.accuracy), (zeros, h1[0]), (full, h1[16])] {
            let share = Double(simulated) / Double(tasks)
            let se = (analytic * (1 - analytic) / Double(tasks)).squareRoot()
            #expect(abs(share - analytic) <= 4 * se + 1e-3, "simulated \(share), analytic \(analytic)")
        }
    }
}
