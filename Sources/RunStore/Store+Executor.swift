public import Domain
import Foundation
import GRDB

/// A stored rollout with its row id (the key of its summary).
public struct StoredRollout: Sendable, Hashable {
    public var rowID: Int64
    public var rollout: AgentRollout
    public var agentExitCode: Int?
}

/// What the test-time executor reads and writes (migration v7). Every method is one
/// transaction, so an interrupted execution leaves whole units or nothing.
extension Store {
    /// The settings an execution label was started with, recording `configuration` when the label
    /// is new; a rerun compares them to its own.
    public func executionConfiguration(label: String, recording configuration: String) throws(StoreError) -> String {
        try write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT configuration FROM execution WHERE label = ?", arguments: [label]) {
                return stored
            }
            try db.execute(sql: "INSERT INTO execution (label, configuration) VALUES (?, ?)", arguments: [label, configuration])
            return configuration
        }
    }

    /// The task's row id under `label`, inserting the task when new.
    public func executorTask(label: String, _ task: AgentTask) throws(StoreError) -> Int64 {
        try write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM task WHERE label = ? AND taskID = ?", arguments: [label, task.taskID]) {
                return id
            }
            try db.execute(sql: "INSERT INTO task (label, taskID, statement, metadata) VALUES (?, ?, ?, ?)",
                           arguments: [label, task.taskID, task.statement, task.metadataJSON])
            return db.lastInsertedRowID
        }
    }

    /// The tasks stored under `label`, in insertion order.
    public func executorTasks(label: String) throws(StoreError) -> [(rowID: Int64, task: AgentTask)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, taskID, statement, metadata FROM task WHERE label = ? ORDER BY id", arguments: [label]).map {
                (rowID: $0["id"], task: AgentTask(taskID: $0["taskID"], statement: $0["statement"], metadataJSON: $0["metadata"]))
            }
        }
    }

    /// Stores a rollout (kept as it is when the same task, iteration and rollout id exist).
    @discardableResult
    public func insertRollout(taskRow: Int64, _ rollout: AgentRollout, agentExitCode: Int? = nil, agentLog: String? = nil) throws(StoreError) -> Int64 {
        let messages = String(decoding: (try? JSONEncoder().encode(rollout.messages)) ?? Data("[]".utf8), as: UTF8.self)
        return try write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM rollout WHERE taskId = ? AND iteration = ? AND rolloutID = ?",
                                           arguments: [taskRow, rollout.iteration, rollout.rolloutID]) {
                return id
            }
            try db.execute(sql: """
                INSERT INTO rollout (taskId, iteration, rolloutID, messages, finalPatch, resolved, exitStatus, source, agentExitCode, agentLog)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [taskRow, rollout.iteration, rollout.rolloutID, messages, rollout.finalPatch, rollout.resolved,
                                 rollout.exitStatus, rollout.source, agentExitCode, agentLog])
            return db.lastInsertedRowID
        }
    }

    /// Sets rollouts' labels (evaluation mode): `[rolloutID: resolved]` of one task and iteration.
    public func setResolved(taskRow: Int64, iteration: Int, _ labels: [String: Bool]) throws(StoreError) {
        try write { db in
            for (id, resolved) in labels {
                try db.execute(sql: "UPDATE rollout SET resolved = ? WHERE taskId = ? AND iteration = ? AND rolloutID = ?",
                               arguments: [resolved, taskRow, iteration, id])
            }
        }
    }

    /// A task's rollouts of one iteration, in rollout-id order.
    public func rollouts(taskRow: Int64, iteration: Int) throws(StoreError) -> [StoredRollout] {
        let task = try read { db in try String.fetchOne(db, sql: "SELECT taskID FROM task WHERE id = ?", arguments: [taskRow]) } ?? ""
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rollout WHERE taskId = ? AND iteration = ? ORDER BY rolloutID",
                             arguments: [taskRow, iteration]).map { row in
                let messages = (try? JSONDecoder().decode([TranscriptMessage].self, from: Data((row["messages"] as String).utf8))) ?? []
                return StoredRollout(rowID: row["id"], rollout: AgentRollout(
                    taskID: task, rolloutID: row["rolloutID"], iteration: row["iteration"], messages: messages, finalPatch: row["finalPatch"],
                    resolved: row["resolved"], exitStatus: row["exitStatus"], source: row["source"]), agentExitCode: row["agentExitCode"])
            }
        }
    }

    /// The stored summary of a rollout.
    public func summary(rolloutRow: Int64) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT text FROM summary WHERE rolloutId = ?", arguments: [rolloutRow]) }
    }

    public func insertSummary(rolloutRow: Int64, text: String, inputTruncated: Bool, callID: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO summary (rolloutId, text, inputTruncated, callID) VALUES (?, ?, ?, ?)",
                           arguments: [rolloutRow, text, inputTruncated, callID])
        }
    }

    /// A committed LLM call of the execution, by its logical call id.
    public func llmCall(label: String, callID: String) throws(StoreError) -> LLMCallLog? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM llmCall WHERE label = ? AND callID = ?", arguments: [label, callID]).map(Self.callLog)
        }
    }

    /// Commits an LLM call (the first commit of a call id wins; a duplicate is ignored).
    public func insertLLMCall(label: String, _ call: LLMCallLog) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO llmCall (label, callID, purpose, requestHash, model, response, promptTokens, completionTokens, latency, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [label, call.callID, call.purpose, call.requestHash, call.model, call.response, call.promptTokens,
                                 call.completionTokens, call.latency, call.attempts])
        }
    }

    /// Every committed LLM call of the execution, in commit order.
    public func llmCalls(label: String) throws(StoreError) -> [LLMCallLog] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM llmCall WHERE label = ? ORDER BY id", arguments: [label]).map(Self.callLog) }
    }

    /// Prompt and completion tokens committed so far by the execution (what a budget cap counts).
    public func llmUsage(label: String) throws(StoreError) -> (promptTokens: Int, completionTokens: Int) {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COALESCE(SUM(promptTokens), 0), COALESCE(SUM(completionTokens), 0) FROM llmCall WHERE label = ?",
                                       arguments: [label])!
            return (row[0], row[1])
        }
    }

    /// Commits one group's votes and its decision together.
    public func insertGroup(taskRow: Int64, votes: [JudgeVote], decision: TournamentDecision) throws(StoreError) {
        try write { db in
            for vote in votes { try Self.insert(vote, taskRow: taskRow, db: db) }
            try Self.insert(decision, taskRow: taskRow, db: db)
        }
    }

    /// Commits a decision on its own (priors, final picks).
    public func insertDecision(taskRow: Int64, _ decision: TournamentDecision) throws(StoreError) {
        try write { db in try Self.insert(decision, taskRow: taskRow, db: db) }
    }

    /// A task's decisions, in commit order.
    public func decisions(taskRow: Int64) throws(StoreError) -> [TournamentDecision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM selection WHERE taskId = ? ORDER BY id", arguments: [taskRow]).map { row in
                TournamentDecision(kind: TournamentDecision.Kind(rawValue: row["kind"])!, stage: TournamentStage(rawValue: row["stage"])!,
                                   iteration: row["iteration"], round: row["round"], group: row["groupIndex"],
                                   candidates: Self.decode(row["candidates"]), chosen: Self.decode(row["chosen"]), method: row["method"],
                                   tally: Self.decode(row["tally"]))
            }
        }
    }

    /// A task's judge votes, in commit order.
    public func votes(taskRow: Int64) throws(StoreError) -> [JudgeVote] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vote WHERE taskId = ? ORDER BY id", arguments: [taskRow]).map { row in
                JudgeVote(stage: TournamentStage(rawValue: row["stage"])!, iteration: row["iteration"], round: row["round"], group: row["groupIndex"],
                          voteIndex: row["voteIndex"], attempt: row["attempt"], purpose: JudgePurpose(rawValue: row["purpose"])!,
                          shownOrder: Self.decode(row["shownOrder"]), choice: row["choice"], chosenRolloutID: row["chosenRolloutID"],
                          counted: row["counted"], callID: row["callID"])
            }
        }
    }

    static func insert(_ vote: JudgeVote, taskRow: Int64, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO vote (taskId, stage, iteration, round, groupIndex, voteIndex, attempt, purpose, shownOrder, choice, chosenRolloutID, counted, callID)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [taskRow, vote.stage.rawValue, vote.iteration, vote.round, vote.group, vote.voteIndex, vote.attempt,
                             vote.purpose.rawValue, encode(vote.shownOrder), vote.choice, vote.chosenRolloutID, vote.counted, vote.callID])
    }

    static func insert(_ d: TournamentDecision, taskRow: Int64, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO selection (taskId, kind, stage, iteration, round, groupIndex, candidates, chosen, method, tally)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [taskRow, d.kind.rawValue, d.stage.rawValue, d.iteration, d.round, d.group, encode(d.candidates), encode(d.chosen),
                             d.method, encode(d.tally)])
    }

    static func callLog(_ row: Row) -> LLMCallLog {
        LLMCallLog(callID: row["callID"], purpose: row["purpose"], requestHash: row["requestHash"], model: row["model"], response: row["response"],
                   promptTokens: row["promptTokens"], completionTokens: row["completionTokens"], latency: row["latency"], attempts: row["attempts"])
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable & ExpressibleByArrayLiteralOrDictionary>(_ text: String) -> T {
        (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? T.emptyValue
    }
}

/// Arrays and dictionaries that decode to empty on bad JSON.
protocol ExpressibleByArrayLiteralOrDictionary { static var emptyValue: Self { get } }
extension Array: ExpressibleByArrayLiteralOrDictionary { static var emptyValue: Self { [] } }
extension Dictionary: ExpressibleByArrayLiteralOrDictionary { static var emptyValue: Self { [:] } }
