import Agentic
import ArgumentParser
import Foundation

extension AgentGroup {
    /// `isoplan agent mini-swe-agent`: one rollout of mini-SWE-agent in a copy of the task's repository.
    struct MiniSWEAgent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mini-swe-agent",
            abstract:
                "Run mini-SWE-agent on one task with the prior summaries in its task text; grade it by the hidden test.",
            discussion: """
                Copies the task's repository (metadata "repo") into OUT/repo, runs mini-SWE-agent \
                (PyPI mini-swe-agent, installed by Tests/MiniSWEAgent/setup.sh) there against the \
                OpenAI-compatible endpoint, and writes preds.json (the working copy's diff) and \
                trajectory/*.traj.json into OUT; with metadata "test_command" (an argv) it runs the \
                hidden test in a graded copy and writes OUT/resolved.json. The key is read from the \
                variable --api-key-env names, never from the command line: under `tts pdr` use \
                another variable than the judge's, which agents do not inherit.

                  isoplan tts pdr --tasks tasks.jsonl --endpoint http://127.0.0.1:8000/v1 --model m \\
                      --agent-command '["isoplan","agent","mini-swe-agent","--task-file","{task_file}",
                        "--priors-file","{priors_file}","--out-dir","{out_dir}","--endpoint","http://127.0.0.1:8000/v1",
                        "--model","m","--mini","/abs/path/.venv/bin/mini","--repo-root","/abs/path/tasks"]'
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("task-file"), help: ArgumentHelp("The task file ({task_file}).", valueName: "file"))
        var taskFile: String

        @Option(
            name: .customLong("priors-file"), help: ArgumentHelp("The priors file ({priors_file}).", valueName: "file"))
        var priorsFile: String

        @Option(
            name: .customLong("out-dir"),
            help: ArgumentHelp("The rollout's output directory ({out_dir}).", valueName: "dir"))
        var outDir: String

        @Option(help: ArgumentHelp("The agent model's OpenAI-compatible base URL (…/v1).", valueName: "url"))
        var endpoint: String

        @Option(help: ArgumentHelp("The agent model's name at the endpoint.", valueName: "name"))
        var model: String

        @Option(
            name: .customLong("api-key-env"),
            help: ArgumentHelp(
                "Environment variable holding the agent's API key (omit for a keyless local server).",
                valueName: "NAME"))
        var apiKeyEnv: String?

        @Option(help: ArgumentHelp("The mini program (absolute path, or a name on PATH).", valueName: "path"))
        var mini = "mini"

        @Option(
            name: .customLong("mini-config"),
            help: ArgumentHelp(
                "A mini config (file, or one of mini's own such as mini.yaml) instead of the built-in compact one.",
                valueName: "spec"))
        var miniConfig: String?

        @Option(name: .customLong("step-limit"), help: ArgumentHelp("Model calls per run.", valueName: "n"))
        var stepLimit = 30

        @Option(
            name: .customLong("max-tokens"), help: ArgumentHelp("Completion tokens per model call.", valueName: "n"))
        var maxTokens: Int?

        @Option(
            name: .customLong("repo-root"),
            help: ArgumentHelp("Where relative metadata paths (repo, hidden_tests) are resolved.", valueName: "dir"))
        var repoRoot: String?

        @Option(
            name: .customLong("test-timeout"),
            help: ArgumentHelp("Seconds the hidden test may run (then it failed).", valueName: "s"))
        var testTimeout = 600.0

        func validate() throws {
            guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw ValidationError("--endpoint must be an http(s) URL such as http://127.0.0.1:8000/v1")
            }
            guard (1...10_000).contains(stepLimit) else { throw ValidationError("--step-limit must lie in 1…10000") }
            if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be positive") }
            guard testTimeout > 0 else { throw ValidationError("--test-timeout must be positive") }
        }

        func run() async throws {
            var options = MiniSWEAgentAdapter.Options(
                taskFile: taskFile, priorsFile: priorsFile, outDirectory: outDir, endpoint: URL(string: endpoint)!,
                model: model, apiKeyVariable: apiKeyEnv)
            options.mini = mini
            options.miniConfig = miniConfig
            options.stepLimit = stepLimit
            options.maxTokens = maxTokens
            options.repoRoot = repoRoot
            options.testTimeout = testTimeout
            let outcome = try await reportingFailures { try await MiniSWEAgentAdapter(options).run() }
            try global.render(outcome) { format in
                keyValueTable(
                    [
                        ("task", outcome.taskID), ("exit status", outcome.exitStatus),
                        ("patch lines", String(outcome.patchLines)),
                        ("resolved", outcome.resolved.map { $0 ? "yes" : "no" } ?? "-"),
                        ("trajectory", outcome.trajectory),
                    ], format: format)
            }
        }
    }
}
