import Domain
import GRDB

/// A row of `vote`. Internal: the store speaks `Domain.JudgeVote`; the shown order is JSON text,
/// stage and purpose their raw values.
struct VoteRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "vote"

    var id: Int64?
    var taskId: Int64
    var stage: String
    var iteration: Int
    var round: Int
    var groupIndex: Int
    var voteIndex: Int
    var attempt: Int
    var purpose: String
    var shownOrder: String
    var choice: Int?
    var chosenRolloutID: String?
    var counted: Bool
    var callID: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let taskId = Column(CodingKeys.taskId)
    }

    init(_ vote: JudgeVote, taskRow: Int64) throws {
        taskId = taskRow
        (stage, purpose) = (vote.stage.rawValue, vote.purpose.rawValue)
        (iteration, round, groupIndex) = (vote.iteration, vote.round, vote.group)
        (voteIndex, attempt) = (vote.voteIndex, vote.attempt)
        shownOrder = try storedJSON(vote.shownOrder)
        (choice, chosenRolloutID, counted, callID) = (vote.choice, vote.chosenRolloutID, vote.counted, vote.callID)
    }

    /// The stored vote.
    /// - Throws: ``MalformedRow`` for an unknown stage or purpose, or a shown order that is not a
    ///   JSON array of strings.
    func vote() throws -> JudgeVote {
        let text = StoredText(table: Self.databaseTableName, row: id)
        return JudgeVote(
            stage: try text.value(stage, column: "stage"), iteration: iteration, round: round, group: groupIndex,
            voteIndex: voteIndex, attempt: attempt, purpose: try text.value(purpose, column: "purpose"),
            shownOrder: try text.json(shownOrder, column: "shownOrder"), choice: choice,
            chosenRolloutID: chosenRolloutID, counted: counted, callID: callID)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
