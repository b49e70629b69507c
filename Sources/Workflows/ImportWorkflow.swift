import Domain
import Foundation
import Ingest
public import RunStore

/// `isoplan import verl|trl|csv`: one training log into one run.
public struct ImportRequest: Sendable {
    public enum Format: Sendable {
        case verl
        case trl
        /// A metrics table: the step column and `canonical name = column` pairs (nil: every column).
        case csv(stepColumn: String, metrics: [(name: String, column: String)]?)

        var source: RunSource {
            switch self {
            case .verl: .verl
            case .trl: .trl
            case .csv: .csv
            }
        }
    }

    public var format: Format
    public var file: String
    public var rolloutsPerProblem: Int
    public var problemsPerBatch: Int
    /// Tokens per rollout, for logs without a token count or length metric.
    public var tokensPerRollout: Double?
    /// The run's name (default: the file name without its extension).
    public var name: String?
    /// Append to this existing run instead (a resumed run logged to another file).
    public var appendTo: String?

    public init(format: Format, file: String, rolloutsPerProblem: Int, problemsPerBatch: Int) {
        self.format = format
        self.file = file
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
    }
}

public struct ImportResult: Codable, Sendable {
    public enum Action: String, Codable, Sendable {
        /// A new run.
        case created
        /// The same content was imported before: nothing written.
        case unchanged
        /// The log had grown since its import: the new steps were appended.
        case updated
        /// `--run`: steps after the run's last one were appended.
        case appended
    }

    public var file: String
    public var run: String
    public var runID: Int64?
    public var action: Action
    /// Steps and points written now.
    public var steps: Int
    public var points: Int
    /// Canonical metrics found, with the raw names they came from.
    public var canonical: [String: String]
}

public enum ImportWorkflow {
    public static func run(_ request: ImportRequest, store: Store) throws(WorkflowError) -> ImportResult {
        do {
            return try importFile(request, store: store)
        } catch {
            throw WorkflowError(error)
        }
    }

    static func importFile(_ request: ImportRequest, store: Store) throws -> ImportResult {
        guard (1...Limits.maxRolloutsPerProblem).contains(request.rolloutsPerProblem),
            (1...Limits.maxProblemsPerBatch).contains(request.problemsPerBatch)
        else {
            throw DomainError.invalid(
                field: "n/B_p", value: "\(request.rolloutsPerProblem)/\(request.problemsPerBatch)",
                reason: "n must lie in 1…2^20 and B_p in 1…2^24")
        }
        guard let data = FileManager.default.contents(atPath: request.file) else {
            throw ImportError.unreadable(
                file: request.file,
                reason: FileManager.default.fileExists(atPath: request.file)
                    ? "cannot read" : "no such file")
        }
        let hash = StableHash.contentHash(data)
        if let previous = try store.importedFile(hash: hash),
            let run = try store.runs().first(where: { $0.id == previous.runID })
        {
            return ImportResult(
                file: request.file, run: run.name, runID: run.id, action: .unchanged, steps: 0, points: 0,
                canonical: [:])
        }
        let log: TrainingLog
        switch request.format {
        case .verl: log = try VerlLog.read(request.file)
        case .trl: log = try TRLTrainerState.read(request.file)
        case .csv(let stepColumn, let metrics):
            log = try MetricCSV.read(request.file, stepColumn: stepColumn, metrics: metrics)
        }
        let lastStep = log.steps.last!.step
        let (points, canonical) = metricPoints(log, request)

        if let target = request.appendTo {
            guard let run = try store.run(named: target) else {
                throw WorkflowError.empty("no run named \"\(target)\" to append to")
            }
            let stored = try store.points(ofRun: run.id!).map(\.step).max() ?? -1
            let fresh = points.filter { $0.step > stored }
            try store.appendImported(
                fresh, toRun: run.id!, path: request.file, contentHash: hash, bytes: data.count,
                lastStep: lastStep, replacing: nil)
            return ImportResult(
                file: request.file, run: run.name, runID: run.id, action: .appended,
                steps: Set(fresh.map(\.step)).count, points: fresh.count, canonical: canonical)
        }
        // A log that has grown: an earlier import of this path is a prefix of this content.
        let grownFrom = try store.importedFiles(path: request.file).last { file in
            file.bytes < data.count && StableHash.contentHash(data.prefix(file.bytes)) == file.contentHash
        }
        let name = request.name ?? ((request.file as NSString).lastPathComponent as NSString).deletingPathExtension
        if let grownFrom, let run = try store.runs().first(where: { $0.id == grownFrom.runID }) {
            let fresh = points.filter { $0.step > grownFrom.lastStep }
            try store.appendImported(
                fresh, toRun: run.id!, path: request.file, contentHash: hash, bytes: data.count,
                lastStep: lastStep, replacing: grownFrom.contentHash)
            return ImportResult(
                file: request.file, run: run.name, runID: run.id, action: .updated,
                steps: Set(fresh.map(\.step)).count, points: fresh.count, canonical: canonical)
        }
        if try store.run(named: name) != nil {
            throw WorkflowError.empty(
                "a run named \"\(name)\" exists and did not come from an earlier version of \(request.file); give --name for a new run or --run \(name) to append"
            )
        }
        let run = Run(
            name: name, source: request.format.source, rolloutsPerProblem: request.rolloutsPerProblem,
            problemsPerBatch: request.problemsPerBatch)
        let stored = try store.insertImported(
            run, points: points, path: request.file, contentHash: hash, bytes: data.count,
            lastStep: lastStep)
        return ImportResult(
            file: request.file, run: name, runID: stored.id, action: .created, steps: log.steps.count,
            points: points.count, canonical: canonical)
    }

    /// Points of every logged metric: canonical names where the alias table knows the raw name
    /// (one raw name per canonical metric: a `reward` variable before others, then the first
    /// in order; the others keep their raw names), raw names otherwise. Rollouts = step·B_p·n;
    /// tokens from TRL's running `num_tokens`, else verl's per-step `perf/total_num_tokens` times
    /// the step gap, else the mean response length × B_p·n per step, else tokens per rollout.
    static func metricPoints(_ log: TrainingLog, _ request: ImportRequest) -> ([MetricPoint], [String: String]) {
        let perStep = Double(request.rolloutsPerProblem * request.problemsPerBatch)
        var chosen: [MetricName: String] = [:]
        for step in log.steps {
            for raw in step.values.keys {
                guard let name = MetricAliases.canonical(raw) else { continue }
                if let current = chosen[name], rank(current) <= rank(raw) { continue }
                chosen[name] = raw
            }
        }
        let canonicalFor = Dictionary(uniqueKeysWithValues: chosen.map { ($0.value, $0.key) })
        var tokens = 0.0
        var previousStep = 0
        var points: [MetricPoint] = []
        for step in log.steps {
            let rollouts = Double(step.step) * perStep
            if let runningTotal = step.values["num_tokens"] {
                tokens = runningTotal  // TRL logs a running total
            } else if let perStepTokens = step.values["perf/total_num_tokens"] {
                tokens += perStepTokens * Double(max(step.step - previousStep, 1))  // verl logs each step's tokens
            } else if let length = step.values["response_length/mean"] ?? step.values["completions/mean_length"]
                ?? step.values["completion_length"]
            {
                tokens += length * perStep * Double(max(step.step - previousStep, 1))
            }
            previousStep = step.step
            let tokenCount: Double? = tokens > 0 ? tokens : request.tokensPerRollout.map { $0 * rollouts }
            for (raw, value) in step.values.sorted(by: { $0.key < $1.key }) {
                // A second raw name of a canonical metric (another data source) keeps its raw name.
                let metric = canonicalFor[raw] ?? MetricName(rawValue: raw)
                points.append(
                    MetricPoint(
                        step: step.step, rollouts: rollouts, tokens: tokenCount, metric: metric, rawName: raw,
                        value: value))
            }
        }
        return (points, Dictionary(uniqueKeysWithValues: chosen.map { ($0.key.rawValue, $0.value) }))
    }

    static func rank(_ raw: String) -> (Int, String) {
        (raw.contains("/reward/") || raw.hasSuffix("reward") ? 0 : 1, raw)
    }
}
