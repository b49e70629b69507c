import Agentic
import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import NumericCore
import Testing

@Suite("Judge answers, call ids, names and summaries")
struct AgenticUnitTests {
    @Test(
        arguments: [
            ("<choice>2</choice>", 2), ("I pick candidate 1. <CHOICE> 1 </Choice>", 1),
            ("<choice>1</choice> no wait <choice>2</choice>", 2),
            ("<choice>3</choice>", nil), ("<choice>0</choice>", nil), ("<choice>none</choice>", nil),
            ("Candidate 2 is better.", nil),
            ("<choice>2", nil), ("<choice>9</choice><choice>1</choice>", 1), ("", nil),
            ("{\"choice\": 2}", 2), (" {\"choice\":1}\n", 1), ("{\"choice\": 3}", nil), ("{\"choice\": true}", nil),
            ("{\"choice\": 1.5}", nil), ("{\"pick\": 1}", nil),
        ] as [(String, Int?)])
    func choicesParseOnlyFromAValidTag(answer: String, expected: Int?) {
        #expect(JudgePrompt.choice(in: answer, candidates: 2) == expected)
    }

    @Test func callIDsEscapeTheirSeparators() {
        let id = CallIdentity.judge(
            task: "a|b=c%d", iteration: 1, stage: .final, round: 2, group: 3, vote: 4, attempt: 0, purpose: .tieBreak)
        #expect(id == "task=a%7Cb%3Dc%25d|it=1|stage=final|round=2|group=3|vote=4|attempt=0|purpose=tie-break")
        #expect(
            CallIdentity.summary(task: "t", iteration: 0, rollout: "r|1")
                == "task=t|it=0|rollout=r%7C1|attempt=0|purpose=summary")
    }

    @Test func placeholdersAreSubstitutedOnce() {
        let values = ["{task_id}": "{out_dir}", "{out_dir}": "/w/x"]
        #expect(
            AgentCommand.substitute("--task={task_id} {out_dir} {other} {", values) == "--task={out_dir} /w/x {other} {"
        )
    }

    @Test func safeNamesCannotEscapeTheirDirectory() {
        let ids = [
            "../../etc/passwd", "a/b", "a_b", "x;rm -rf $(y)|'z\"", ".hidden", "ü",
            String(repeating: "long", count: 40),
        ]
        let names = ids.map(AgentCommand.safeName)
        #expect(Set(names).count == ids.count, "distinct ids get distinct names")
        for name in names {
            #expect(!name.contains("/") && !name.hasPrefix(".") && name.count <= 69)
            #expect(
                name.unicodeScalars.allSatisfy {
                    CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0)
                })
        }
        #expect(AgentCommand.safeName("a/b") != AgentCommand.safeName("a_b"))
    }

    @Test func deterministicShufflesDependOnlyOnTheirCoordinates() {
        var a = CallIdentity.generator(seed: 3, "task", "0", "final", "round", "1")
        var b = CallIdentity.generator(seed: 3, "task", "0", "final", "round", "1")
        var c = CallIdentity.generator(seed: 4, "task", "0", "final", "round", "1")
        let (x, y, z) = (a.next(), b.next(), c.next())
        #expect(x == y && x != z)
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func miniSWEAgentRunsBecomeRollouts() throws {
        let chat = try AgentRollouts.miniSWEAgentRun(Self.fixtures.appendingPathComponent("deepseek_chat_dev").path)
        let sqlfluff = try #require(chat.first { $0.taskID == "sqlfluff__sqlfluff-2419" })
        #expect(chat.count == 23, "one rollout per preds.json entry")
        #expect(
            sqlfluff.rolloutID == "deepseek_chat_dev" && sqlfluff.exitStatus == "Submitted"
                && sqlfluff.messages.count == 98)
        #expect(sqlfluff.finalPatch.hasPrefix("diff --git a/src/sqlfluff/rules/L060.py"))
        let reasoner = try AgentRollouts.miniSWEAgentRun(
            Self.fixtures.appendingPathComponent("deepseek_reasoner_dev").path)
        #expect(reasoner.count == 1 && reasoner[0].exitStatus == "Timeout" && reasoner[0].finalPatch.isEmpty)
        #expect(reasoner[0].messages.map(\.role) == ["system", "user", "exit"])
        let labels = try AgentRollouts.labels(
            Self.fixtures.appendingPathComponent("deepseek_chat_dev_report.json").path,
            rolloutID: "deepseek_chat_dev", tasks: chat.map(\.taskID))
        #expect(labels[["sqlfluff__sqlfluff-2419", "deepseek_chat_dev"]] == true)
        #expect(labels.values.filter { $0 }.count == 8)
        #expect(throws: ImportError.self) { try AgentRollouts.miniSWEAgentRun(Self.fixtures.path + "/nowhere") }
    }

    @Test func longTrajectoriesAreCutKeepingTaskPatchErrorsAndLastSteps() throws {
        let run = try AgentRollouts.miniSWEAgentRun(Self.fixtures.appendingPathComponent("deepseek_chat_dev").path)
        let rollout = try #require(run.first { $0.taskID == "sqlfluff__sqlfluff-2419" })
        var options = SummaryOptions()
        options.contextCharacters = 12_000
        let task = AgentTask(taskID: rollout.taskID, statement: "")
        let (messages, truncated) = SummaryPrompt.messages(task: task, rollout: rollout, options: options)
        let prompt = messages[1].content
        #expect(truncated)
        #expect(
            prompt.contains("Rule L060 could give a specific error message"),
            "the task statement, from the first user message")
        #expect(prompt.contains("diff --git a/src/sqlfluff/rules/L060.py"), "the final diff")
        #expect(prompt.contains("middle steps omitted"))
        #expect(
            prompt.contains("### Step 1 (user)") && prompt.contains("### Step 97 ("), "the first and the last steps")
        #expect(prompt.count < 12_000 + 3_000, "within the budget plus the fixed text: \(prompt.count)")
        #expect(!prompt.contains("Rollout-Ref:"), "real models see no rollout ids")
        options.includeRolloutReference = true
        #expect(
            SummaryPrompt.messages(task: task, rollout: rollout, options: options).messages[1].content
                .contains("Rollout-Ref: sqlfluff__sqlfluff-2419::deepseek_chat_dev"))
        // A short trajectory is passed whole.
        let short = AgentRollout(
            taskID: "t", rolloutID: "r",
            messages: [
                TranscriptMessage(role: "user", content: "do x"),
                TranscriptMessage(role: "tool", content: "ValueError: bad"),
            ], finalPatch: "", source: "test")
        let (whole, cut) = SummaryPrompt.messages(
            task: AgentTask(taskID: "t", statement: "do x"), rollout: short, options: SummaryOptions())
        #expect(
            !cut && whole[1].content.contains("ValueError: bad") && whole[1].content.contains("(no patch submitted)"))
    }

    @Test func genericJSONLAndLabelsCSVRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let jsonl = dir.path("r.jsonl")
        let csv = dir.path("labels.csv")
        try """
        {"task_id": "a;b", "rollout_id": "1", "transcript": "did things", "final_patch": "diff", "resolved": true}
        {"task_id": "a;b", "rollout_id": 2, "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}], "final_patch": ""}
        """.write(toFile: jsonl, atomically: true, encoding: .utf8)
        let rollouts = try AgentRollouts.jsonl(jsonl)
        #expect(rollouts.map(\.rolloutID) == ["1", "2"] && rollouts[0].resolved == true && rollouts[1].resolved == nil)
        #expect(rollouts[1].messages == [TranscriptMessage(role: "user", content: "hi")])
        try "task_id,rollout_id,resolved\na;b,2,0\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try AgentRollouts.labels(csv) == [["a;b", "2"]: false])
        try "task_id,rollout_id,trials,successes\na;b,1,1,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try AgentRollouts.labels(csv) == [["a;b", "1"]: true], "per-rollout counts grade rollouts")
        try "task_id,trials,successes\na;b,5,2\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self, "a per-task counts file cannot grade rollouts") {
            try AgentRollouts.labels(csv)
        }
        try "{\"task_id\": \"x\"}\n".write(toFile: jsonl, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try AgentRollouts.jsonl(jsonl) }
        try "{\"task_id\": \"bad\\nid\", \"rollout_id\": \"1\", \"transcript\": \"\"}\n".write(
            toFile: jsonl, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try AgentRollouts.jsonl(jsonl) }
    }
}
