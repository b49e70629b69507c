import Domain
import GRDB

/// A row of `judgeTally`. Internal: the store speaks `Domain.JudgeTally`.
struct JudgeTallyRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "judgeTally"

    var id: Int64?
    var label: String
    var taskID: String
    var groupSize: Int
    var passing: Int
    var votes: Int
    var correctVotes: Int

    init(_ tally: JudgeTally) {
        (label, taskID, groupSize, passing) = (tally.label, tally.taskID, tally.groupSize, tally.passing)
        (votes, correctVotes) = (tally.votes, tally.correctVotes)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
