import Agentic
import Domain
public import Foundation
import Ingest
import RLSim
import Workflows

/// Every parser IsoPlan runs on what users hand it, as one target for the fuzzer
/// (`experiments/fuzz`) and for the committed corpora's replay in `make test`.
///
/// A target feeds arbitrary bytes to one parser, the way the CLI would: written to a scratch file
/// with the name the parser expects, or as the string a user types. Whatever the bytes, the parser
/// must either accept them or refuse them with the project's error rule — one line, naming the
/// file; a trap (a force unwrap, an index out of range) is a crash the fuzzer reports.
public enum ParserTarget: String, CaseIterable, Sendable {
    /// verl console logs (ANSI codes, resumed runs) and JSONL metric logs: `import verl`.
    case verlLog = "verl-log"
    /// The configuration verl prints at start-up (n and B_p of `import verl` without flags).
    case verlConfig = "verl-config"
    /// TRL's `trainer_state.json`: `import trl`.
    case trlTrainerState = "trl-trainer-state"
    /// A TRL GRPOConfig JSON: `import trl --trainer-config`.
    case trlConfig = "trl-config"
    /// W&B and other metric CSV exports: `import csv`.
    case metricCSV = "metric-csv"
    /// An import manifest (`file,n,bp[,tokens_per_rollout,name]`): `import … --manifest`.
    case manifest
    /// Counts files, Terminal-Bench `results.json` and SWE-bench reports, told apart by content:
    /// `fit solve-rates`, `plan tts --solve-rates`.
    case solveRates = "solve-rates"
    /// A mini-SWE-agent `preds.json` graded by a SWE-bench report.
    case miniSWEAgentPredictions = "mini-swe-agent-preds"
    /// A mini-SWE-agent trajectory (`*.traj.json`) in a run directory: `tts … --trajectories`.
    case miniSWEAgentTrajectory = "mini-swe-agent-trajectory"
    /// The generic rollouts JSONL: `tts … --rollouts-file`.
    case rolloutsJSONL = "rollouts-jsonl"
    /// A tasks file (JSONL or a JSON array): `tts … --tasks`.
    case tasks
    /// A rollout labels CSV: `tts … --labels`.
    case labels
    /// A simulator parameter file: `simulate --parameters`.
    case simulationParameters = "simulation-parameters"
    /// TensorBoard event files: `import tensorboard`.
    case tensorBoard = "tensorboard"
    /// A run-filter expression: `--run-filter`.
    case runFilter = "run-filter"
    /// An agent command (a JSON array): `tts pdr --agent-command`.
    case agentCommand = "agent-command"
    /// An OpenAI-compatible chat-completions response body.
    case chatCompletion = "chat-completion"
    /// A judge's answer, searched for its `<choice>`.
    case judgeChoice = "judge-choice"

    /// What a parser did with one input.
    public enum Outcome: Equatable, Sendable {
        case accepted
        /// Refused with this message, as the user would read it.
        case refused(String)
    }

    /// Runs the parser on `bytes`, in `scratch` (a directory this process owns).
    public func run(_ bytes: [UInt8], scratch: URL) -> Outcome {
        do {
            try parse(Data(bytes), scratch: scratch)
            return .accepted
        } catch {
            return .refused("\(error)")
        }
    }

    /// Why `outcome` breaks the error rule (nil: it keeps it): a refusal is one line and, for a
    /// file, names the file.
    public func violation(of outcome: Outcome, scratch: URL) -> String? {
        guard case .refused(let message) = outcome else { return nil }
        if message.contains(where: \.isNewline) { return "a refusal of more than one line: \(message)" }
        if readsFile && !message.contains(scratch.path) { return "a refusal that does not name the file: \(message)" }
        return nil
    }

    /// Whether the input is a file (its errors must name it) rather than a typed string or a body.
    var readsFile: Bool {
        switch self {
        case .runFilter, .agentCommand, .chatCompletion, .judgeChoice: false
        default: true
        }
    }

    private func parse(_ data: Data, scratch: URL) throws {
        let text = String(decoding: data, as: UTF8.self)
        switch self {
        case .verlLog: _ = try VerlLog.read(try write(data, "train.log", in: scratch))
        case .verlConfig: _ = try VerlLog.configuredAllocation(try write(data, "train.log", in: scratch))
        case .trlTrainerState: _ = try TRLTrainerState.read(try write(data, "trainer_state.json", in: scratch))
        case .trlConfig:
            _ = try TRLTrainerState.configuredAllocation(configPath: try write(data, "config.json", in: scratch))
        case .metricCSV: _ = try MetricCSV.read(try write(data, "metrics.csv", in: scratch), metrics: nil)
        case .manifest:
            let path = try write(data, "manifest.csv", in: scratch)
            _ = try ImportWorkflow.manifest(path, batch: ImportBatch(format: .verl, files: .manifest(path)))
        case .solveRates: _ = try SolveRateSources.read([try write(data, "results.json", in: scratch)])
        case .miniSWEAgentPredictions:
            let report = try write(
                Data(#"{"resolved_ids": ["a"], "submitted_ids": ["a", "b"]}"#.utf8), "report.json", in: scratch)
            var options = SolveRateImportOptions()
            options.labels = [report]
            _ = try SolveRateSources.read([try write(data, "preds.json", in: scratch)], options: options)
        case .miniSWEAgentTrajectory:
            let run = scratch.appendingPathComponent("run")
            _ = try write(data, "task-1.traj.json", in: run)
            _ = try AgentRollouts.miniSWEAgentRun(run.path)
        case .rolloutsJSONL: _ = try AgentRollouts.jsonl(try write(data, "rollouts.jsonl", in: scratch))
        case .tasks: _ = try AgentRollouts.tasks(try write(data, "tasks.jsonl", in: scratch))
        case .labels: _ = try AgentRollouts.labels(try write(data, "labels.csv", in: scratch))
        case .simulationParameters: _ = try SimulationParameters.load(try write(data, "parameters.json", in: scratch))
        case .tensorBoard:
            let path = scratch.appendingPathComponent("events.out.tfevents.1.host").path
            _ = try TensorBoardEvents.read([TensorBoardEventFile(path: path, bytes: [UInt8](data))], name: "run")
        case .runFilter: _ = try RunFilter(text)
        case .agentCommand: _ = try AgentCommand(json: text, timeout: 1, workDirectory: scratch.path)
        case .chatCompletion: _ = OpenAIChatClient.parse(data, requestCharacters: 100)
        case .judgeChoice:
            let candidates = Int(data.first ?? 2) % 9 + 1
            _ = JudgePrompt.choice(in: String(decoding: data.dropFirst(), as: UTF8.self), candidates: candidates)
        }
    }

    /// Writes `data` to `name` in `directory` (created when missing), replacing what was there.
    private func write(_ data: Data, _ name: String, in directory: URL) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}
