import Domain
import Foundation
import GRDB
import IsoplanTestSupport
import RunStore
import Testing

@Suite("Executor tables")
struct ExecutorTableTests {
    static let task = AgentTask(taskID: "repo/issue-7", statement: "Fix the parser.", metadataJSON: "{\"repo\": \"x\"}")

    static let rollout = AgentRollout(
        taskID: task.taskID, rolloutID: "r3", iteration: 1,
        messages: [
            TranscriptMessage(role: "user", content: "Fix it."),
            TranscriptMessage(role: "assistant", content: "Done."),
        ],
        finalPatch: "diff --git a/p.py b/p.py", resolved: nil, exitStatus: "Submitted", source: "run-dir/r3")

    static let vote = JudgeVote(
        stage: .select, iteration: 1, round: 2, group: 3, voteIndex: 4, attempt: 1, purpose: .reask,
        shownOrder: ["r3", "r1"], choice: 2, chosenRolloutID: "r1", counted: true, callID: "c-vote")

    static let decision = TournamentDecision(
        kind: .group, stage: .final, iteration: 1, round: 2, group: 3, candidates: ["r3", "r1"], chosen: ["r1"],
        method: "plurality", tally: ["r1": 5, "r3": 3])

    static let call = LLMCallLog(
        callID: "c-vote", purpose: "re-ask", requestHash: "0123456789abcdef", model: "m", response: "2",
        promptTokens: 120, completionTokens: 7, latency: 0.25, attempts: 2)

    /// A store with one row in each of the seven executor tables; the task's and rollout's row ids.
    static func filledStore(_ dir: TemporaryDirectory) throws -> (store: Store, taskRow: Int64, rolloutRow: Int64) {
        let store = try Store(path: dir.path("executor.sqlite"))
        #expect(try store.executionConfiguration(label: "run", recording: "{\"votes\":8}") == "{\"votes\":8}")
        let taskRow = try store.executorTask(label: "run", task)
        let rolloutRow = try store.insertRollout(taskRow: taskRow, rollout, agentExitCode: 0, agentLog: "ok")
        try store.insertSummary(
            rolloutRow: rolloutRow, text: "It fixed the parser.", inputTruncated: true,
            callID: "c-sum")
        try store.insertGroup(taskRow: taskRow, votes: [vote], decision: decision)
        try store.insertLLMCall(label: "run", call)
        return (store, taskRow, rolloutRow)
    }

    @Test func everyTableRoundTripsAcrossReopen() throws {
        let dir = try TemporaryDirectory()
        let (written, taskRow, rolloutRow) = try Self.filledStore(dir)
        let store = try Store(path: written.path)
        // A second start of the label keeps the first settings; a task or rollout again keeps its row.
        #expect(try store.executionConfiguration(label: "run", recording: "{\"votes\":4}") == "{\"votes\":8}")
        #expect(try store.executorTask(label: "run", Self.task) == taskRow)
        #expect(try store.insertRollout(taskRow: taskRow, Self.rollout) == rolloutRow)
        #expect(try store.executorTasks(label: "run").map(\.task) == [Self.task])
        #expect(try store.executorTasks(label: "run").map(\.rowID) == [taskRow])
        #expect(try store.executorTasks(label: "other").isEmpty)

        let stored = try store.rollouts(taskRow: taskRow, iteration: 1)
        #expect(stored.map(\.rowID) == [rolloutRow])
        #expect(stored.map(\.rollout) == [Self.rollout])
        #expect(stored.map(\.agentExitCode) == [0])
        #expect(try store.rollouts(taskRow: taskRow, iteration: 0).isEmpty)
        try store.setResolved(taskRow: taskRow, iteration: 1, ["r3": true])
        #expect(try store.rollouts(taskRow: taskRow, iteration: 1).map(\.rollout.resolved) == [true])

        try store.insertSummary(
            rolloutRow: rolloutRow, text: "A second summary is ignored.", inputTruncated: false,
            callID: "c-sum-2")
        #expect(try store.summary(rolloutRow: rolloutRow) == "It fixed the parser.")
        #expect(try store.summary(rolloutRow: rolloutRow + 1) == nil)

        #expect(try store.votes(taskRow: taskRow) == [Self.vote])
        let priors = TournamentDecision(
            kind: .priors, stage: .select, iteration: 1, candidates: ["r1"], chosen: ["r1"],
            method: "select-K")
        try store.insertDecision(taskRow: taskRow, priors)
        #expect(try store.decisions(taskRow: taskRow) == [Self.decision, priors])

        var duplicate = Self.call
        duplicate.response = "1"
        try store.insertLLMCall(label: "run", duplicate)
        #expect(try store.llmCall(label: "run", callID: "c-vote") == Self.call)
        #expect(try store.llmCall(label: "run", callID: "missing") == nil)
        #expect(try store.llmCalls(label: "run") == [Self.call])
        #expect(try store.llmUsage(label: "run") == (promptTokens: 120, completionTokens: 7))
        #expect(try store.llmUsage(label: "other") == (promptTokens: 0, completionTokens: 0))
        #expect(try store.info().counts["llmCall"] == 1)
    }

    /// Overwrites one column of one row behind the store's back, as a damaged file would hold it.
    static func corrupt(_ path: String, table: String, column: String, value: String) throws -> Int64 {
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE \"\(table)\" SET \"\(column)\" = ?", arguments: [value])
            return try Int64.fetchOne(db, sql: "SELECT id FROM \"\(table)\"") ?? -1
        }
    }

    /// The read that returns a row of `table`, for the corruption tests.
    static func read(_ table: String, from store: Store, taskRow: Int64) throws(StoreError) {
        switch table {
        case "rollout": _ = try store.rollouts(taskRow: taskRow, iteration: 1)
        case "vote": _ = try store.votes(taskRow: taskRow)
        default: _ = try store.decisions(taskRow: taskRow)
        }
    }

    @Test(arguments: [
        ("rollout", "messages", "[{\"role\": \"user\""),
        ("vote", "shownOrder", "{\"r1\": 1}"),
        ("selection", "candidates", "not json"),
        ("selection", "chosen", "[1, 2]"),
        ("selection", "tally", "[\"r1\"]"),
    ])
    func malformedJSONNamesTableAndRow(table: String, column: String, value: String) throws {
        let dir = try TemporaryDirectory()
        let (store, taskRow, _) = try Self.filledStore(dir)
        let rowID = try Self.corrupt(store.path, table: table, column: column, value: value)
        let error = try #require(throws: StoreError.self) { try Self.read(table, from: store, taskRow: taskRow) }
        guard case .malformedRow(let path, let failedTable, let failedRow, let detail) = error else {
            Issue.record("expected malformedRow, got \(error)")
            return
        }
        #expect(path == store.path && failedTable == table && failedRow == rowID)
        #expect(detail == "\(column) is malformed JSON (found \"\(value)\")")
        #expect(error.isBadInput)
        #expect(error.description.contains("table \(table), row \(rowID)"), "\(error)")
    }

    @Test(arguments: [("vote", "stage"), ("vote", "purpose"), ("selection", "kind"), ("selection", "stage")])
    func unknownEnumValueNamesTableAndRow(table: String, column: String) throws {
        let dir = try TemporaryDirectory()
        let (store, taskRow, _) = try Self.filledStore(dir)
        let rowID = try Self.corrupt(store.path, table: table, column: column, value: "semifinal")
        let error = try #require(throws: StoreError.self) { try Self.read(table, from: store, taskRow: taskRow) }
        #expect(
            error
                == .malformedRow(
                    path: store.path, table: table, row: rowID,
                    detail: "\(column) \"semifinal\" is not known"))
        #expect(
            error.description
                == "\(store.path): table \(table), row \(rowID): \(column) \"semifinal\" is not known")
    }
}
