/// A task for a coding agent: its id and statement, as the executor stores it and hands it to an
/// agent command (the tasks file; `docs/EXECUTOR.md`).
public struct AgentTask: Codable, Hashable, Sendable {
    /// Any text without control characters (shell metacharacters and slashes are fine).
    public var taskID: String
    public var statement: String
    /// Free-form fields passed through to the agent command (repository, base commit, …) as JSON text.
    public var metadataJSON: String

    public init(taskID: String, statement: String, metadataJSON: String = "{}") {
        self.taskID = taskID
        self.statement = statement
        self.metadataJSON = metadataJSON
    }

    /// Checks the id: non-empty, at most 500 characters, no control characters (newlines would
    /// break prompts and logs).
    public func validate() throws(DomainError) {
        guard !taskID.isEmpty, taskID.count <= 500,
            !taskID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .invalid(
                field: "task_id", value: String(taskID.prefix(80)),
                reason: "must be 1–500 characters without control characters")
        }
    }
}

/// One message of an agent's trajectory.
public struct TranscriptMessage: Codable, Hashable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// One coding-agent rollout of a task: its trajectory, its final patch and (when graded) whether
/// it resolved the task.
public struct AgentRollout: Codable, Hashable, Sendable {
    public var taskID: String
    /// Unique within the task and iteration.
    public var rolloutID: String
    /// PDR iteration (0: independent rollouts).
    public var iteration: Int
    public var messages: [TranscriptMessage]
    public var finalPatch: String
    /// `nil` when ungraded.
    public var resolved: Bool?
    /// The agent's own exit status (`Submitted`, `Timeout`, …), when it reports one.
    public var exitStatus: String?
    /// Where it came from (a trajectory file, an agent run directory).
    public var source: String

    public init(
        taskID: String, rolloutID: String, iteration: Int = 0, messages: [TranscriptMessage], finalPatch: String,
        resolved: Bool? = nil, exitStatus: String? = nil, source: String
    ) {
        self.taskID = taskID
        self.rolloutID = rolloutID
        self.iteration = iteration
        self.messages = messages
        self.finalPatch = finalPatch
        self.resolved = resolved
        self.exitStatus = exitStatus
        self.source = source
    }
}
