import Domain
import GRDB

/// A row of `judgeTally`. Internal: the store speaks `Domain.JudgeTally`.
struct JudgeTallyRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "judgeTally"

    var id: Int64?
    var label: String
    var taskID: String
    var iteration: Int
    var groupSize: Int
    var passing: Int
    var votes: Int
    var correctVotes: Int

    init(_ tally: JudgeTally) {
        (label, taskID, iteration) = (tally.label, tally.taskID, tally.iteration)
        (groupSize, passing) = (tally.groupSize, tally.passing)
        (votes, correctVotes) = (tally.votes, tally.correctVotes)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
