import Agentic
import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Testing

/// `MiniSWEAgentAdapter` with a scripted stand-in for mini (`Tests/Scripts/fake_mini.py`): the
/// working copy, the patch, the hidden test's grading, the task text with priors, the key's
/// hygiene and the errors on bad input. The real mini runs in `MiniSWEAgentTests`.
@Suite("mini-SWE-agent adapter")
struct MiniSWEAgentAdapterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/MiniSWETasks")
    static let fakeMini = ScriptedServer.scripts.appendingPathComponent("fake_mini.py")

    /// The fixture tasks, as the executor hands them to an agent.
    static func task(_ id: String) throws -> AgentTask {
        try #require(
            try AgentRollouts.tasks(fixtures.appendingPathComponent("tasks.jsonl").path).first { $0.taskID == id })
    }

    /// Writes `{task_file}` and `{priors_file}` the way `AgentRunner` does, and the adapter's options.
    static func options(
        _ task: AgentTask, priors: [MiniSWEAgentAdapter.PriorsFile.Prior] = [], in directory: TemporaryDirectory,
        environment: [String: String] = [:]
    ) throws -> MiniSWEAgentAdapter.Options {
        let taskObject: [String: Any] = [
            "task_id": task.taskID, "problem_statement": task.statement,
            "metadata": try JSONSerialization.jsonObject(with: Data(task.metadataJSON.utf8)),
        ]
        try JSONSerialization.data(withJSONObject: taskObject).write(to: directory.url.appendingPathComponent("t.json"))
        let priorsObject: [String: Any] = [
            "task_id": task.taskID, "iteration": priors.isEmpty ? 0 : 1,
            "priors": priors.map { ["rollout_id": $0.rolloutID, "summary": $0.summary] },
        ]
        try JSONSerialization.data(withJSONObject: priorsObject).write(
            to: directory.url.appendingPathComponent("p.json"))
        var options = MiniSWEAgentAdapter.Options(
            taskFile: directory.path("t.json"), priorsFile: directory.path("p.json"),
            outDirectory: directory.path("out"),
            endpoint: URL(string: "http://127.0.0.1:9/v1")!, model: "local-model", apiKeyVariable: nil)
        options.mini = fakeMini.path
        options.repoRoot = fixtures.path
        options.testTimeout = 120
        options.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return options
    }

    @Test(arguments: [
        ("calc-add", "calc.py|a - b|a + b", true), ("calc-add", "", false),
        ("textstats-words", "textstats.py|text.split(\" \")|text.split()", true), ("textstats-words", "", false),
    ])
    func theHiddenTestGradesTheWorkingCopy(taskID: String, fix: String, resolves: Bool) async throws {
        let directory = try TemporaryDirectory("isoplan-mini")
        let task = try Self.task(taskID)
        let outcome = try await MiniSWEAgentAdapter(
            try Self.options(task, in: directory, environment: ["FAKE_MINI_FIX": fix])
        ).run()
        #expect(outcome.resolved == resolves)
        #expect(outcome.exitStatus == "Submitted")
        // The executor's importer reads the run back: trajectory, patch and grade.
        let rollout = try AgentRollouts.agentOutput(
            directory.path("out"), taskID: taskID, rolloutID: "r0", iteration: 0)
        #expect(rollout.messages.count == 5)
        #expect(rollout.messages[1].content == task.statement, "no priors: the task text is the statement")
        #expect(rollout.resolved == resolves)
        #expect(rollout.exitStatus == "Submitted")
        let replacement = fix.split(separator: "|").last.map(String.init) ?? ""
        #expect(rollout.finalPatch.contains("+") == resolves)
        if resolves { #expect(rollout.finalPatch.contains(replacement)) }
        // The hidden test ran (in the graded copy only: the agent's working copy never had it).
        let log = try String(contentsOfFile: directory.path("out/hidden-test.log"), encoding: .utf8)
        #expect(log.contains("Ran "))
        #expect(log.contains(resolves ? "OK" : "FAILED"))
        let hidden = try #require(
            try FileManager.default.contentsOfDirectory(
                atPath: Self.fixtures.appendingPathComponent("hidden/\(taskID == "calc-add" ? "calc" : "textstats")")
                    .path
            ).first)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out/repo/\(hidden)")))
        #expect(FileManager.default.fileExists(atPath: directory.path("out/graded/\(hidden)")))
        #expect(!rollout.finalPatch.contains(hidden), "the hidden test is not part of the patch")
    }

    @Test func priorsBecomeAPreviousAttemptsSection() async throws {
        let directory = try TemporaryDirectory("isoplan-mini")
        let priors = [
            MiniSWEAgentAdapter.PriorsFile.Prior(rolloutID: "it0-r3", summary: "Changed calc.add; tests not run.\n"),
            MiniSWEAgentAdapter.PriorsFile.Prior(rolloutID: "it0-r1", summary: "Edited README only."),
        ]
        let task = try Self.task("calc-add")
        _ = try await MiniSWEAgentAdapter(try Self.options(task, priors: priors, in: directory)).run()
        let rollout = try AgentRollouts.agentOutput(
            directory.path("out"), taskID: task.taskID, rolloutID: "r", iteration: 1)
        let text = rollout.messages[1].content
        #expect(
            text == MiniSWEAgentAdapter.taskText(task.statement, priors: .init(iteration: 1, priors: priors)))
        #expect(text.hasPrefix(task.statement + "\n\n## Previous attempts\n"))
        #expect(
            text.contains("### Attempt 1\n\nChanged calc.add; tests not run.\n\n### Attempt 2\n\nEdited README only."))
        #expect(!text.contains("it0-r3"), "rollout ids are not shown to the agent")
    }

    @Test func theKeyReachesLitellmOnlyThroughTheEnvironment() async throws {
        let directory = try TemporaryDirectory("isoplan-mini")
        let key = "sk-agent-\(UUID().uuidString)"
        var options = try Self.options(
            try Self.task("calc-add"), in: directory,
            environment: ["AGENT_KEY": key, "FAKE_MINI_LOG": directory.path("mini.jsonl")])
        options.apiKeyVariable = "AGENT_KEY"
        _ = try await MiniSWEAgentAdapter(options).run()
        struct Invocation: Decodable {
            let argv: [String]
            let cwd: String
            let openaiAPIKey: String?
            let variables: [String]
            enum CodingKeys: String, CodingKey {
                case argv, cwd, variables
                case openaiAPIKey = "openai_api_key"
            }
        }
        let invocation = try JSONDecoder().decode(
            Invocation.self, from: Data(contentsOf: URL(fileURLWithPath: directory.path("mini.jsonl"))))
        #expect(invocation.openaiAPIKey == key, "litellm reads OPENAI_API_KEY")
        #expect(!invocation.variables.contains("AGENT_KEY"), "the named variable is not passed on")
        #expect(!invocation.argv.joined(separator: " ").contains(key))
        #expect(invocation.cwd == URL(fileURLWithPath: directory.path("out/repo")).standardizedFileURL.path)
        // The model's shell commands see both variables empty (mini's environment.env).
        let run = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.path("out/mini/run.yaml"))))
                as? [String: Any])
        let shellEnvironment = (run["environment"] as? [String: Any])?["env"] as? [String: String]
        #expect(shellEnvironment == ["OPENAI_API_KEY": "", "AGENT_KEY": ""])
        #expect(((run["model"] as? [String: Any])?["model_name"] as? String) == "openai/local-model")
        for case let file as String in FileManager.default.enumerator(atPath: directory.path("out"))! {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: directory.path("out/\(file)")))) ?? Data()
            #expect(data.range(of: Data(key.utf8)) == nil, "the key is in no file of the run (\(file))")
        }
    }

    @Test func badInputsFailWithOneLine() async throws {
        let directory = try TemporaryDirectory("isoplan-mini")
        let task = try Self.task("calc-add")
        var options = try Self.options(task, in: directory)
        options.repoRoot = nil
        await #expect(throws: ImportError.self) { try await MiniSWEAgentAdapter(options).run() }
        do {
            _ = try await MiniSWEAgentAdapter(options).run()
        } catch {
            #expect("\(error)".contains("metadata.repo \"repos/calc\" is relative: give --repo-root"))
        }
        options = try Self.options(task, in: directory)
        options.apiKeyVariable = "ISOPLAN_TEST_UNSET_\(UUID().uuidString.prefix(8))"
        await #expect(throws: LLMError.missingKey(variable: options.apiKeyVariable!)) {
            try await MiniSWEAgentAdapter(options).run()
        }
        options = try Self.options(task, in: directory, environment: ["FAKE_MINI_EXIT": "3"])
        options.outDirectory = directory.path("crashed")
        do {
            _ = try await MiniSWEAgentAdapter(options).run()
            Issue.record("a mini that writes no trajectory is an error")
        } catch {
            #expect("\(error)".contains("exited with status 3 and wrote no trajectory"))
            #expect("\(error)".contains("crashing as asked"), "the log's last line")
        }
        // A used output directory is refused, not overwritten.
        await #expect(throws: ExecutorError.self) { try await MiniSWEAgentAdapter(options).run() }
        options.taskFile = directory.path("missing.json")
        await #expect(throws: ImportError.unreadable(file: options.taskFile, reason: "cannot read")) {
            try await MiniSWEAgentAdapter(options).run()
        }
    }

    @Test func theCommandLineMapsErrorsToExitCodes() throws {
        let directory = try TemporaryDirectory("isoplan-mini")
        var arguments = [
            "agent", "mini-swe-agent", "--task-file", directory.path("missing.json"), "--priors-file",
            directory.path("p.json"), "--out-dir", directory.path("out"), "--endpoint", "http://127.0.0.1:9/v1",
            "--model", "m", "--mini", Self.fakeMini.path,
        ]
        let missing = try CommandRunner.run(arguments)
        #expect(missing.status == 66)
        #expect(missing.stderr.split(separator: "\n").count == 1 && missing.stderr.hasPrefix("error: "))
        arguments[3] = try Self.options(try Self.task("calc-add"), in: directory).taskFile
        let relative = try CommandRunner.run(arguments)
        #expect(relative.status == 65, "\(relative.stderr)")
        #expect(relative.stderr.contains("--repo-root"))
        let usage = try CommandRunner.run(arguments + ["--step-limit", "0"])
        #expect(usage.status == 64)
    }
}
