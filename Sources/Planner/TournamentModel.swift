public import Domain
import Foundation
import NumericCore

/// Exact distributions of how many passing candidates survive RTV rounds, for one group size,
/// vote count and judge; memoised, so a planner that scores thousands of configurations computes
/// each round matrix once. Not thread-safe: give each thread its own.
public final class TournamentTransitions {
    public let groupSize: Int
    public let votes: Int
    public let judge: JudgeModel
    private var groupAccuracies: [Int: Double] = [:]
    private var rounds: [Int: [[Double]]] = [:]
    private var shrinks: [Int: (survivors: Int, distribution: [[Double]])] = [:]

    public init(groupSize: Int, votes: Int, judge: JudgeModel) {
        precondition(groupSize >= 2 && votes >= 1, "need G ≥ 2, V ≥ 1")
        self.groupSize = groupSize
        self.votes = votes
        self.judge = judge
    }

    private func groupAccuracy(size g: Int, passing h: Int) -> Double {
        if g == 1 { return Double(h) }
        let key = g &* 4096 &+ h
        if let hit = groupAccuracies[key] { return hit }
        let value = judge.groupAccuracy(size: g, passing: h, votes: votes)
        groupAccuracies[key] = value
        return value
    }

    /// One round over `m` shuffled candidates: row i (passing among the m) is the distribution of
    /// passing winners. Passing candidates fall into the consecutive groups by sequential
    /// hypergeometric draws; each group advances a passing one with the judge's group accuracy.
    public func round(alive m: Int) -> [[Double]] {
        if let hit = rounds[m] { return hit }
        let sizes = TournamentRounds.groupSizes(of: m, groupSize: groupSize)
        let matrix = (0...m).map { passing -> [Double] in
            // State: passing candidates not yet placed → distribution of passing winners so far.
            var states: [Int: [Double]] = [passing: [1]]
            var remaining = m
            for g in sizes {
                var updated: [Int: [Double]] = [:]
                for (left, winners) in states {
                    for h in max(0, g - (remaining - left))...min(g, left) {
                        let ph = hypergeometricProbability(
                            population: remaining, successes: left, draws: g, observed: h)
                        let a = groupAccuracy(size: g, passing: h)
                        var row = updated[left - h] ?? [Double](repeating: 0, count: sizes.count + 1)
                        for (w, pw) in winners.enumerated() where pw > 0 {
                            row[w + 1] += pw * ph * a
                            row[w] += pw * ph * (1 - a)
                        }
                        updated[left - h] = row
                    }
                }
                states = updated
                remaining -= g
            }
            var result = [Double](repeating: 0, count: sizes.count + 1)
            for (_, winners) in states { for (w, pw) in winners.enumerated() { result[w] += pw } }
            return result
        }
        rounds[m] = matrix
        return matrix
    }

    /// Whole rounds from `n` candidates until at most `k` remain (select-K; k = 1 is a full RTV):
    /// the number of survivors and, for each count i of passing among the n (row), the
    /// distribution of passing survivors (column). Zero rounds when n ≤ k.
    public func survivors(of n: Int, stopAt k: Int) -> (survivors: Int, distribution: [[Double]]) {
        precondition(n >= 1 && k >= 1, "need n ≥ 1 and k ≥ 1")
        let key = n &* 65_536 &+ k
        if let hit = shrinks[key] { return hit }
        var alive = n
        var product = (0...n).map { i in (0...n).map { $0 == i ? 1.0 : 0 } }
        while alive > k {
            let step = round(alive: alive)
            let width = step[0].count
            product = product.map { row in
                var next = [Double](repeating: 0, count: width)
                for (i, pi) in row.enumerated() where pi > 0 { for w in 0..<width { next[w] += pi * step[i][w] } }
                return next
            }
            alive = width - 1
        }
        shrinks[key] = (alive, product)
        return (alive, product)
    }

    /// P(the final survivor passes | `passing` of `n` candidates pass).
    public func accuracy(passing j: Int, candidates n: Int) -> Double {
        precondition(j >= 0 && j <= n, "passing must lie in 0…N")
        let distribution = survivors(of: n, stopAt: 1).distribution[j]
        return distribution.count > 1 ? distribution[1] : 0
    }
}

/// RTV's probability of ending on a passing rollout, analytically and by Monte Carlo.
///
/// Per task, the number j of passing rollouts among the N is random (Binomial(N, p) with the
/// task's p drawn from a ``SolveRateModel``); the accuracy is averaged over that distribution,
/// never computed at the average rate — benchmark populations are U-shaped, and plugging in the
/// mean overstates what a tournament can gain.
public enum TournamentModel {
    /// P(the survivor passes | `candidates` N of which `passing` pass), exact (see
    /// ``TournamentTransitions``); the tournament's G and V are used.
    public static func accuracy(
        passing j: Int, candidates n: Int, tournament t: TournamentSettings,
        judge: JudgeModel
    ) -> Double {
        TournamentTransitions(groupSize: t.groupSize, votes: t.votes, judge: judge).accuracy(passing: j, candidates: n)
    }

    /// Expected RTV accuracy over `candidates` N whose tasks' solve rates follow `model`.
    public static func expectedAccuracy(
        model: SolveRateModel, candidates n: Int, tournament t: TournamentSettings,
        judge: JudgeModel
    ) -> Double {
        precondition(n >= 1, "need N ≥ 1 candidates")
        let transitions = TournamentTransitions(groupSize: t.groupSize, votes: t.votes, judge: judge)
        return zip(model.passingDistribution(rollouts: n), 0...n).reduce(0) { total, pair in
            total + pair.0 * transitions.accuracy(passing: pair.1, candidates: n)
        }
    }

    /// Monte Carlo estimate of ``expectedAccuracy(model:candidates:tournament:judge:)`` by simulating
    /// `tasks` whole tournaments (p from the model, the N outcomes, shuffled groups, every vote,
    /// plurality with random tie-break). Returns the mean and its standard error.
    public static func simulate(
        model: SolveRateModel, candidates n: Int, tournament t: TournamentSettings,
        judge: JudgeModel, tasks: Int, seed: UInt64
    ) -> (mean: Double, standardError: Double) {
        let pipeline = TestTimePipeline(
            configuration: PipelineConfiguration(
                rollouts: n, groupSize: t.groupSize,
                votes: t.votes))
        return PipelineSimulator(judge: judge, refinement: .reference).simulate(
            model: model, pipeline: pipeline,
            tasks: tasks, seed: seed)
    }
}

/// Plays RTV vote by vote on a population of pass/fail candidates — the Monte Carlo side of the
/// analytic models.
struct TournamentPlayer {
    let groupSize: Int
    let votes: Int
    let judge: JudgeModel
    private var tally: [Int]
    private var passingIndices: [Int] = []
    private var failingIndices: [Int] = []

    init(groupSize: Int, votes: Int, judge: JudgeModel) {
        self.groupSize = groupSize
        self.votes = votes
        self.judge = judge
        tally = [Int](repeating: 0, count: groupSize)
    }

    /// Shrinks `population[0..<m]` by whole rounds until at most `k` remain; survivors are
    /// compacted to the front. Returns their count.
    mutating func play(
        _ population: inout [Bool], count m: Int, stopAt k: Int,
        using rng: inout Xoshiro256StarStar
    ) -> Int {
        var m = m
        while m > k {
            for i in stride(from: m - 1, to: 0, by: -1) { population.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var survivors = 0
            var start = 0
            while start < m {
                let g = min(groupSize, m - start)
                var h = 0
                for i in start..<(start + g) where population[i] { h += 1 }
                var winner = population[start]
                if g > 1 && h > 0 && h < g {
                    passingIndices.removeAll(keepingCapacity: true)
                    failingIndices.removeAll(keepingCapacity: true)
                    for i in start..<(start + g) {
                        tally[i - start] = 0
                        if population[i] { passingIndices.append(i) } else { failingIndices.append(i) }
                    }
                    for _ in 0..<votes {
                        let pool = rng.nextUniform() < judge.voteAccuracy ? passingIndices : failingIndices
                        tally[pool[Int(rng.next() % UInt64(pool.count))] - start] += 1
                    }
                    let top = tally[0..<g].max()!
                    let tied = (0..<g).filter { tally[$0] == top }
                    winner = population[start + tied[Int(rng.next() % UInt64(tied.count))]]
                } else if g > 1 {
                    winner = h > 0  // unmixed group: every candidate is alike
                }
                population[survivors] = winner
                survivors += 1
                start += g
            }
            m = survivors
        }
        return m
    }
}
