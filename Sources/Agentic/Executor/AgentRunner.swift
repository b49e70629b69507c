public import Domain
import Foundation
import Ingest

/// An agent command: a JSON argv array whose elements may hold the placeholders `{task_id}`,
/// `{task_file}`, `{priors_file}` and `{out_dir}`. It is run without a shell (each element is one
/// argument, so a task id with shell metacharacters arrives intact), in a fresh output directory
/// per rollout, with a time limit; exit status, stdout and stderr are kept.
public struct AgentCommand: Sendable, Hashable, Codable {
    public var argv: [String]
    /// Seconds before the process is terminated (then killed 5 s later).
    public var timeout: Double
    /// Where each rollout's fresh directory is made.
    public var workDirectory: String
    /// Environment variables the agent does not inherit (the LLM API key's, by default).
    public var withheldEnvironment: [String] = []

    public init(argv: [String], timeout: Double = 3600, workDirectory: String) {
        self.argv = argv
        self.timeout = timeout
        self.workDirectory = workDirectory
    }

    /// `argument` with each placeholder replaced, in one left-to-right scan (a value that itself
    /// holds a placeholder, such as a task id `{out_dir}`, is never substituted again).
    public static func substitute(_ argument: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let tail = rest[open...]
            if let (key, value) = values.first(where: { tail.hasPrefix($0.key) }) {
                out += value
                rest = tail.dropFirst(key.count)
            } else {
                out.append("{")
                rest = tail.dropFirst()
            }
        }
        return out + rest
    }

    /// Parses the JSON array form (`["python3", "agent.py", "{task_id}", "{out_dir}"]`).
    public init(json: String, timeout: Double, workDirectory: String) throws(ExecutorError) {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String],
            let first = array.first, !first.isEmpty,
            !first.hasPrefix("-"), !first.contains("=")
        else {
            throw .invalid(
                "--agent-command must be a JSON array of strings with the program first, e.g. [\"python3\", \"agent.py\", \"{task_id}\", \"{out_dir}\"]"
            )
        }
        self.init(argv: array, timeout: timeout, workDirectory: workDirectory)
    }

    /// A file-system-safe name for any id: letters, digits, `-`, `_` and `.` kept (a leading
    /// dot replaced), anything else `_`, cut to 60 characters, plus a stable hash of the whole id
    /// so that different ids never share a name.
    public static func safeName(_ id: String) -> String {
        var kept = String(
            id.unicodeScalars.map { c -> Character in
                CharacterSet.alphanumerics.contains(c) && c.isASCII || c == "-" || c == "_" || c == "."
                    ? Character(c) : "_"
            }.prefix(60))
        if kept.hasPrefix(".") { kept = "_" + kept.dropFirst() }
        return kept + "-" + String(StableHash.hex(id).prefix(8))
    }
}

/// What one agent run produced.
public struct AgentRun: Sendable {
    public var rollout: AgentRollout
    public var exitCode: Int32
    /// The tail of stdout and stderr.
    public var log: String
}

/// Runs an ``AgentCommand`` for one rollout.
public enum AgentRunner {
    /// Runs the agent for `rolloutID` of `task` at `iteration` with `priors` (summaries shown to a
    /// refinement rollout), in a new attempt directory. A failed run (non-zero exit, time-out, no readable output) still
    /// yields a rollout — with no patch and the failure as its exit status — so the population
    /// keeps its size and the failure is visible to the judge and in the record.
    public static func run(
        _ command: AgentCommand, task: AgentTask, rolloutID: String, iteration: Int,
        priors: [(rolloutID: String, summary: String)]
    ) async throws(ExecutorError) -> AgentRun {
        // A new attempt directory each time (`it<t>/attempt-<k>/<rollout>`): an agent orphaned by a
        // killed run can only write into its own, never into the rerun's.
        let iterationDirectory = URL(fileURLWithPath: command.workDirectory).appendingPathComponent(
            AgentCommand.safeName(task.taskID)
        )
        .appendingPathComponent("it\(iteration)")
        let name = AgentCommand.safeName(rolloutID)
        var attempt = 1
        while FileManager.default.fileExists(
            atPath: iterationDirectory.appendingPathComponent("attempt-\(attempt)/\(name)").path)
        { attempt += 1 }
        let base = iterationDirectory.appendingPathComponent("attempt-\(attempt)")
        let out = base.appendingPathComponent(name)
        let taskFile = base.appendingPathComponent("\(name).task.json")
        let priorsFile = base.appendingPathComponent("\(name).priors.json")
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let metadata = (try? JSONSerialization.jsonObject(with: Data(task.metadataJSON.utf8))) ?? [String: Any]()
            let taskObject: [String: Any] = [
                "task_id": task.taskID, "problem_statement": task.statement, "metadata": metadata,
            ]
            try JSONSerialization.data(withJSONObject: taskObject, options: [.sortedKeys, .prettyPrinted]).write(
                to: taskFile, options: .atomic)
            let priorsObject: [String: Any] = [
                "task_id": task.taskID, "iteration": iteration,
                "priors": priors.map { ["rollout_id": $0.rolloutID, "summary": $0.summary] },
            ]
            try JSONSerialization.data(withJSONObject: priorsObject, options: [.sortedKeys, .prettyPrinted]).write(
                to: priorsFile, options: .atomic)
        } catch {
            throw .agent("cannot prepare \(out.path): \(error.localizedDescription)")
        }
        let values = [
            "{task_id}": task.taskID, "{task_file}": taskFile.path, "{priors_file}": priorsFile.path,
            "{out_dir}": out.path,
        ]
        let argv = command.argv.map { AgentCommand.substitute($0, values) }
        let (status, log) = try await execute(
            argv, in: out, timeout: command.timeout, withholding: command.withheldEnvironment)
        var rollout: AgentRollout
        if status == 0,
            let parsed = try? AgentRollouts.agentOutput(
                out.path, taskID: task.taskID, rolloutID: rolloutID, iteration: iteration)
        {
            rollout = parsed
        } else {
            rollout = AgentRollout(
                taskID: task.taskID, rolloutID: rolloutID, iteration: iteration,
                messages: [TranscriptMessage(role: "agent-log", content: log)], finalPatch: "",
                exitStatus: status == 0
                    ? "agent output unreadable"
                    : status == -1 ? "agent timed out" : "agent exited with status \(status)",
                source: out.path)
        }
        rollout.source = out.path
        return AgentRun(rollout: rollout, exitCode: status, log: log)
    }

    /// Runs `argv` (no shell) as the leader of a new process group, with stdout and stderr to
    /// files in `directory`; stops the whole group (SIGTERM, then SIGKILL after 5 s) after
    /// `timeout` seconds or when the calling task is cancelled, and kills whatever the agent left
    /// running in its group when it exits, so no child outlives its rollout.
    /// Returns the exit status (−1 on a time-out, 128 + n for signal n) and the last 4,000
    /// characters of its output.
    static func execute(_ argv: [String], in directory: URL, timeout: Double, withholding: [String] = [])
        async throws(ExecutorError) -> (Int32, String)
    {
        var environment = ProcessInfo.processInfo.environment
        for name in withholding { environment[name] = nil }
        let stdoutURL = directory.appendingPathComponent("agent.stdout")
        let stderrURL = directory.appendingPathComponent("agent.stderr")
        var group = try ProcessGroup(
            argv: argv, directory: directory.path, environment: environment, stdout: stdoutURL.path,
            stderr: stderrURL.path)
        let ending = await group.wait(timeout: timeout)
        group.stop(grace: 5)
        if ending == .cancelled { throw .agent("stopped: the execution was interrupted") }
        let text = [stdoutURL, stderrURL].map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined(
            separator: "\n")
        return (ending == .timedOut ? -1 : group.exitStatus ?? -1, String(text.suffix(4_000)))
    }
}
