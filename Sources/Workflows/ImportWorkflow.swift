import Domain
import Foundation
import Ingest
public import RunStore

/// `isoplan import verl|trl|csv|tensorboard`: one training log into one run.
public struct ImportRequest: Sendable {
    public enum Format: Sendable {
        case verl
        case trl
        /// A metrics table: the step column and `canonical name = column` pairs (nil: every column).
        case csv(stepColumn: String, metrics: [(name: String, column: String)]?)
        /// TensorBoard event files: one file, or a run's log directory (its event files in name order).
        case tensorboard

        var source: RunSource {
            switch self {
            case .verl: .verl
            case .trl: .trl
            case .csv: .csv
            case .tensorboard: .tensorboard
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
    /// What the reader said about a file it read anyway (a TensorBoard file still being written).
    public var warnings: [String] = []
}

public enum ImportWorkflow {
    public static func run(_ request: ImportRequest, store: Store) throws(WorkflowError) -> ImportResult {
        do {
            return try importFile(request, store: store)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// One file's import: unchanged content is skipped, `--run` appends, a grown log is updated
    /// from its last imported step, anything else becomes a new run.
    static func importFile(_ request: ImportRequest, store: Store) throws -> ImportResult {
        let content = try ImportedContent(request)
        if let previous = try store.importedFile(hash: content.hash),
            let run = try store.runs().first(where: { $0.id == previous.runID })
        {
            return ImportResult(
                file: request.file, run: run.name, runID: run.id, action: .unchanged, steps: 0, points: 0,
                canonical: [:])
        }
        let log = try parse(request, content: content)
        guard let lastStep = log.steps.last?.step else {
            throw ImportError.malformed(file: request.file, line: 1, reason: "no logged step")
        }
        let (points, canonical) = metricPoints(log, request)
        let imported = ImportedPoints(
            content: content, lastStep: lastStep, points: points, canonical: canonical, warnings: log.warnings)
        if let target = request.appendTo {
            guard let run = try store.run(named: target), let id = run.id else {
                throw WorkflowError.empty("no run named \"\(target)\" to append to")
            }
            let stored = try store.points(ofRun: id).map(\.step).max() ?? -1
            return try append(imported, after: stored, to: run, replacing: nil, action: .appended, store: store)
        }
        // A log that has grown: an earlier import of this path is a prefix of this content.
        let grownFrom = try store.importedFiles(path: request.file).last { file in
            file.bytes < content.data.count
                && StableHash.contentHash(content.data.prefix(file.bytes)) == file.contentHash
        }
        if let grownFrom, let run = try store.runs().first(where: { $0.id == grownFrom.runID }) {
            return try append(
                imported, after: grownFrom.lastStep, to: run, replacing: grownFrom.contentHash, action: .updated,
                store: store)
        }
        let name = request.name ?? defaultName(request)
        if try store.run(named: name) != nil {
            throw WorkflowError.empty(
                "a run named \"\(name)\" exists and did not come from an earlier version of \(request.file); give --name for a new run or --run \(name) to append"
            )
        }
        let run = Run(
            name: name, source: request.format.source, rolloutsPerProblem: request.rolloutsPerProblem,
            problemsPerBatch: request.problemsPerBatch)
        let stored = try store.insertImported(
            run, points: points, path: request.file, contentHash: content.hash, bytes: content.data.count,
            lastStep: lastStep)
        return ImportResult(
            file: request.file, run: name, runID: stored.id, action: .created, steps: log.steps.count,
            points: points.count, canonical: canonical, warnings: log.warnings)
    }

    /// A run's default name: the file name without its extension; for a TensorBoard event file
    /// (`events.out.tfevents.…`), its directory's name, as TensorBoard names runs.
    static func defaultName(_ request: ImportRequest) -> String {
        let path = request.file as NSString
        if case .tensorboard = request.format, path.lastPathComponent.hasPrefix("events.out.tfevents.") {
            let directory = (path.deletingLastPathComponent as NSString).lastPathComponent
            if !directory.isEmpty && directory != "/" && directory != "." { return directory }
        }
        return (path.lastPathComponent as NSString).deletingPathExtension
    }

    /// A file's bytes and content hash, after the request's allocation is checked. A TensorBoard
    /// path's bytes are its event files' bytes in name order (a run's directory grows at its end).
    struct ImportedContent {
        var path: String
        var data: Data
        var hash: String
        /// The TensorBoard event files read, parsed from these bytes rather than read again.
        var eventFiles: [TensorBoardEventFile] = []

        init(_ request: ImportRequest) throws {
            guard (1...Limits.maxRolloutsPerProblem).contains(request.rolloutsPerProblem),
                (1...Limits.maxProblemsPerBatch).contains(request.problemsPerBatch)
            else {
                throw DomainError.invalid(
                    field: "n/B_p", value: "\(request.rolloutsPerProblem)/\(request.problemsPerBatch)",
                    reason: "n must lie in 1…2^20 and B_p in 1…2^24")
            }
            self.path = request.file
            if case .tensorboard = request.format {
                eventFiles = try TensorBoardEvents.files(at: request.file)
                data = eventFiles.reduce(into: Data()) { $0.append(contentsOf: $1.bytes) }
            } else {
                guard let data = FileManager.default.contents(atPath: request.file) else {
                    let exists = FileManager.default.fileExists(atPath: request.file)
                    throw ImportError.unreadable(file: request.file, reason: exists ? "cannot read" : "no such file")
                }
                self.data = data
            }
            self.hash = StableHash.contentHash(data)
        }
    }

    /// A parsed file's points, ready to store.
    struct ImportedPoints {
        var content: ImportedContent
        var lastStep: Int
        var points: [MetricPoint]
        var canonical: [String: String]
        var warnings: [String]
    }

    /// The training log in the request's format.
    static func parse(_ request: ImportRequest, content: ImportedContent) throws -> TrainingLog {
        switch request.format {
        case .verl: try VerlLog.read(request.file)
        case .trl: try TRLTrainerState.read(request.file)
        case .csv(let stepColumn, let metrics):
            try MetricCSV.read(request.file, stepColumn: stepColumn, metrics: metrics)
        case .tensorboard: try TensorBoardEvents.read(content.eventFiles, name: request.file).log
        }
    }

    /// Appends the points after `step` to an existing run (one transaction, with the file's record),
    /// and the metrics of `step` itself the run does not have yet: a log read while being written
    /// may have stopped in the middle of a step (TensorBoard writes one record per metric).
    static func append(
        _ imported: ImportedPoints, after step: Int, to run: Run, replacing previousHash: String?,
        action: ImportResult.Action, store: Store
    ) throws -> ImportResult {
        guard let id = run.id else { throw WorkflowError.empty("run \"\(run.name)\" has no id") }
        let key = { (point: MetricPoint) in point.rawName ?? point.metric.rawValue }
        let stored = Set(try store.points(ofRun: id).filter { $0.step == step }.map(key))
        let fresh = imported.points.filter { $0.step > step || ($0.step == step && !stored.contains(key($0))) }
        try store.appendImported(
            fresh, toRun: id, path: imported.content.path, contentHash: imported.content.hash,
            bytes: imported.content.data.count, lastStep: imported.lastStep, replacing: previousHash)
        return ImportResult(
            file: imported.content.path, run: run.name, runID: id, action: action,
            steps: Set(fresh.map(\.step)).count, points: fresh.count, canonical: imported.canonical,
            warnings: imported.warnings)
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
            } else if let raw = chosen[.responseLength], let length = step.values[raw] {
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
                        value: value, wallTime: step.wallTimes[raw]))
            }
        }
        return (points, Dictionary(uniqueKeysWithValues: chosen.map { ($0.key.rawValue, $0.value) }))
    }

    static func rank(_ raw: String) -> (Int, String) {
        (raw.contains("/reward/") || raw.hasSuffix("reward") ? 0 : 1, raw)
    }
}
