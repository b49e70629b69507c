/// The round structure of Recursive Tournament Voting, shared by the planner's model and the
/// executor so both count groups and survivors the same way.
public enum TournamentRounds {
    /// Group sizes of a round with `m` candidates: consecutive groups of `g` (after a shuffle), the
    /// remainder forming a last, smaller group; a single leftover candidate advances unjudged (a bye).
    public static func groupSizes(of m: Int, groupSize g: Int) -> [Int] {
        precondition(m >= 0 && g >= 2, "need m ≥ 0 candidates and groups of g ≥ 2")
        return Array(repeating: g, count: m / g) + (m % g > 0 ? [m % g] : [])
    }
}
