import GRDB

/// Migration 7: the test-time executor's executions (label and settings), tasks, rollouts, summaries, judge votes, decisions
/// (selections) and LLM calls, all keyed by an execution label. Frozen: never edit once shipped.
enum V7Executor {
    static let identifier = "v7-executor"

    // length-exception: a shipped migration, frozen as released.
    static func migrate(_ db: Database) throws {
        try db.create(table: "execution") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("label", .text).notNull().unique()
            t.column("configuration", .text).notNull()
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
        }
        try db.create(table: "task") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("label", .text).notNull()
            t.column("taskID", .text).notNull()
            t.column("statement", .text).notNull()
            t.column("metadata", .text).notNull()
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
            t.uniqueKey(["label", "taskID"])
        }
        try db.create(table: "rollout") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("task", onDelete: .cascade).notNull()
            t.column("iteration", .integer).notNull().check { $0 >= 0 }
            t.column("rolloutID", .text).notNull()
            t.column("messages", .text).notNull()
            t.column("finalPatch", .text).notNull()
            t.column("resolved", .boolean)
            t.column("exitStatus", .text)
            t.column("source", .text).notNull()
            t.column("agentExitCode", .integer)
            t.column("agentLog", .text)
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
            t.uniqueKey(["taskId", "iteration", "rolloutID"])
        }
        try db.create(table: "summary") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("rollout", onDelete: .cascade).notNull().unique()
            t.column("text", .text).notNull()
            t.column("inputTruncated", .boolean).notNull()
            t.column("callID", .text).notNull()
        }
        try db.create(table: "vote") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("task", onDelete: .cascade).notNull()
            t.column("stage", .text).notNull()
            t.column("iteration", .integer).notNull()
            t.column("round", .integer).notNull()
            t.column("groupIndex", .integer).notNull()
            t.column("voteIndex", .integer).notNull()
            t.column("attempt", .integer).notNull()
            t.column("purpose", .text).notNull()
            t.column("shownOrder", .text).notNull()
            t.column("choice", .integer)
            t.column("chosenRolloutID", .text)
            t.column("counted", .boolean).notNull()
            t.column("callID", .text).notNull()
        }
        try db.create(
            index: "vote_on_task", on: "vote", columns: ["taskId", "stage", "iteration", "round", "groupIndex"])
        try db.create(table: "selection") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("task", onDelete: .cascade).notNull()
            t.column("kind", .text).notNull()
            t.column("stage", .text).notNull()
            t.column("iteration", .integer).notNull()
            t.column("round", .integer)
            t.column("groupIndex", .integer)
            t.column("candidates", .text).notNull()
            t.column("chosen", .text).notNull()
            t.column("method", .text).notNull()
            t.column("tally", .text).notNull()
        }
        try db.create(
            index: "selection_on_task", on: "selection",
            columns: ["taskId", "stage", "iteration", "round", "groupIndex"])
        try db.create(table: "llmCall") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("label", .text).notNull()
            t.column("callID", .text).notNull()
            t.column("purpose", .text).notNull()
            t.column("requestHash", .text).notNull()
            t.column("model", .text).notNull()
            t.column("response", .text).notNull()
            t.column("promptTokens", .integer).notNull()
            t.column("completionTokens", .integer).notNull()
            t.column("latency", .double).notNull()
            t.column("attempts", .integer).notNull()
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
            t.uniqueKey(["label", "callID"])
        }
    }
}
