import Foundation
import Ingest

extension MiniSWEAgentAdapter {
    /// The built-in mini config: short prompts (mini's own run to some 1,500 tokens, more than
    /// a small local model's context holds once a few steps are added), text-based actions (one
    /// fenced `bash` block per reply; many local servers do not do tool calls), observations cut
    /// to 2,000 characters, no cost limit (the step limit bounds a run).
    static let compactConfig = """
        agent:
          system_template: |
            You are a software engineering agent working in a Linux shell.
            Reply with a short THOUGHT, then exactly one shell command in a fenced block, like this:

            THOUGHT: I will list the files first.

            ```bash
            ls
            ```
          instance_template: |
            {{task}}

            The repository is your current directory. Run one shell command per reply; each runs in a
            new shell there. Edit files with commands such as sed -i or cat <<'EOF' > file.
            When the fix is done, reply with exactly this command: `echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT`
          cost_limit: 0
          max_consecutive_format_errors: 3
        model:
          model_class: litellm_textbased
          action_regex: "```(?:bash|sh|shell|mswea_bash_command)?[ \\\\t]*\\\\n(.*?)\\\\n```"
          format_error_template: |
            Reply with exactly one shell command in a ```bash fenced block (found {{actions|length}}).
          observation_template: |
            {% if output.exception_info -%}<exception>{{output.exception_info}}</exception>
            {% endif -%}
            <returncode>{{output.returncode}}</returncode>
            <output>
            {{ output.output[:2000] }}{% if output.output | length > 2000 %}
            [output cut: {{ output.output | length }} characters]{% endif %}
            </output>
          model_kwargs:
            drop_params: true
        environment:
          timeout: 60
          env:
            PAGER: cat
            MANPAGER: cat
            GIT_PAGER: cat
            PIP_PROGRESS_BAR: "off"
            TQDM_DISABLE: "1"
            PYTHONDONTWRITEBYTECODE: "1"

        """

    /// Writes mini's configs under `{out_dir}/mini` and returns the `-c` specs in merge order:
    /// the base (the built-in compact config, or `--mini-config`), then this run's settings —
    /// model, endpoint, step limit, working directory, task text, and the key's variables
    /// emptied in the agent's shell. The run file is JSON (a subset of YAML that mini reads),
    /// named `.yaml` because mini looks files up by that suffix; it never holds the key.
    func writeConfigs(taskText: String, layout: Layout) throws -> [String] {
        let base: String
        if let spec = options.miniConfig {
            base = spec
        } else {
            let file = layout.mini.appendingPathComponent("compact.yaml")
            try Self.compactConfig.write(to: file, atomically: true, encoding: .utf8)
            base = file.path
        }
        var modelArguments: [String: Any] = ["api_base": options.endpoint.absoluteString]
        if let maxTokens = options.maxTokens { modelArguments["max_tokens"] = maxTokens }
        // The model's shell commands see the key's variables empty (mini's environment.env
        // overrides the inherited environment).
        var hidden = ["OPENAI_API_KEY": ""]
        if let variable = options.apiKeyVariable { hidden[variable] = "" }
        let run: [String: Any] = [
            "agent": ["step_limit": options.stepLimit],
            "model": [
                "model_name": "openai/\(options.model)", "cost_tracking": "ignore_errors",
                "model_kwargs": modelArguments,
            ],
            "environment": ["cwd": layout.workingCopy.path, "env": hidden],
            "run": ["task": taskText],
        ]
        let file = layout.mini.appendingPathComponent("run.yaml")
        try JSONSerialization.data(withJSONObject: run, options: [.sortedKeys, .withoutEscapingSlashes]).write(
            to: file, options: .atomic)
        return [base, file.path]
    }

    /// Completes the run layout the importer reads: the trajectory gets `instance_id` (the task
    /// id, which a file name cannot always hold), and `preds.json` maps the task to the patch
    /// (the working copy's diff, which is what the hidden test grades; mini's own submission
    /// stays in the trajectory's `info.submission`). Returns mini's exit status.
    func recordRun(task: TaskFile, patch: String, layout: Layout) throws -> String {
        guard
            var trajectory = try? JSONSerialization.jsonObject(with: Data(contentsOf: layout.trajectory))
                as? [String: Any]
        else {
            throw ExecutorError.agent("\(layout.trajectory.path) is not a JSON object")
        }
        trajectory["instance_id"] = task.taskID
        try JSONSerialization.data(withJSONObject: trajectory, options: [.prettyPrinted, .sortedKeys]).write(
            to: layout.trajectory, options: .atomic)
        let prediction: [String: Any] = [
            task.taskID: [
                "instance_id": task.taskID, "model_name_or_path": "mini-swe-agent (\(options.model))",
                "model_patch": patch,
            ]
        ]
        try JSONSerialization.data(withJSONObject: prediction, options: [.prettyPrinted, .sortedKeys]).write(
            to: layout.out.appendingPathComponent("preds.json"), options: .atomic)
        return (trajectory["info"] as? [String: Any])?["exit_status"] as? String ?? ""
    }

    /// The hidden test: the working copy copied to `{out_dir}/graded`, the `hidden_tests` files
    /// laid over it (replacing files of the same path), then `test_command` run there with the
    /// time limit, its output in `{out_dir}/hidden-test.log`; exit 0 is resolved. Writes
    /// `{out_dir}/resolved.json` and returns the verdict.
    func grade(_ task: RepositoryTask, command: [String], layout: Layout) async throws -> Bool {
        guard let program = command.first, !program.isEmpty else {
            throw ImportError.malformed(
                file: options.taskFile, line: 1, reason: "metadata.test_command must be a non-empty argv array")
        }
        let files = FileManager.default
        try files.copyItem(at: layout.workingCopy, to: layout.graded)
        if let hidden = task.hiddenTests {
            let source = try existingDirectory(hidden, field: "hidden_tests")
            for case let relative as String in files.enumerator(atPath: source.path)?.allObjects ?? [] {
                var isDirectory: ObjCBool = false
                let from = source.appendingPathComponent(relative)
                guard files.fileExists(atPath: from.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                    continue
                }
                let to = layout.graded.appendingPathComponent(relative)
                try files.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? files.removeItem(at: to)
                try files.copyItem(at: from, to: to)
            }
        }
        let log = layout.out.appendingPathComponent("hidden-test.log")
        let status = try await ChildProcess.run(
            command, in: layout.graded, environment: options.keylessEnvironment, stdout: log, stderr: log,
            timeout: options.testTimeout)
        let resolved = status == 0
        try JSONSerialization.data(
            withJSONObject: ["resolved": resolved, "test_exit_status": Int(status)] as [String: Any]
        ).write(
            to: layout.out.appendingPathComponent("resolved.json"), options: .atomic)
        return resolved
    }
}
