import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import Planner
import Synchronization
import Testing

@Suite("Recursive Tournament Voting model")
struct TournamentTests {
    /// The population shapes of the grid: the 7 Terminal-Bench Beta-binomial fits and one fit with
    /// point masses at 0 and 1.
    static let shapes: [SolveRateModel] = {
        let systems = try! SolveRateTests.terminalBench()
        return systems.map { try! SolveRateFitter.fit($0) } + [try! SolveRateFitter.fit(systems[5], kind: .mixture)]
    }()

    @Test(arguments: [1, 2, 3, 8, 16])
    func pairwiseGroupAccuracyIsTheBinomialMajority(votes: Int) {
        let a = 0.66
        let judge = JudgeModel(voteAccuracy: a)
        // G = 2: X ~ Binomial(V, a) votes for the passing candidate; win above V/2, coin flip at V/2.
        var expected = 0.0
        for x in 0...votes {
            let p = exp(logChoose(Double(votes), Double(x)) + Double(x) * log(a) + Double(votes - x) * log(1 - a))
            expected += p * (2 * x > votes ? 1 : (2 * x == votes ? 0.5 : 0))
        }
        expectClose(judge.groupAccuracy(size: 2, passing: 1, votes: votes), expected, absolute: 1e-12)
    }

    @Test func groupAccuracyOfLargerGroupsMatchesSimulation() {
        var rng = Xoshiro256StarStar(seed: 4)
        for (g, h, v, a) in [(4, 1, 8, 0.66), (4, 2, 3, 0.5), (3, 2, 2, 0.9), (4, 3, 8, 0.4)] {
            let exact = JudgeModel(voteAccuracy: a).groupAccuracy(size: g, passing: h, votes: v)
            let trials = 200_000
            var wins = 0
            for _ in 0..<trials {
                var tally = [Int](repeating: 0, count: g)
                for _ in 0..<v {
                    let pick = rng.nextUniform() < a ? Int(rng.next() % UInt64(h)) : h + Int(rng.next() % UInt64(g - h))
                    tally[pick] += 1
                }
                let top = tally.max()!
                let tied = tally.indices.filter { tally[$0] == top }
                if tied[Int(rng.next() % UInt64(tied.count))] < h { wins += 1 }
            }
            let se = (exact * (1 - exact) / Double(trials)).squareRoot()
            expectClose(Double(wins) / Double(trials), exact, absolute: 4 * se, "G=\(g) h=\(h) V=\(v) a=\(a)")
        }
    }

    @Test func costCountsJudgeCallsAndRounds() {
        let full = TournamentSettings(groupSize: 2, votes: 8)
        #expect(full.judgeCalls(candidates: 16) == 120 && full.rounds(candidates: 16) == 4)  // V·(N − 1)/(G − 1)
        #expect(TournamentSettings(groupSize: 4, votes: 8).judgeCalls(candidates: 16) == 40)
        // N = 17, G = 2: byes cost nothing (16 → … plus the odd one out).
        #expect(TournamentSettings(groupSize: 2, votes: 1).judgeCalls(candidates: 17) == 16)
    }

    /// RTV ≤ pass@N; a perfect judge gives pass@N; G = 2 with a coin-flip judge gives pass@1.
    @Test(arguments: [2, 3, 8, 16, 17])
    func propertiesHoldForEveryShape(candidates n: Int) {
        for model in Self.shapes {
            let passAtN = model.expectedPassAtK(n)
            for g in [2, 4] {
                for v in [1, 2, 8] {
                    for a in [0.5, 0.66, 0.9, 1] {
                        let c = TournamentSettings(groupSize: g, votes: v)
                        let rtv = TournamentModel.expectedAccuracy(
                            model: model, candidates: n, tournament: c,
                            judge: JudgeModel(voteAccuracy: a))
                        #expect(rtv <= passAtN + 1e-12, "N=\(n) G=\(g) V=\(v) a=\(a)")
                        if a == 1 { expectClose(rtv, passAtN, absolute: 1e-12, "perfect judge N=\(n) G=\(g)") }
                        if a == 0.5 && g == 2 {
                            expectClose(rtv, model.meanSolveRate, absolute: 1e-12, "coin-flip judge N=\(n)")
                        }
                    }
                }
            }
        }
    }

    /// Analytic vs Monte Carlo over a stratified subset of 40 cells of the grid (every
    /// shape, N, G, V and a appears), 10⁶ simulated tasks each: within max(0.5 points, 4 SE).
    @Test func analyticMatchesMonteCarlo() {
        let ns = [2, 3, 8, 16, 17]
        let gs = [2, 4]
        let vs = [1, 2, 8]
        let accuracies = [0.5, 0.66, 0.9, 1.0]
        let cells: [Cell] = (0..<40).map { i in
            Cell(shape: i % 8, n: ns[i % 5], g: gs[(i / 5) % 2], v: vs[i % 3], a: accuracies[(i / 2) % 4])
        }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: cells.count) { i in
            let cell = cells[i]
            let c = TournamentSettings(groupSize: cell.g, votes: cell.v)
            let judge = JudgeModel(voteAccuracy: cell.a)
            let model = Self.shapes[cell.shape]
            let analytic = TournamentModel.expectedAccuracy(
                model: model, candidates: cell.n, tournament: c, judge: judge)
            let mc = TournamentModel.simulate(
                model: model, candidates: cell.n, tournament: c, judge: judge, tasks: 1_000_000,
                seed: UInt64(i))
            if abs(analytic - mc.mean) > max(0.005, 4 * mc.standardError) {
                failures.withLock {
                    $0.append("cell \(cell): analytic \(analytic), Monte Carlo \(mc.mean) ± \(mc.standardError)")
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(Set(cells.map { $0.shape }).count == 8)
        #expect(Set(cells.map { $0.n }).count == 5)
        #expect(Set(cells.map { $0.g }).count == 2)
        #expect(Set(cells.map { $0.v }).count == 3)
        #expect(Set(cells.map { $0.a }).count == 4)
    }

    struct Cell: Sendable, CustomStringConvertible {
        let shape: Int, n: Int, g: Int, v: Int, a: Double
        var description: String { "shape \(shape) N=\(n) G=\(g) V=\(v) a=\(a)" }
    }
}
