import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Testing

@Suite("Agent evaluation importers")
struct AgentResultsTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    @Test func terminalBenchRunCountsNullsAsUnresolvedOrDropsThem() throws {
        let run = try Self.fixture("openhands_claude-4-sonnet_run1_results.json")
        #expect(try SolveRateSources.detect(run) == .terminalBench)
        let counted = try #require(try SolveRateSources.read([run]).first)
        #expect(counted.system == nil)
        #expect(counted.tasks.count == 80 && counted.tasks.allSatisfy { $0.trials == 1 })
        #expect(counted.tasks.reduce(0) { $0 + $1.successes } == 32)  // the file's own n_resolved
        var options = SolveRateImportOptions()
        options.nullResolved = .drop
        let dropped = try #require(try SolveRateSources.read([run], options: options).first)
        #expect(dropped.tasks.count == 77)
    }

    @Test func trialsAreDeduplicatedAndSystemsNamed() throws {
        let run = try Self.fixture("openhands_claude-4-sonnet_run1_results.json")
        let trial = try Self.fixture("openhands_claude-4-sonnet_run1_chess-best-move_trial_results.json")
        let mini = try Self.fixture("swe-agent-mini_claude-4-sonnet_2025-08-15__19-28-24_results.json")
        let systems = try SolveRateSources.read(["openhands=\(run)", "openhands=\(trial)", "mini=\(mini)"])
        #expect(systems.map(\.system) == ["openhands", "mini"])
        // The trial file repeats a trial of the run file (same id): counted once.
        #expect(systems[0].tasks.first { $0.taskID == "chess-best-move" }?.trials == 1)
        #expect(systems[1].tasks.reduce(0) { $0 + $1.successes } == 6)
        // The same run under two names is two systems; read twice under one name it is one trial per task (same ids).
        let twice = try SolveRateSources.read(["a=\(run)", "a=\(run)"])
        #expect(twice.count == 1 && twice[0].tasks.allSatisfy { $0.trials == 1 })
    }

    @Test func sweBenchReportsOfBothSchemas() throws {
        let classic = try Self.fixture("auto-code-rover_acr-run-1_report.json")
        let v2 = try Self.fixture("mini-swe-agent-pr816_deepseek__deepseek-chat.deepseek_chat_dev.json")
        #expect(try SolveRateSources.detect(classic) == .sweBench && SolveRateSources.detect(v2) == .sweBench)
        let acr = try #require(try SolveRateSources.read([classic]).first)
        #expect(acr.tasks.count == 249 && acr.tasks.reduce(0) { $0 + $1.successes } == 54)
        let deepseek = try #require(try SolveRateSources.read([v2]).first)
        #expect(deepseek.tasks.count == 23 && deepseek.tasks.reduce(0) { $0 + $1.successes } == 8)
        // Two reports of the same system are two trials per shared instance.
        let both = try #require(try SolveRateSources.read([v2, v2]).first)
        #expect(both.tasks.allSatisfy { $0.trials == 2 })
    }

    @Test func miniSWEAgentRunsNeedLabels() throws {
        let preds = try Self.fixture("deepseek_chat_dev_preds.json")
        let traj = try Self.fixture("deepseek_reasoner_dev_pvlib__pvlib-python-1154.traj.json")
        let report = try Self.fixture("mini-swe-agent-pr816_deepseek__deepseek-chat.deepseek_chat_dev.json")
        #expect(try SolveRateSources.detect(preds) == .miniSWEAgent && SolveRateSources.detect(traj) == .miniSWEAgent)
        #expect(throws: ImportError.self) { try SolveRateSources.read([preds]) }
        var options = SolveRateImportOptions()
        options.labels = [report]
        let chat = try #require(
            try SolveRateSources.read(["chat=\(preds)", "reasoner=\(traj)"], options: options).first)
        #expect(chat.tasks.count == 23 && chat.tasks.reduce(0) { $0 + $1.successes } == 8)
        let reasoner = try SolveRateSources.read(["reasoner=\(traj)"], options: options)
        #expect(reasoner[0].tasks == [TaskOutcome(taskID: "pvlib__pvlib-python-1154", trials: 1, successes: 0)])
        // A run directory holding preds.json reads the same.
        let dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: preds, toPath: dir.path("preds.json"))
        #expect(try SolveRateSources.read([dir.url.path], options: options)[0].tasks == chat.tasks)
    }

    @Test func badInputsNameTheFile() throws {
        let dir = try TemporaryDirectory()
        let junk = dir.path("junk.json")
        try Data(#"{"hello": 1}"#.utf8).write(to: URL(fileURLWithPath: junk))
        #expect { try SolveRateSources.read([junk]) } throws: { error in
            "\(error)".contains("junk.json") && "\(error)".contains("unrecognised JSON")
        }
        let badTrial = dir.path("bad.json")
        try Data(#"{"results": [{"task_id": "t", "is_resolved": "yes"}]}"#.utf8).write(
            to: URL(fileURLWithPath: badTrial))
        #expect(throws: ImportError.self) { try SolveRateSources.read([badTrial]) }
        #expect { try SolveRateSources.read([dir.path("missing.json")]) } throws: {
            ($0 as? ImportError)?.isMissingFile == true
        }
        // A NAME= prefix cannot merge the systems of a multi-system counts file.
        let counts = dir.path("two.csv")
        try Data("system,task_id,trials,successes\na,t1,2,1\nb,t1,2,2\n".utf8).write(to: URL(fileURLWithPath: counts))
        #expect { try SolveRateSources.read(["x=\(counts)"]) } throws: { "\($0)".contains("would merge them") }
        #expect(try SolveRateSources.read([counts]).count == 2)
        // Labels from another run's report are refused.
        var options = SolveRateImportOptions()
        options.labels = [try Self.fixture("auto-code-rover_acr-run-1_report.json")]
        #expect {
            try SolveRateSources.read([try Self.fixture("deepseek_chat_dev_preds.json")], options: options)
        } throws: { "\($0)".contains("not in the --labels report") }
    }
}
