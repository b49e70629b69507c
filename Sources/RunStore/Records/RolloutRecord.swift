import Domain
import GRDB

/// A row of `rollout`. Internal: the store speaks `StoredRollout`; the messages are JSON text.
struct RolloutRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "rollout"

    var id: Int64?
    var taskId: Int64
    var iteration: Int
    var rolloutID: String
    var messages: String
    var finalPatch: String
    var resolved: Bool?
    var exitStatus: String?
    var source: String
    var agentExitCode: Int?
    var agentLog: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let taskId = Column(CodingKeys.taskId)
        static let iteration = Column(CodingKeys.iteration)
        static let rolloutID = Column(CodingKeys.rolloutID)
        static let resolved = Column(CodingKeys.resolved)
    }

    init(_ rollout: AgentRollout, taskRow: Int64, agentExitCode: Int?, agentLog: String?) throws {
        taskId = taskRow
        (iteration, rolloutID, finalPatch) = (rollout.iteration, rollout.rolloutID, rollout.finalPatch)
        (resolved, exitStatus, source) = (rollout.resolved, rollout.exitStatus, rollout.source)
        messages = try storedJSON(rollout.messages)
        (self.agentExitCode, self.agentLog) = (agentExitCode, agentLog)
    }

    /// The rollout of task `taskID` (the task's text id; the row keys its task by row id).
    /// - Throws: ``MalformedRow`` when the messages are not JSON of transcript messages.
    func stored(taskID: String) throws -> StoredRollout {
        let text = StoredText(table: Self.databaseTableName, row: id)
        let rollout = AgentRollout(
            taskID: taskID, rolloutID: rolloutID, iteration: iteration,
            messages: try text.json(messages, column: "messages"), finalPatch: finalPatch, resolved: resolved,
            exitStatus: exitStatus, source: source)
        return StoredRollout(rowID: id ?? 0, rollout: rollout, agentExitCode: agentExitCode)  // fetched: id is set
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
