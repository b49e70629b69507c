public import Agentic
public import Domain
public import Foundation
import Ingest
public import RunStore

/// `isoplan tts rtv|pdr`: load tasks, rollouts and labels, run the executor against an
/// OpenAI-compatible endpoint, and write SWE-bench predictions and the per-task decision record.
public struct TestTimeExecutionRequest: Sendable {
    public var label: String
    public var settings: ExecutionSettings
    /// mini-SWE-agent run directories (one rollout each).
    public var trajectories: [String] = []
    /// Generic JSONL rollout files.
    public var rolloutFiles: [String] = []
    public var tasksFile: String?
    /// SWE-bench reports (one per trajectory directory, in order) or labels CSVs.
    public var labelFiles: [String] = []
    public var agent: AgentCommand?
    public var endpoint: URL
    public var model: String
    public var apiKeyVariable: String?
    public var client = OpenAIChatClient.Options()
    public var limit = SpendLimit()
    public var concurrentTasks = 4
    /// Agent runs at once (PDR).
    public var agentsAtOnce = 4
    public var predictionsPath: String
    public var decisionsPath: String

    public init(
        label: String, settings: ExecutionSettings, endpoint: URL, model: String, predictionsPath: String,
        decisionsPath: String
    ) {
        self.label = label
        self.settings = settings
        self.endpoint = endpoint
        self.model = model
        self.predictionsPath = predictionsPath
        self.decisionsPath = decisionsPath
    }
}

public enum TestTimeExecutionWorkflow {
    /// The executor's inputs from files: tasks (a tasks file, else each rollout's first user
    /// message), rollouts and labels.
    public static func inputs(_ request: TestTimeExecutionRequest) throws(WorkflowError) -> (
        tasks: [AgentTask], rollouts: [AgentRollout], labels: [[String]: Bool]
    ) {
        do {
            var rollouts: [AgentRollout] = []
            var labels: [[String]: Bool] = [:]
            // A SWE-bench report grades one run: exactly one per trajectory directory, in order.
            let reports = request.labelFiles.filter { $0.lowercased().hasSuffix(".json") }
            if !reports.isEmpty && reports.count != request.trajectories.count {
                throw WorkflowError.empty(
                    "a SWE-bench report grades one run: give one per trajectory directory (\(request.trajectories.count) directories, \(reports.count) reports), or grade with a CSV task_id,rollout_id,resolved"
                )
            }
            for (i, directory) in request.trajectories.enumerated() {
                let run = try AgentRollouts.miniSWEAgentRun(directory)
                if let id = run.first?.rolloutID, rollouts.contains(where: { $0.rolloutID == id }) {
                    throw WorkflowError.empty(
                        "two trajectory directories are named \(id): one rollout id per directory")
                }
                if !reports.isEmpty {
                    let report = reports[i]
                    labels.merge(
                        try AgentRollouts.labels(report, rolloutID: run.first?.rolloutID, tasks: run.map(\.taskID))
                    ) { $1 }
                }
                rollouts += run
            }
            for file in request.rolloutFiles { rollouts += try AgentRollouts.jsonl(file) }
            for file in request.labelFiles where !file.lowercased().hasSuffix(".json") {
                labels.merge(try AgentRollouts.labels(file)) { $1 }
            }
            var tasks: [AgentTask]
            if let file = request.tasksFile {
                tasks = try AgentRollouts.tasks(file)
            } else {
                var seen = Set<String>()
                tasks = rollouts.compactMap { r in
                    guard seen.insert(r.taskID).inserted else { return nil }
                    return AgentTask(taskID: r.taskID, statement: r.messages.first { $0.role == "user" }?.content ?? "")
                }
            }
            if request.settings.mode == .rtv && rollouts.isEmpty {
                throw WorkflowError.empty("no rollouts: give --trajectories DIR… or --rollouts-file FILE.jsonl")
            }
            if tasks.isEmpty {
                throw WorkflowError.empty("no tasks: give --tasks FILE (or rollouts, whose tasks are taken)")
            }
            return (tasks, rollouts, labels)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// Runs the execution into the store at `database`, which is opened (and created) only once
    /// the inputs have been read and the endpoint's settings checked: a command that fails on its
    /// inputs leaves no store behind.
    public static func run(
        _ request: TestTimeExecutionRequest, database: String, progress: any ProgressReporter = SilentProgress()
    ) async throws -> ExecutionResult {
        let (tasks, rollouts, labels) = try inputs(request)
        let warnings = try labelCoverage(request, tasks: tasks, rollouts: rollouts, labels: labels)
        let client = try OpenAIChatClient(
            endpoint: request.endpoint, model: request.model, apiKeyVariable: request.apiKeyVariable,
            options: request.client)
        var agent = request.agent
        // The agent never sees the key.
        if let variable = request.apiKeyVariable { agent?.withheldEnvironment.append(variable) }
        var execution = ExecutionRequest(
            label: request.label, settings: request.settings, tasks: tasks, rollouts: rollouts, labels: labels,
            agent: agent)
        execution.concurrentTasks = request.concurrentTasks
        execution.callsInFlight = request.client.concurrency
        execution.agentsAtOnce = request.agentsAtOnce
        let store = try Store(path: database)
        var result = try await Executor.run(
            execution, store: store, client: client, limit: request.limit, progress: progress)
        result.warnings += warnings
        try writeOutputs(result, request: request, store: store)
        return result
    }

    /// Checks that the label files grade the given rollouts: none graded is an error (the
    /// files name other tasks or rollout ids), some graded is a warning saying how many. With no
    /// given rollouts (PDR running its own), the labels must at least name a given task.
    static func labelCoverage(
        _ request: TestTimeExecutionRequest, tasks: [AgentTask], rollouts: [AgentRollout], labels: [[String]: Bool]
    ) throws(WorkflowError) -> [String] {
        guard !request.labelFiles.isEmpty else { return [] }
        let files = request.labelFiles.joined(separator: ", ")
        if rollouts.isEmpty {
            let taskIDs = Set(tasks.map(\.taskID))
            if !labels.keys.contains(where: { taskIDs.contains($0[0]) }) {
                throw .empty("\(files): no row names a task of --tasks, so nothing would be graded")
            }
            return []
        }
        let graded = rollouts.filter { $0.resolved != nil || labels[[$0.taskID, $0.rolloutID]] != nil }.count
        if graded == 0 {
            throw .empty(
                "\(files): grades none of the \(rollouts.count) given rollouts (no task id and rollout id pair matches); check the ids"
            )
        }
        guard graded < rollouts.count else { return [] }
        return [
            "\(files): grades \(graded) of the \(rollouts.count) given rollouts; the evaluation covers only tasks whose rollouts are all graded"
        ]
    }

    /// Decisions in the order of the pipeline, not of their (concurrent) commits: by iteration;
    /// select-K groups, priors, then final groups and the final pick; by round and group.
    static func canonicalOrder(_ decisions: [TournamentDecision]) -> [TournamentDecision] {
        func rank(_ d: TournamentDecision) -> [Int] {
            let phase =
                switch (d.kind, d.stage) {
                case (.group, .select): 0
                case (.priors, _): 1
                case (.group, .final): 2
                case (.final, _): 3
                }
            return [d.iteration, phase, d.round ?? -1, d.group ?? -1]
        }
        return decisions.sorted { rank($0).lexicographicallyPrecedes(rank($1)) }
    }

    /// A SWE-bench predictions line.
    private struct Prediction: Encodable {
        var instanceID: String
        var modelNameOrPath: String
        var modelPatch: String

        enum CodingKeys: String, CodingKey {
            case instanceID = "instance_id"
            case modelNameOrPath = "model_name_or_path"
            case modelPatch = "model_patch"
        }
    }

    /// A task's decision record line.
    private struct DecisionRecord: Encodable {
        var taskID: String
        var selectedRolloutID: String
        var selectedResolved: Bool?
        var population: [Int]
        var decisions: [TournamentDecision]
        var judgeCalls: [String: Int]

        enum CodingKeys: String, CodingKey {
            case taskID = "task_id"
            case selectedRolloutID = "selected_rollout_id"
            case selectedResolved = "selected_resolved"
            case population
            case decisions
            case judgeCalls = "judge_calls"
        }
    }

    /// SWE-bench predictions (`instance_id, model_name_or_path, model_patch`) and one decision
    /// record per task (every group's candidates, winner, method and tally; priors; the final pick),
    /// both rewritten whole from the store.
    static func writeOutputs(_ result: ExecutionResult, request: TestTimeExecutionRequest, store: Store) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var predictions = ""
        var decisions = ""
        let rows = Dictionary(
            uniqueKeysWithValues: try store.executorTasks(label: request.label).map { ($0.task.taskID, $0.rowID) })
        let line = { (value: any Encodable) in String(decoding: try encoder.encode(value), as: UTF8.self) + "\n" }
        for task in result.tasks {
            predictions += try line(
                Prediction(
                    instanceID: task.taskID,
                    modelNameOrPath: "\(request.model) (isoplan \(request.label))",
                    modelPatch: task.patch))
            guard let row = rows[task.taskID] else { continue }
            var calls: [String: Int] = [:]
            for vote in try store.votes(taskRow: row) { calls[vote.purpose.rawValue, default: 0] += 1 }
            decisions += try line(
                DecisionRecord(
                    taskID: task.taskID, selectedRolloutID: task.selectedRolloutID,
                    selectedResolved: task.selectedResolved, population: task.population,
                    decisions: canonicalOrder(try store.decisions(taskRow: row)),
                    judgeCalls: calls))
        }
        for (path, text) in [(request.predictionsPath, predictions), (request.decisionsPath, decisions)] {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
