import GRDB

/// A row of `execution`: the settings an execution label was started with.
struct ExecutionRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "execution"

    var id: Int64?
    var label: String
    var configuration: String

    enum Columns {
        static let label = Column(CodingKeys.label)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
