import GRDB

/// A row of `summary`: one rollout's summary and the LLM call that wrote it.
struct SummaryRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "summary"

    var id: Int64?
    var rolloutId: Int64
    var text: String
    var inputTruncated: Bool
    var callID: String

    enum Columns {
        static let rolloutId = Column(CodingKeys.rolloutId)
        static let text = Column(CodingKeys.text)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
