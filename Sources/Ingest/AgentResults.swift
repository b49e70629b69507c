public import Domain
import Foundation

/// Per-task trial counts, by system, gathered from any number of inputs in order of first
/// appearance; a task seen again has its trials added.
public struct OutcomeTally: Sendable {
    private var systems: [String?] = []
    private var tasks: [String?: [String]] = [:]
    private var counts: [String?: [String: (trials: Int, successes: Int)]] = [:]

    public init() {}

    public mutating func add(system: String?, task: String, trials: Int = 1, successes: Int) {
        if counts[system] == nil {
            systems.append(system)
            counts[system] = [:]
            tasks[system] = []
        }
        if counts[system]![task] == nil { tasks[system]!.append(task) }
        let previous = counts[system]![task] ?? (0, 0)
        counts[system]![task] = (previous.trials + trials, previous.successes + successes)
    }

    public var isEmpty: Bool { systems.isEmpty }

    /// One ``SolveRates`` per system.
    public var solveRates: [SolveRates] {
        systems.map { system in
            SolveRates(
                system: system,
                tasks: tasks[system]!.map { task in
                    let c = counts[system]![task]!
                    return TaskOutcome(taskID: task, trials: c.trials, successes: c.successes)
                })
        }
    }
}

/// What to do with a Terminal-Bench trial whose `is_resolved` is `null` (the harness could not
/// grade it: agent crash, parse error, timeout before the tests).
public enum NullResolution: String, Codable, Sendable, CaseIterable {
    /// Count it as an unresolved trial — what the harness's own `accuracy` does (default).
    case unresolved
    /// Leave it out: the task has one trial fewer.
    case drop
}

/// Options of ``SolveRateSources/read(_:options:)``.
public struct SolveRateImportOptions: Sendable {
    public var nullResolved: NullResolution = .unresolved
    /// SWE-bench reports labelling mini-SWE-agent runs: one for all runs, or one per run in order.
    public var labels: [String] = []

    public init() {}
}

/// Reads evaluation outputs into per-task solve counts: counts CSV files, Terminal-Bench
/// `results.json` (run- or trial-level), SWE-bench harness reports (classic lists or
/// `schema_version` 2) and mini-SWE-agent runs (`preds.json`, `*.traj.json` or a run directory)
/// labelled by a SWE-bench report.
///
/// Every input is one run (one trial per task it lists) of the system named by its `NAME=PATH`
/// prefix (none: an unnamed system); counts files carry their own `system` column.
public enum SolveRateSources {
    public enum Format: String, Sendable, CaseIterable {
        case counts
        case terminalBench = "terminal-bench"
        case sweBench = "swe-bench"
        case miniSWEAgent = "mini-swe-agent"
    }

    /// Splits `NAME=PATH` into its system name and path (a plain path has no name).
    public static func splitSystem(_ argument: String) -> (system: String?, path: String) {
        guard let equals = argument.firstIndex(of: "="), !FileManager.default.fileExists(atPath: argument) else {
            return (nil, argument)
        }
        let name = String(argument[..<equals])
        guard !name.isEmpty, !name.contains("/") else { return (nil, argument) }
        return (name, String(argument[argument.index(after: equals)...]))
    }

    /// Reads and merges `inputs` (each `PATH` or `NAME=PATH`).
    /// - Throws: ``ImportError`` naming the file and what is wrong.
    public static func read(_ inputs: [String], options: SolveRateImportOptions = .init()) throws(ImportError)
        -> [SolveRates]
    {
        var tally = OutcomeTally()
        var seenTrials = Set<String>()
        var miniRuns = 0
        for input in inputs {
            let (system, path) = splitSystem(input)
            switch try detect(path) {
            case .counts:
                let systems = try SolveRateCounts.read(path)
                if system != nil && systems.count > 1 {
                    throw .malformed(
                        file: path, line: 1,
                        reason:
                            "the file holds \(systems.count) systems (its system column); a NAME= prefix would merge them — drop the prefix and choose with --system"
                    )
                }
                for rates in systems {
                    for task in rates.tasks {
                        tally.add(
                            system: system ?? rates.system, task: task.taskID, trials: task.trials,
                            successes: task.successes)
                    }
                }
            case .terminalBench:
                try readTerminalBench(
                    path, system: system, nulls: options.nullResolved, seen: &seenTrials, into: &tally)
            case .sweBench:
                let report = try SWEBenchReport(path)
                for id in report.attempted {
                    tally.add(system: system, task: id, successes: report.resolved.contains(id) ? 1 : 0)
                }
            case .miniSWEAgent:
                guard !options.labels.isEmpty else {
                    throw .malformed(
                        file: path, line: 1,
                        reason:
                            "a mini-SWE-agent run needs --labels REPORT (a SWE-bench report) to know which instances were resolved"
                    )
                }
                guard options.labels.count == 1 || miniRuns < options.labels.count else {
                    throw .malformed(
                        file: path, line: 1,
                        reason:
                            "more mini-SWE-agent runs than --labels reports (\(options.labels.count)); give one report, or one per run"
                    )
                }
                let report = try SWEBenchReport(options.labels[options.labels.count == 1 ? 0 : miniRuns])
                miniRuns += 1
                let instances = try miniSWEAgentInstances(path)
                let listed = Set(report.attempted)
                let unlisted = instances.filter { !listed.contains($0) }
                guard unlisted.isEmpty else {
                    throw .malformed(
                        file: path, line: 1,
                        reason:
                            "\(unlisted.count) of its \(instances.count) instances are not in the --labels report (e.g. \(unlisted[0])): is it the report of this run?"
                    )
                }
                for id in instances {
                    tally.add(system: system, task: id, successes: report.resolved.contains(id) ? 1 : 0)
                }
            }
        }
        guard !tally.isEmpty else {
            throw .malformed(file: inputs.first ?? "-", line: 1, reason: "no tasks in the inputs")
        }
        return tally.solveRates
    }

    /// The format of `path`, from its content: JSON shapes by their keys, anything else a counts CSV.
    public static func detect(_ path: String) throws(ImportError) -> Format {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { return .miniSWEAgent }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read")
        }
        let first = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        guard first == UInt8(ascii: "{") else { return .counts }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .malformed(file: path, line: 1, reason: "not valid JSON")
        }
        if object["results"] is [Any] || (object["is_resolved"] != nil && object["task_id"] != nil) {
            return .terminalBench
        }
        if object["resolved_ids"] != nil || (object["resolved"] is [Any] && object["generated"] != nil) {
            return .sweBench
        }
        if object["trajectory_format"] != nil
            || object.values.contains(where: { ($0 as? [String: Any])?["model_patch"] != nil })
        {
            return .miniSWEAgent
        }
        throw .malformed(
            file: path, line: 1,
            reason:
                "unrecognised JSON: expected a Terminal-Bench results.json, a SWE-bench report or a mini-SWE-agent preds.json / .traj.json"
        )
    }

    static func json(_ path: String) throws(ImportError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .malformed(file: path, line: 1, reason: "not a JSON object")
        }
        return object
    }

    /// Terminal-Bench: a run file (`results` array) or one trial's file; trials are de-duplicated
    /// by their `id` across all inputs (the leaderboard repository holds both levels).
    static func readTerminalBench(
        _ path: String, system: String?, nulls: NullResolution, seen: inout Set<String>,
        into tally: inout OutcomeTally
    ) throws(ImportError) {
        let object = try json(path)
        let trials = (object["results"] as? [Any]) ?? [object]
        for (index, entry) in trials.enumerated() {
            guard let trial = entry as? [String: Any], let task = trial["task_id"] as? String, !task.isEmpty else {
                throw .malformed(file: path, line: 1, reason: "trial \(index) has no task_id")
            }
            if let id = trial["id"] as? String { guard seen.insert(id).inserted else { continue } }
            switch trial["is_resolved"] {
            case let resolved as Bool: tally.add(system: system, task: task, successes: resolved ? 1 : 0)
            case nil, is NSNull: if nulls == .unresolved { tally.add(system: system, task: task, successes: 0) }
            default:
                throw .malformed(
                    file: path, line: 1, reason: "trial \(index) (\(task)): is_resolved must be true, false or null")
            }
        }
    }

    /// Instance ids a mini-SWE-agent run attempted: a `preds.json`'s keys, one `.traj.json`'s
    /// instance, or, for a run directory, its `preds.json` (else every `*.traj.json` under it).
    static func miniSWEAgentInstances(_ path: String) throws(ImportError) -> [String] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let preds = (path as NSString).appendingPathComponent("preds.json")
            if FileManager.default.fileExists(atPath: preds) { return try miniSWEAgentInstances(preds) }
            let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".traj.json") }.sorted()
            guard !files.isEmpty else {
                throw .malformed(file: path, line: 1, reason: "no preds.json and no *.traj.json in the directory")
            }
            var ids: [String] = []
            for file in files { ids += try miniSWEAgentInstances((path as NSString).appendingPathComponent(file)) }
            return ids
        }
        let object = try json(path)
        if object["trajectory_format"] != nil {
            guard let id = object["instance_id"] as? String else {
                throw .malformed(file: path, line: 1, reason: "trajectory without instance_id")
            }
            return [id]
        }
        return object.keys.sorted()
    }
}

/// A SWE-bench evaluation report: which instances were attempted and which resolved.
///
/// Classic harness reports are lists by status (`generated`, `applied`, `resolved`, …): every id
/// in any list was attempted. `schema_version` 2 reports list `submitted_ids`, `resolved_ids`,
/// `unresolved_ids`, `empty_patch_ids`, `error_ids`, `incomplete_ids`: every listed id was
/// attempted, and only `resolved_ids` count as solved (empty patches, errors and incomplete
/// evaluations are unresolved trials).
public struct SWEBenchReport: Sendable {
    public var attempted: [String]
    public var resolved: Set<String>

    public init(_ path: String) throws(ImportError) {
        let object = try SolveRateSources.json(path)
        func ids(_ key: String) throws(ImportError) -> [String] {
            guard let value = object[key] else { return [] }
            guard let list = value as? [String] else {
                throw .malformed(file: path, line: 1, reason: "\"\(key)\" must be a list of instance ids")
            }
            return list
        }
        let resolvedKey = object["resolved_ids"] != nil ? "resolved_ids" : "resolved"
        guard object[resolvedKey] != nil else {
            throw .malformed(file: path, line: 1, reason: "no resolved or resolved_ids list")
        }
        resolved = Set(try ids(resolvedKey))
        let keys = object.keys.filter { object[$0] is [Any] }.sorted()
        var seen = Set<String>()
        var order: [String] = []
        for key in keys { for id in try ids(key) where seen.insert(id).inserted { order.append(id) } }
        attempted = order
    }
}
