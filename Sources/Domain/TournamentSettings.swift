/// Recursive Tournament Voting settings (reference §3; the choices the paper leaves open are ours,
/// `docs/EXECUTOR.md`). The executor uses every field; the planner's models use G and V only.
public struct TournamentSettings: Sendable, Hashable, Codable {
    /// Group size G ≥ 2 and votes per group V ≥ 1.
    public var groupSize = 2
    public var votes = 8
    /// Re-asks of an unparsable answer before the vote slot is given up (recorded as a fallback).
    public var maxReasks = 2
    /// Extra votes, one at a time, to break a tie before a seeded draw.
    public var maxTieBreakVotes = 4
    public var judgeTemperature = 0.7
    public var judgeMaxTokens = 400

    public init() {}

    /// Groups of `groupSize` (≥ 2) and `votes` (≥ 1) votes per group; the other fields default.
    public init(groupSize: Int, votes: Int) {
        precondition(groupSize >= 2 && votes >= 1, "need G ≥ 2, V ≥ 1")
        self.groupSize = groupSize
        self.votes = votes
    }

    /// Judge calls to bring `candidates` (N ≥ 1) down to one: `V·(N − 1)/(G − 1)` when every group
    /// is full; in general V per judged group (byes cost nothing).
    public func judgeCalls(candidates: Int) -> Int {
        TournamentRounds.shrink(candidates, to: 1, groupSize: groupSize).groups * votes
    }

    /// Sequential judge rounds (latency) for `candidates`: ⌈log_G N⌉ for full groups.
    public func rounds(candidates: Int) -> Int {
        TournamentRounds.shrink(candidates, to: 1, groupSize: groupSize).rounds
    }
}
