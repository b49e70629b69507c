public import Domain
import Foundation

/// Rollout sources for the test-time executor: mini-SWE-agent run directories, the generic JSONL
/// schema, one agent command's output directory, tasks files and rollout labels
/// (`docs/EXECUTOR.md` documents the schemas).
public enum AgentRollouts {
    /// A mini-SWE-agent run directory (one rollout of every instance it holds): `preds.json`
    /// (`instance_id → model_patch`) and/or `*.traj.json` files anywhere below it (messages, exit
    /// status, submission). The rollout id is `rolloutID`, else the directory's name.
    public static func miniSWEAgentRun(_ directory: String, rolloutID: String? = nil, iteration: Int = 0)
        throws(ImportError) -> [AgentRollout]
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unreadable(
                file: directory,
                reason: "not a directory (a mini-SWE-agent run directory holds preds.json and *.traj.json files)")
        }
        let id = rolloutID ?? URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        var patches: [String: String] = [:]
        let preds = (directory as NSString).appendingPathComponent("preds.json")
        if FileManager.default.fileExists(atPath: preds) {
            for (instance, value) in try SolveRateSources.json(preds) {
                guard let entry = value as? [String: Any] else {
                    throw .malformed(file: preds, line: 1, reason: "entry \(instance) is not an object")
                }
                patches[instance] = entry["model_patch"] as? String ?? ""
            }
        }
        let files = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".traj.json") }.sorted()
        var rollouts: [String: AgentRollout] = [:]
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            let object = try SolveRateSources.json(path)
            let info = object["info"] as? [String: Any] ?? [:]
            guard
                let instance = object["instance_id"] as? String
                    ?? (file as NSString).lastPathComponent.replacingOccurrences(of: ".traj.json", with: "").nilIfEmpty
            else {
                throw .malformed(file: path, line: 1, reason: "no instance_id")
            }
            guard let raw = object["messages"] as? [[String: Any]] else {
                throw .malformed(
                    file: path, line: 1, reason: "no \"messages\" list (expected mini-SWE-agent's trajectory format)")
            }
            let submission = info["submission"] as? String ?? ""
            rollouts[instance] = AgentRollout(
                taskID: instance, rolloutID: id, iteration: iteration, messages: raw.map(message),
                finalPatch: patches[instance] ?? submission, exitStatus: info["exit_status"] as? String,
                source: path)
        }
        for (instance, patch) in patches where rollouts[instance] == nil {
            rollouts[instance] = AgentRollout(
                taskID: instance, rolloutID: id, iteration: iteration, messages: [], finalPatch: patch,
                source: preds)
        }
        guard !rollouts.isEmpty else {
            throw .malformed(file: directory, line: 1, reason: "no preds.json entries and no *.traj.json files")
        }
        return rollouts.values.sorted { $0.taskID < $1.taskID }
    }

    /// The generic JSONL schema, one rollout per line: `task_id`, `rollout_id`, `messages`
    /// (`[{role, content}]`) or `transcript` (text), `final_patch`, optional `resolved`,
    /// `iteration`, `exit_status`.
    public static func jsonl(_ path: String) throws(ImportError) -> [AgentRollout] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read")
        }
        var rollouts: [AgentRollout] = []
        var seen = Set<[String]>()
        for (index, line) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw .malformed(file: path, line: index + 1, reason: "not a JSON object")
            }
            let rollout = try record(object, file: path, line: index + 1)
            guard seen.insert([rollout.taskID, rollout.rolloutID, String(rollout.iteration)]).inserted else {
                throw .malformed(
                    file: path, line: index + 1,
                    reason: "duplicate rollout \(rollout.rolloutID) of task \(rollout.taskID)")
            }
            rollouts.append(rollout)
        }
        guard !rollouts.isEmpty else { throw .malformed(file: path, line: 1, reason: "no rollouts") }
        return rollouts
    }

    /// What one agent command left in its output directory: `rollout.json` (one generic record),
    /// else a mini-SWE-agent run layout; `resolved.json` (`{"resolved": bool}`), when present,
    /// grades it.
    public static func agentOutput(_ directory: String, taskID: String, rolloutID: String, iteration: Int)
        throws(ImportError) -> AgentRollout
    {
        let generic = (directory as NSString).appendingPathComponent("rollout.json")
        var rollout: AgentRollout
        if FileManager.default.fileExists(atPath: generic) {
            rollout = try record(try SolveRateSources.json(generic), file: generic, line: 1)
        } else {
            let found = try miniSWEAgentRun(directory, rolloutID: rolloutID, iteration: iteration)
            guard let match = found.first(where: { $0.taskID == taskID }) ?? (found.count == 1 ? found.first : nil)
            else {
                throw .malformed(
                    file: directory, line: 1, reason: "the agent's output holds no rollout of task \(taskID)")
            }
            rollout = match
        }
        rollout.taskID = taskID
        rollout.rolloutID = rolloutID
        rollout.iteration = iteration
        let grade = (directory as NSString).appendingPathComponent("resolved.json")
        if FileManager.default.fileExists(atPath: grade),
            let resolved = try SolveRateSources.json(grade)["resolved"] as? Bool
        {
            rollout.resolved = resolved
        }
        return rollout
    }

    /// A tasks file: JSONL or a JSON array of `{task_id, problem_statement | statement, metadata?}`.
    public static func tasks(_ path: String) throws(ImportError) -> [AgentTask] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read")
        }
        var objects: [(Int, [String: Any])] = []
        if let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            objects = array.enumerated().map { ($0.offset + 1, $0.element) }
        } else {
            for (index, line) in String(decoding: data, as: UTF8.self).split(
                separator: "\n", omittingEmptySubsequences: false
            ).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw .malformed(
                        file: path, line: index + 1, reason: "not a JSON object (a tasks file is JSONL or a JSON array)"
                    )
                }
                objects.append((index + 1, object))
            }
        }
        var seen = Set<String>()
        return try objects.map { (line, object) throws(ImportError) -> AgentTask in
            guard let id = object["task_id"] as? String ?? object["instance_id"] as? String else {
                throw .malformed(file: path, line: line, reason: "no task_id")
            }
            guard seen.insert(id).inserted else {
                throw .malformed(file: path, line: line, reason: "duplicate task_id \(id)")
            }
            let statement = object["problem_statement"] as? String ?? object["statement"] as? String ?? ""
            var metadata: Data?
            if let value = object["metadata"], !(value is NSNull) {
                guard value is [String: Any], JSONSerialization.isValidJSONObject(value) else {
                    throw .malformed(file: path, line: line, reason: "metadata must be a JSON object")
                }
                metadata = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
            }
            let task = AgentTask(
                taskID: id, statement: statement,
                metadataJSON: metadata.map { String(decoding: $0, as: UTF8.self) } ?? "{}")
            do { try task.validate() } catch { throw .malformed(file: path, line: line, reason: "\(error)") }
            return task
        }
    }

    /// Rollout labels: a SWE-bench report (resolved instance ids of one run: pass `rolloutID`, the
    /// run it grades) or a CSV with `task_id, rollout_id` and `resolved` (true/false/1/0) or
    /// `successes` (with `trials` = 1). Keys are `[task_id, rollout_id]`.
    public static func labels(_ path: String, rolloutID: String? = nil, tasks: [String] = []) throws(ImportError)
        -> [[String]: Bool]
    {
        if path.lowercased().hasSuffix(".json") {
            let report = try SWEBenchReport(path)
            guard let rolloutID else {
                throw .malformed(
                    file: path, line: 1,
                    reason: "a SWE-bench report grades one run: give one report per trajectory directory")
            }
            return Dictionary(uniqueKeysWithValues: tasks.map { ([$0, rolloutID], report.resolved.contains($0)) })
        }
        let table = try CSVTable(contentsOf: path)
        if !table.header.contains("rollout_id")
            && table.header.contains(where: { ["trials", "n_trials", "successes", "n_resolved"].contains($0) })
        {
            throw .malformed(
                file: path, line: 1,
                reason:
                    "a per-task counts file (task_id, trials, successes) cannot say which rollout passed: grade rollouts with task_id,rollout_id,resolved rows (or successes 0/1 per rollout), or a SWE-bench report per run"
            )
        }
        let task = try table.columnIndex("task_id")
        let rollout = try table.columnIndex("rollout_id")
        let resolvedColumn = table.header.firstIndex(of: "resolved") ?? table.header.firstIndex(of: "successes")
        guard let resolvedColumn else { throw .missingColumn(file: path, column: "resolved", available: table.header) }
        var labels: [[String]: Bool] = [:]
        for row in table.rows {
            let value = row.fields[resolvedColumn].lowercased()
            guard let resolved = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][value]
            else {
                throw .malformed(
                    file: path, line: row.line,
                    reason: "resolved must be true/false/1/0, got \"\(row.fields[resolvedColumn])\"")
            }
            labels[[row.fields[task], row.fields[rollout]]] = resolved
        }
        return labels
    }

    static func record(_ object: [String: Any], file: String, line: Int) throws(ImportError) -> AgentRollout {
        guard let task = object["task_id"] as? String,
            let id = object["rollout_id"] as? String ?? (object["rollout_id"] as? Int).map(String.init)
        else {
            throw .malformed(file: file, line: line, reason: "needs task_id and rollout_id")
        }
        var messages: [TranscriptMessage] = []
        if let raw = object["messages"] as? [[String: Any]] {
            messages = raw.map(message)
        } else if let transcript = object["transcript"] as? String {
            messages = [TranscriptMessage(role: "transcript", content: transcript)]
        } else {
            throw .malformed(file: file, line: line, reason: "needs messages ([{role, content}]) or transcript (text)")
        }
        let resolved: Bool? = object["resolved"] as? Bool ?? (object["resolved"] as? Int).map { $0 != 0 }
        let rollout = AgentRollout(
            taskID: task, rolloutID: id, iteration: object["iteration"] as? Int ?? 0, messages: messages,
            finalPatch: object["final_patch"] as? String ?? "", resolved: resolved,
            exitStatus: object["exit_status"] as? String, source: file)
        do { try AgentTask(taskID: task, statement: "").validate() } catch {
            throw .malformed(file: file, line: line, reason: "\(error)")
        }
        return rollout
    }

    /// A message whose content is text or a list of `{type: text, text}` parts.
    static func message(_ raw: [String: Any]) -> TranscriptMessage {
        let role = raw["role"] as? String ?? "unknown"
        if let text = raw["content"] as? String { return TranscriptMessage(role: role, content: text) }
        let parts = (raw["content"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        return TranscriptMessage(role: role, content: parts.joined(separator: "\n"))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
