public import Domain
import GRDB

/// A stored rollout with its row id (the key of its summary).
public struct StoredRollout: Sendable, Hashable {
    public var rowID: Int64
    public var rollout: AgentRollout
    public var agentExitCode: Int?
}

/// What the test-time executor reads and writes (migration v7). Every method is one
/// transaction, so an interrupted execution leaves whole units or nothing. A stored row whose
/// JSON or enum text cannot be read back throws ``StoreError/malformedRow(path:table:row:detail:)``.
extension Store {
    /// The settings an execution label is pinned to, recording `configuration` when the label is
    /// new. A label is pinned by its first committed LLM call or agent run, not by a start that
    /// failed before either (a mistyped model refused with 404, a task without rollouts): when
    /// nothing paid for is stored yet, the label's rows — tasks and rollouts copied from the
    /// inputs — are dropped and `configuration` replaces the old settings.
    public func executionConfiguration(label: String, recording configuration: String) throws(StoreError) -> String {
        try write { db in
            guard var stored = try ExecutionRecord.filter(ExecutionRecord.Columns.label == label).fetchOne(db) else {
                var record = ExecutionRecord(label: label, configuration: configuration)
                try record.insert(db)
                return configuration
            }
            if stored.configuration == configuration { return configuration }
            let calls = try LLMCallRecord.filter(LLMCallRecord.Columns.label == label).fetchCount(db)
            let agentRuns =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM rollout JOIN task ON rollout.taskId = task.id
                        WHERE task.label = ? AND rollout.agentExitCode IS NOT NULL
                        """, arguments: [label]) ?? 0
            guard calls == 0 && agentRuns == 0 else { return stored.configuration }
            try TaskRecord.filter(TaskRecord.Columns.label == label).deleteAll(db)  // cascades to rollouts
            try db.execute(sql: "DELETE FROM judgeTally WHERE label = ?", arguments: [label])
            stored.configuration = configuration
            try stored.update(db)
            return configuration
        }
    }

    /// The task's row id under `label`, inserting the task when new.
    public func executorTask(label: String, _ task: AgentTask) throws(StoreError) -> Int64 {
        try write { db in
            let existing =
                TaskRecord
                .filter(TaskRecord.Columns.label == label && TaskRecord.Columns.taskID == task.taskID)
                .select(TaskRecord.Columns.id, as: Int64.self)
            if let id = try existing.fetchOne(db) { return id }
            var record = TaskRecord(task, label: label)
            try record.insert(db)
            return db.lastInsertedRowID
        }
    }

    /// The tasks stored under `label`, in insertion order.
    public func executorTasks(label: String) throws(StoreError) -> [(rowID: Int64, task: AgentTask)] {
        try read { db in
            try TaskRecord.filter(TaskRecord.Columns.label == label).order(TaskRecord.Columns.id).fetchAll(db)
                .map { (rowID: $0.id ?? 0, task: $0.task) }
        }
    }

    /// Stores a rollout (kept as it is when the same task, iteration and rollout id exist).
    @discardableResult
    public func insertRollout(
        taskRow: Int64, _ rollout: AgentRollout, agentExitCode: Int? = nil,
        agentLog: String? = nil
    ) throws(StoreError) -> Int64 {
        try write { db in
            let existing =
                RolloutRecord
                .filter(
                    RolloutRecord.Columns.taskId == taskRow && RolloutRecord.Columns.iteration == rollout.iteration
                        && RolloutRecord.Columns.rolloutID == rollout.rolloutID
                )
                .select(RolloutRecord.Columns.id, as: Int64.self)
            if let id = try existing.fetchOne(db) { return id }
            var record = try RolloutRecord(rollout, taskRow: taskRow, agentExitCode: agentExitCode, agentLog: agentLog)
            try record.insert(db)
            return db.lastInsertedRowID
        }
    }

    /// Sets rollouts' labels (evaluation mode): `[rolloutID: resolved]` of one task and iteration.
    public func setResolved(taskRow: Int64, iteration: Int, _ labels: [String: Bool]) throws(StoreError) {
        try write { db in
            for (id, resolved) in labels {
                try RolloutRecord
                    .filter(
                        RolloutRecord.Columns.taskId == taskRow && RolloutRecord.Columns.iteration == iteration
                            && RolloutRecord.Columns.rolloutID == id
                    )
                    .updateAll(db, RolloutRecord.Columns.resolved.set(to: resolved))
            }
        }
    }

    /// A task's rollouts of one iteration, in rollout-id order.
    public func rollouts(taskRow: Int64, iteration: Int) throws(StoreError) -> [StoredRollout] {
        try read { db in
            let taskID = try TaskRecord.fetchOne(db, key: taskRow)?.taskID ?? ""
            return
                try RolloutRecord
                .filter(RolloutRecord.Columns.taskId == taskRow && RolloutRecord.Columns.iteration == iteration)
                .order(RolloutRecord.Columns.rolloutID)
                .fetchAll(db)
                .map { try $0.stored(taskID: taskID) }
        }
    }

    /// The stored summary of a rollout.
    public func summary(rolloutRow: Int64) throws(StoreError) -> String? {
        try read { db in
            try SummaryRecord.filter(SummaryRecord.Columns.rolloutId == rolloutRow)
                .select(SummaryRecord.Columns.text, as: String.self).fetchOne(db)
        }
    }

    /// Stores a rollout's summary (the first one stored wins; a duplicate is ignored).
    public func insertSummary(
        rolloutRow: Int64, text: String, inputTruncated: Bool,
        callID: String
    ) throws(StoreError) {
        try write { db in
            var record = SummaryRecord(
                rolloutId: rolloutRow, text: text, inputTruncated: inputTruncated,
                callID: callID)
            try record.insert(db, onConflict: .ignore)
        }
    }

    /// A committed LLM call of the execution, by its logical call id.
    public func llmCall(label: String, callID: String) throws(StoreError) -> LLMCallLog? {
        try read { db in
            try LLMCallRecord.filter(LLMCallRecord.Columns.label == label && LLMCallRecord.Columns.callID == callID)
                .fetchOne(db)?.call
        }
    }

    /// Commits an LLM call (the first commit of a call id wins; a duplicate is ignored).
    public func insertLLMCall(label: String, _ call: LLMCallLog) throws(StoreError) {
        try write { db in
            var record = LLMCallRecord(call, label: label)
            try record.insert(db, onConflict: .ignore)
        }
    }

    /// Every committed LLM call of the execution, in commit order.
    public func llmCalls(label: String) throws(StoreError) -> [LLMCallLog] {
        try read { db in
            try LLMCallRecord.filter(LLMCallRecord.Columns.label == label).order(LLMCallRecord.Columns.id)
                .fetchAll(db).map(\.call)
        }
    }

    /// Prompt and completion tokens committed so far by the execution (what a budget cap counts).
    public func llmUsage(label: String) throws(StoreError) -> (promptTokens: Int, completionTokens: Int) {
        try read { db in
            let request = LLMCallRecord.filter(LLMCallRecord.Columns.label == label)
                .select(sum(LLMCallRecord.Columns.promptTokens) ?? 0, sum(LLMCallRecord.Columns.completionTokens) ?? 0)
            let row = try Row.fetchOne(db, request)
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    /// Commits one group's votes and its decision together.
    public func insertGroup(taskRow: Int64, votes: [JudgeVote], decision: TournamentDecision) throws(StoreError) {
        try write { db in
            for vote in votes {
                var record = try VoteRecord(vote, taskRow: taskRow)
                try record.insert(db)
            }
            var record = try SelectionRecord(decision, taskRow: taskRow)
            try record.insert(db)
        }
    }

    /// Commits a decision on its own (priors, final picks).
    public func insertDecision(taskRow: Int64, _ decision: TournamentDecision) throws(StoreError) {
        try write { db in
            var record = try SelectionRecord(decision, taskRow: taskRow)
            try record.insert(db)
        }
    }

    /// A task's decisions, in commit order.
    public func decisions(taskRow: Int64) throws(StoreError) -> [TournamentDecision] {
        try read { db in
            try SelectionRecord.filter(SelectionRecord.Columns.taskId == taskRow).order(SelectionRecord.Columns.id)
                .fetchAll(db).map { try $0.decision() }
        }
    }

    /// A task's judge votes, in commit order.
    public func votes(taskRow: Int64) throws(StoreError) -> [JudgeVote] {
        try read { db in
            try VoteRecord.filter(VoteRecord.Columns.taskId == taskRow).order(VoteRecord.Columns.id)
                .fetchAll(db).map { try $0.vote() }
        }
    }
}
