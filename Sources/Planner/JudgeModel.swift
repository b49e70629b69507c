import Foundation
import NumericCore

/// The LLM judge of a tournament group, as two explicit quantities.
///
/// - `voteAccuracy` a: one vote on a group holding both passing and failing candidates picks a
///   passing one with probability a (uniformly among the passing), else a failing one (uniformly
///   among the failing). On a group with no passing or only passing candidates every vote is
///   uniform, and the outcome does not matter for accuracy.
/// - The *group accuracy* after V votes: the probability that the plurality winner (ties broken
///   uniformly at random among the tied) is passing — derived here exactly.
public struct JudgeModel: Sendable, Hashable, Codable {
    /// a, in [0, 1].
    public var voteAccuracy: Double

    public init(voteAccuracy: Double) {
        precondition(voteAccuracy >= 0 && voteAccuracy <= 1, "vote accuracy must lie in [0, 1], got \(voteAccuracy)")
        self.voteAccuracy = voteAccuracy
    }

    /// The vote accuracy whose pairwise group accuracy after `votes` votes is `pairAccuracy`
    /// (the conversion the other way from ``groupAccuracy(size:passing:votes:)`` with G = 2,
    /// which is increasing in a), by bisection to 1e-12.
    public init(pairAccuracy: Double, votes: Int) {
        precondition(
            pairAccuracy >= 0 && pairAccuracy <= 1 && votes >= 1, "need a pair accuracy in [0, 1] and votes ≥ 1")
        var (low, high) = (0.0, 1.0)
        while high - low > 1e-12 {
            let mid = (low + high) / 2
            if JudgeModel(voteAccuracy: mid).groupAccuracy(size: 2, passing: 1, votes: votes) < pairAccuracy {
                low = mid
            } else {
                high = mid
            }
        }
        self.init(voteAccuracy: (low + high) / 2)
    }

    /// P(the group's winner is passing) for a group of `size` candidates of which `passing` pass,
    /// with `votes` votes, plurality and a uniform tie-break.
    ///
    /// Exact: the votes for the passing and for the failing side are multinomial; the computation
    /// enumerates the split of the V votes between the sides and, within each side, the
    /// distribution of the best count (a dynamic programme over candidates).
    /// - Complexity: O(V³·G) at most; G and V are small.
    public func groupAccuracy(size g: Int, passing h: Int, votes v: Int) -> Double {
        precondition(g >= 1 && h >= 0 && h <= g && v >= 1, "need 1 ≤ size, 0 ≤ passing ≤ size, votes ≥ 1")
        if h == 0 { return 0 }
        if h == g { return 1 }
        // P(passing side gets s of the v votes) = Binomial(v, a).
        let a = voteAccuracy
        var total = 0.0
        for s in 0...v {
            let pSplit = binomialProbability(trials: v, successes: s, probability: a)
            if !(pSplit > 0) { continue }
            // Within each side votes are uniform over its candidates: distribution of the side's
            // maximum count and how many candidates reach it.
            let passingSide = Self.maximumDistribution(candidates: h, votes: s)
            let failingSide = Self.maximumDistribution(candidates: g - h, votes: v - s)
            for (pm, pTop) in passingSide {
                for (fm, fTop) in failingSide {
                    let (passMax, passCount) = (pm.count, pm.ties)
                    let (failMax, failCount) = (fm.count, fm.ties)
                    let win: Double
                    if passMax > failMax {
                        win = 1
                    } else if passMax < failMax {
                        win = 0
                    } else {
                        win = Double(passCount) / Double(passCount + failCount)
                    }
                    total += pSplit * pTop * fTop * win
                }
            }
        }
        return total
    }

    /// For `votes` votes spread uniformly over `candidates`, the distribution of (largest count,
    /// number of candidates with it). Zero candidates or zero votes give (0, candidates).
    static func maximumDistribution(candidates k: Int, votes n: Int) -> [(Top, Double)] {
        if k == 0 { return [(Top(count: 0, ties: 0), 1)] }
        if n == 0 { return [(Top(count: 0, ties: k), 1)] }
        // DP over candidates: state (votes used, current max, ties at max) → probability, using
        // multinomial weights n!/(Π cᵢ!)·k^(−n).
        var states: [Key: Double] = [Key(used: 0, top: 0, ties: 0): 1]
        for _ in 0..<k {
            var next: [Key: Double] = [:]
            for (state, p) in states {
                for c in 0...(n - state.used) {
                    let weight = p * exp(-logGamma(Double(c) + 1))
                    let (top, ties) =
                        c > state.top
                        ? (c, 1) : (c == state.top ? (state.top, state.ties + 1) : (state.top, state.ties))
                    next[Key(used: state.used + c, top: top, ties: ties), default: 0] += weight
                }
            }
            states = next
        }
        let scale = logGamma(Double(n) + 1) - Double(n) * log(Double(k))
        var result: [Top: Double] = [:]
        for (state, p) in states where state.used == n {
            result[Top(count: state.top, ties: state.ties), default: 0] += p * exp(scale)
        }
        return result.map { ($0.key, $0.value) }
    }

    struct Key: Hashable { var used, top, ties: Int }
    /// A side's largest vote count and how many of its candidates reach it.
    struct Top: Hashable { var count, ties: Int }
}
