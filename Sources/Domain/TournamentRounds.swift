/// The round structure of Recursive Tournament Voting, shared by the planner's model and the
/// executor so both count groups and survivors the same way.
public enum TournamentRounds {
    /// Group sizes of a round with `m` candidates: consecutive groups of `g` (after a shuffle), the
    /// remainder forming a last, smaller group; a single leftover candidate advances unjudged (a bye).
    public static func groupSizes(of m: Int, groupSize g: Int) -> [Int] {
        precondition(m >= 0 && g >= 2, "need m ≥ 0 candidates and groups of g ≥ 2")
        return Array(repeating: g, count: m / g) + (m % g > 0 ? [m % g] : [])
    }

    /// Judged groups, rounds and survivors when `n` candidates are shrunk to at most `m` by whole
    /// rounds of groups of `g` (select-K when m > 1; the survivors K′ ≤ K when a round overshoots).
    public static func shrink(_ n: Int, to m: Int, groupSize g: Int) -> (groups: Int, rounds: Int, survivors: Int) {
        var (alive, judged, rounds) = (n, 0, 0)
        while alive > m {
            let sizes = groupSizes(of: alive, groupSize: g)
            judged += sizes.filter { $0 > 1 }.count
            alive = sizes.count
            rounds += 1
        }
        return (judged, rounds, alive)
    }
}
