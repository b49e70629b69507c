/// The judge's votes on one tournament group whose candidates were later graded — what the
/// executor records so the planner can use a measured per-vote accuracy.
///
/// Only *mixed* groups (some candidates passing, some not) measure the judge: a vote is correct
/// when it picks a passing candidate.
public struct JudgeTally: Codable, Hashable, Sendable {
    /// The execution (or evaluation) the votes belong to.
    public var label: String
    public var taskID: String
    /// The PDR iteration whose rollouts the group judged (0: the first wave; select-K of iteration
    /// t and the final RTV over iteration T − 1 are judged on iteration t's and T − 1's rollouts).
    public var iteration: Int
    public var groupSize: Int
    /// Passing candidates in the group.
    public var passing: Int
    public var votes: Int
    /// Votes that picked a passing candidate.
    public var correctVotes: Int

    public init(
        label: String, taskID: String, iteration: Int = 0, groupSize: Int, passing: Int, votes: Int, correctVotes: Int
    ) {
        self.label = label
        self.taskID = taskID
        self.iteration = iteration
        self.groupSize = groupSize
        self.passing = passing
        self.votes = votes
        self.correctVotes = correctVotes
    }

    /// Whether the group mixes passing and failing candidates (only those measure the judge).
    public var isMixed: Bool { passing > 0 && passing < groupSize }

    /// Checks sizes and counts.
    public func validate() throws(DomainError) {
        if label.isEmpty { throw .invalid(field: "label", value: "", reason: "must not be empty") }
        if iteration < 0 { throw .invalid(field: "iteration", value: String(iteration), reason: "must be ≥ 0") }
        if groupSize < 2 { throw .invalid(field: "groupSize", value: String(groupSize), reason: "must be ≥ 2") }
        if passing < 0 || passing > groupSize {
            throw .invalid(field: "passing", value: String(passing), reason: "must lie in 0…\(groupSize)")
        }
        if votes < 1 { throw .invalid(field: "votes", value: String(votes), reason: "must be ≥ 1") }
        if correctVotes < 0 || correctVotes > votes {
            throw .invalid(field: "correctVotes", value: String(correctVotes), reason: "must lie in 0…\(votes)")
        }
    }
}
