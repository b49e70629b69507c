public import Foundation
import Ingest

/// The reference agent of PDR: runs mini-SWE-agent (PyPI `mini-swe-agent`, tested with 2.4.6)
/// for one rollout, as `isoplan agent mini-swe-agent` inside `tts pdr --agent-command`.
///
/// One run: read `{task_file}` and `{priors_file}`; compose the task text (the statement, then a
/// "Previous attempts" section with the prior summaries); copy the task's repository (metadata
/// `repo`) into `{out_dir}/repo` and commit it as the base; run mini non-interactively against
/// the OpenAI-compatible endpoint through litellm (`openai/<model>`, `api_base`) with a step
/// limit; take the patch as the working copy's `git diff` against the base; write the run layout
/// ``AgentRollouts/agentOutput(_:taskID:rolloutID:iteration:)`` reads (`preds.json`,
/// `trajectory/<name>.traj.json`); and, when the metadata names a `test_command`, run it in a
/// copy of the working copy with the `hidden_tests` laid over it and write `resolved.json`.
/// `docs/EXECUTOR.md` ("The reference agent: mini-SWE-agent") gives the layout and the fields.
public struct MiniSWEAgentAdapter: Sendable {
    /// What the command line gives.
    public struct Options: Sendable {
        public var taskFile: String
        public var priorsFile: String
        public var outDirectory: String
        /// The OpenAI-compatible base URL (`…/v1`).
        public var endpoint: URL
        /// The endpoint's model name (sent through litellm as `openai/<model>`).
        public var model: String
        /// The variable holding the agent's API key; `nil` sends a placeholder (keyless servers).
        public var apiKeyVariable: String?
        /// The `mini` program (a bare name is looked up on `PATH`).
        public var mini = "mini"
        /// A mini config spec (a file, or a name of mini's own such as `mini.yaml`) replacing the
        /// built-in compact text-based config.
        public var miniConfig: String?
        /// Model calls before mini stops (`LimitsExceeded`).
        public var stepLimit = 30
        /// Completion tokens per model call (`max_tokens`), when given.
        public var maxTokens: Int?
        /// Where relative `repo` and `hidden_tests` paths are resolved.
        public var repoRoot: String?
        /// Seconds the hidden test may run before it counts as failed.
        public var testTimeout = 600.0
        /// The environment mini inherits (less the key's variable).
        public var environment = ProcessInfo.processInfo.environment

        /// ``environment`` without any key: what git and the hidden test (code the model wrote) get.
        var keylessEnvironment: [String: String] {
            var keyless = environment
            keyless["OPENAI_API_KEY"] = nil
            if let apiKeyVariable { keyless[apiKeyVariable] = nil }
            return keyless
        }

        public init(
            taskFile: String, priorsFile: String, outDirectory: String, endpoint: URL, model: String,
            apiKeyVariable: String?
        ) {
            self.taskFile = taskFile
            self.priorsFile = priorsFile
            self.outDirectory = outDirectory
            self.endpoint = endpoint
            self.model = model
            self.apiKeyVariable = apiKeyVariable
        }
    }

    /// What one run left in the output directory.
    public struct Outcome: Sendable, Codable {
        public var taskID: String
        /// mini's exit status (`Submitted`, `LimitsExceeded`, `RepeatedFormatError`, an exception's name).
        public var exitStatus: String
        /// Lines of the working copy's diff against the base.
        public var patchLines: Int
        /// The hidden test's verdict; `nil` without a `test_command`.
        public var resolved: Bool?
        public var trajectory: String
    }

    public let options: Options

    public init(_ options: Options) { self.options = options }

    /// Runs mini-SWE-agent once and writes the rollout's files (see the type's comment).
    /// Throws on bad inputs (unreadable or malformed task and priors files, a missing
    /// repository, a missing key variable) and when mini leaves no trajectory; a run that mini
    /// itself ends in an error still returns, its exit status in the trajectory.
    public func run() async throws -> Outcome {
        let task = try TaskFile.read(options.taskFile)
        let priors = try PriorsFile.read(options.priorsFile)
        let layout = Layout(outDirectory: options.outDirectory, taskID: task.taskID)
        let environment = try miniEnvironment(layout)
        try await prepareWorkingCopy(task.metadata, layout: layout)
        let config = try writeConfigs(taskText: Self.taskText(task.problemStatement, priors: priors), layout: layout)
        var argv = [options.mini]
        for spec in config { argv += ["-c", spec] }
        argv += [
            "--agent-class", "default", "--environment-class", "local", "--exit-immediately", "--yolo", "-o",
            layout.trajectory.path,
        ]
        let status = try await ChildProcess.run(
            argv, in: layout.workingCopy, environment: environment, stdout: layout.miniLog, stderr: layout.miniLog)
        guard FileManager.default.fileExists(atPath: layout.trajectory.path) else {
            let tail = (try? String(contentsOf: layout.miniLog, encoding: .utf8))?.split(separator: "\n").last ?? ""
            throw ExecutorError.agent(
                "mini-swe-agent exited with status \(status) and wrote no trajectory (\(layout.miniLog.path): \(tail))")
        }
        let patch = try await workingCopyDiff(layout)
        let exitStatus = try recordRun(task: task, patch: patch, layout: layout)
        var resolved: Bool?
        if let command = task.metadata.testCommand {
            resolved = try await grade(task.metadata, command: command, layout: layout)
        }
        return Outcome(
            taskID: task.taskID, exitStatus: exitStatus, patchLines: patch.split(separator: "\n").count,
            resolved: resolved, trajectory: layout.trajectory.path)
    }

    /// The task text mini receives: the statement, then, when there are priors, the summaries of
    /// the previous iteration's selected attempts, numbered (their rollout ids are not shown).
    public static func taskText(_ statement: String, priors: PriorsFile) -> String {
        guard !priors.priors.isEmpty else { return statement }
        var text = statement + "\n\n## Previous attempts\n\n"
        text +=
            "Summaries of \(priors.priors.count) earlier attempt(s) at this task. They may be wrong: "
            + "check their claims before relying on them.\n"
        for (index, prior) in priors.priors.enumerated() {
            text += "\n### Attempt \(index + 1)\n\n\(prior.summary.trimmingCharacters(in: .whitespacesAndNewlines))\n"
        }
        return text
    }

    /// mini's environment: the key (if any) moved from its variable to `OPENAI_API_KEY`, where
    /// litellm reads it; mini's first-run set-up, banner and user config directory turned off
    /// (a config directory of its own in the run); cost tracking errors ignored (a local model has
    /// no price); litellm's price table read from the package, not fetched.
    func miniEnvironment(_ layout: Layout) throws -> [String: String] {
        var environment = options.environment
        var key = "none"
        if let variable = options.apiKeyVariable {
            guard let value = environment[variable], !value.isEmpty else {
                throw LLMError.missingKey(variable: variable)
            }
            key = value
            environment[variable] = nil
        }
        environment["OPENAI_API_KEY"] = key
        environment["MSWEA_CONFIGURED"] = "true"
        environment["MSWEA_SILENT_STARTUP"] = "1"
        environment["MSWEA_GLOBAL_CONFIG_DIR"] = layout.mini.appendingPathComponent("global").path
        environment["MSWEA_COST_TRACKING"] = "ignore_errors"
        environment["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
        return environment
    }
}

extension MiniSWEAgentAdapter {
    /// The files of one run under `{out_dir}`.
    struct Layout {
        let out: URL
        let workingCopy: URL
        let mini: URL
        let miniLog: URL
        let trajectory: URL
        let graded: URL

        init(outDirectory: String, taskID: String) {
            out = URL(fileURLWithPath: outDirectory).standardizedFileURL
            workingCopy = out.appendingPathComponent("repo")
            mini = out.appendingPathComponent("mini")
            miniLog = mini.appendingPathComponent("mini.log")
            trajectory = out.appendingPathComponent("trajectory/\(AgentCommand.safeName(taskID)).traj.json")
            graded = out.appendingPathComponent("graded")
        }
    }
}
