import Foundation
import NumericCore

/// A Recursive Tournament Voting configuration: N candidates, groups of G, V votes per group,
/// single elimination down to one survivor.
public struct TournamentConfiguration: Sendable, Hashable, Codable {
    /// Candidates (rollouts) per task, N ≥ 1.
    public var candidates: Int
    /// Group size G ≥ 2.
    public var groupSize: Int
    /// Judge votes per group V ≥ 1.
    public var votes: Int

    public init(candidates: Int, groupSize: Int, votes: Int) {
        precondition(candidates >= 1 && groupSize >= 2 && votes >= 1, "need N ≥ 1, G ≥ 2, V ≥ 1")
        self.candidates = candidates
        self.groupSize = groupSize
        self.votes = votes
    }

    /// Group sizes of a round with `m` candidates: consecutive groups of G after a shuffle, the
    /// remainder forming a last, smaller group (a single leftover candidate advances unjudged — a bye).
    static func groups(of m: Int, size g: Int) -> [Int] {
        Array(repeating: g, count: m / g) + (m % g > 0 ? [m % g] : [])
    }

    /// Judge calls to bring N candidates down to one: `V·(N − 1)/(G − 1)` when every group is
    /// full; in general V per judged group (byes cost nothing).
    public var judgeCalls: Int { Self.shrink(candidates, to: 1, groupSize: groupSize).groups * votes }

    /// Judged groups and rounds to shrink `n` candidates to at most `m` survivors (select-K when
    /// m > 1), playing whole rounds.
    static func shrink(_ n: Int, to m: Int, groupSize g: Int) -> (groups: Int, rounds: Int) {
        var (alive, judged, rounds) = (n, 0, 0)
        while alive > m {
            let sizes = groups(of: alive, size: g)
            judged += sizes.filter { $0 > 1 }.count
            alive = sizes.count
            rounds += 1
        }
        return (judged, rounds)
    }

    /// Sequential judge rounds (latency): ⌈log_G N⌉ for full groups.
    public var rounds: Int { Self.shrink(candidates, to: 1, groupSize: groupSize).rounds }
}

/// RTV's probability of ending on a passing rollout, analytically and by Monte Carlo.
///
/// Per task, the number j of passing rollouts among the N is random (Binomial(N, p) with the
/// task's p drawn from a ``SolveRateModel``); the accuracy is averaged over that distribution,
/// never computed at the average rate — benchmark populations are U-shaped, and plugging in the
/// mean overstates what a tournament can gain.
public enum TournamentModel {
    /// P(the survivor passes | N candidates of which `passing` pass), exact: a dynamic programme
    /// over rounds on the distribution of passing survivors; within a round, passing candidates
    /// fall into the shuffled groups by sequential hypergeometric draws and each group advances a
    /// passing candidate with the judge's group accuracy.
    public static func accuracy(passing j: Int, configuration c: TournamentConfiguration, judge: JudgeModel) -> Double {
        precondition(j >= 0 && j <= c.candidates, "passing must lie in 0…N")
        var cache: [[Int]: Double] = [:]
        func groupAccuracy(_ g: Int, _ h: Int) -> Double {
            if g == 1 { return Double(h) }
            if let hit = cache[[g, h]] { return hit }
            let value = judge.groupAccuracy(size: g, passing: h, votes: c.votes)
            cache[[g, h]] = value
            return value
        }
        var m = c.candidates
        var distribution = [Double](repeating: 0, count: m + 1)
        distribution[j] = 1
        while m > 1 {
            let sizes = TournamentConfiguration.groups(of: m, size: c.groupSize)
            var next = [Double](repeating: 0, count: sizes.count + 1)
            for (passing, p) in distribution.enumerated() where p > 0 {
                // State: (passing candidates not yet placed, passing winners so far).
                var states: [Int: [Double]] = [passing: [p]]
                var remaining = m
                for g in sizes {
                    var updated: [Int: [Double]] = [:]
                    for (left, winners) in states {
                        for h in max(0, g - (remaining - left))...min(g, left) {
                            let ph = exp(logChoose(Double(left), Double(h)) + logChoose(Double(remaining - left), Double(g - h))
                                         - logChoose(Double(remaining), Double(g)))
                            let a = groupAccuracy(g, h)
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
                for (_, winners) in states { for (w, pw) in winners.enumerated() { next[w] += pw } }
            }
            distribution = next
            m = sizes.count
        }
        return distribution.count > 1 ? distribution[1] : 0
    }

    /// Expected RTV accuracy over tasks whose solve rates follow `model`.
    public static func expectedAccuracy(model: SolveRateModel, configuration c: TournamentConfiguration,
                                        judge: JudgeModel) -> Double {
        (0...c.candidates).reduce(0) { total, j in
            total + exp(model.logProbability(trials: c.candidates, successes: j)) * accuracy(passing: j, configuration: c, judge: judge)
        }
    }

    /// Monte Carlo estimate of ``expectedAccuracy(model:configuration:judge:)`` by simulating
    /// `tasks` whole tournaments (p from the model, the N outcomes, shuffled groups, every vote,
    /// plurality with random tie-break). Returns the mean and its standard error.
    public static func simulate(model: SolveRateModel, configuration c: TournamentConfiguration, judge: JudgeModel,
                                tasks: Int, seed: UInt64) -> (mean: Double, standardError: Double) {
        var rng = Xoshiro256StarStar(seed: seed)
        let beta = Beta(alpha: model.alpha, beta: model.beta)
        var wins = 0
        var population = [Bool](repeating: false, count: c.candidates)
        var tally = [Int](repeating: 0, count: c.groupSize)
        for _ in 0..<tasks {
            let u = rng.nextUniform()
            let p = u < model.pointMassZero ? 0 : (u < model.pointMassZero + model.pointMassOne ? 1 : beta.sample(using: &rng))
            var m = c.candidates
            for i in 0..<m { population[i] = rng.nextUniform() < p }
            while m > 1 {
                // Shuffle, then play consecutive groups; winners are compacted to the front.
                for i in stride(from: m - 1, to: 0, by: -1) {
                    population.swapAt(i, Int(rng.next() % UInt64(i + 1)))
                }
                var survivors = 0, start = 0
                while start < m {
                    let g = min(c.groupSize, m - start)
                    let group = population[start..<(start + g)]
                    let h = group.filter { $0 }.count
                    var winner = group.first!
                    if g > 1 && h > 0 && h < g {
                        for k in 0..<g { tally[k] = 0 }
                        let passingIndices = group.indices.filter { population[$0] }
                        let failingIndices = group.indices.filter { !population[$0] }
                        for _ in 0..<c.votes {
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
            if population[0] { wins += 1 }
        }
        let mean = Double(wins) / Double(tasks)
        return (mean, (mean * (1 - mean) / Double(tasks)).squareRoot())
    }
}
