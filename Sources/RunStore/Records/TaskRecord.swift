import Domain
import GRDB

/// A row of `task`. Internal: the store speaks `Domain.AgentTask` (its metadata stays JSON text).
struct TaskRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "task"

    var id: Int64?
    var label: String
    var taskID: String
    var statement: String
    var metadata: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let label = Column(CodingKeys.label)
        static let taskID = Column(CodingKeys.taskID)
    }

    init(_ task: AgentTask, label: String) {
        self.label = label
        (taskID, statement, metadata) = (task.taskID, task.statement, task.metadataJSON)
    }

    var task: AgentTask { AgentTask(taskID: taskID, statement: statement, metadataJSON: metadata) }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
