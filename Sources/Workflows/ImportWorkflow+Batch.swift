import Foundation
public import Ingest

/// The files of one `isoplan import verl|trl|csv|tensorboard` and what they share, before each file's
/// allocation is known. `ImportWorkflow.requests(_:)` makes one `ImportRequest` per file.
public struct ImportBatch: Sendable {
    /// Where the files come from.
    public enum Files: Sendable {
        /// Log files sharing the batch's settings.
        case logs([String])
        /// A CSV manifest with one row per file, `file,n,bp[,tokens_per_rollout,name]`; relative
        /// paths are read from the manifest's folder.
        case manifest(String)
    }

    public var format: ImportRequest.Format
    public var files: Files
    /// n and B_p of every log (nil: the log's own configuration, see `ImportWorkflow.allocation`).
    public var rolloutsPerProblem: Int?
    public var problemsPerBatch: Int?
    /// Tokens per rollout, for logs without a token count or length metric (a manifest row's wins).
    public var tokensPerRollout: Double?
    /// TRL: a GRPOConfig JSON giving n (`num_generations`) and B_p, and the processes behind its
    /// per-device batch (nil: its `world_size`, else 1).
    public var trainerConfig: String?
    public var processes: Int?
    /// The run's name (one log only) and the run to append to.
    public var name: String?
    public var appendTo: String?

    public init(format: ImportRequest.Format, files: Files) {
        self.format = format
        self.files = files
    }
}

/// Why an import batch did not become one request per file.
public enum ImportPreparationError: Error, Sendable, CustomStringConvertible {
    /// Which half of a run's allocation.
    public enum Field: String, Sendable {
        case rolloutsPerProblem = "rollouts per problem"
        case problemsPerBatch = "problems per batch"
    }

    /// The manifest or the TRL config could not be read (file and line in the error).
    case input(ImportError)
    /// n or B_p of `file`'s run was given nowhere; `looked` says where it was sought.
    case missingAllocation(file: String, field: Field, looked: String)

    public var description: String {
        switch self {
        case .input(let error): "\(error)"
        case .missingAllocation(let file, let field, let looked):
            "missing \(field.rawValue) of the run in \(file): \(looked)"
        }
    }
}

extension ImportWorkflow {
    /// One request per file: from the manifest's rows, or from the logs with the batch's n and
    /// B_p, else what each run's own configuration says.
    public static func requests(_ batch: ImportBatch) throws(ImportPreparationError) -> [ImportRequest] {
        switch batch.files {
        case .manifest(let path):
            do { return try manifest(path, batch: batch) } catch { throw .input(error) }
        case .logs(let files):
            return try files.map { file throws(ImportPreparationError) in
                let (n, bp) = try allocation(for: file, batch: batch)
                var request = ImportRequest(
                    format: batch.format, file: file, rolloutsPerProblem: n,
                    problemsPerBatch: bp)
                request.tokensPerRollout = batch.tokensPerRollout
                request.name = batch.name
                request.appendTo = batch.appendTo
                return request
            }
        }
    }

    /// Reads a manifest (`file,n,bp[,tokens_per_rollout,name]`): a row whose n or bp is not a
    /// whole number ≥ 1 fails as `manifest:line: reason`; a missing column names the columns found.
    public static func manifest(_ path: String, batch: ImportBatch) throws(ImportError) -> [ImportRequest] {
        let table = try CSVTable(contentsOf: path)
        let fileColumn = try table.columnIndex("file")
        let nColumn = try table.columnIndex("n")
        let bpColumn = try table.columnIndex("bp")
        let tokensColumn = try? table.columnIndex("tokens_per_rollout")
        let nameColumn = try? table.columnIndex("name")
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try table.rows.map { row throws(ImportError) in
            let field = { (i: Int) in row.fields[i].trimmingCharacters(in: .whitespaces) }
            guard let n = Int(field(nColumn)), let bp = Int(field(bpColumn)), n >= 1, bp >= 1 else {
                throw ImportError.malformed(file: path, line: row.line, reason: "n and bp must be whole numbers ≥ 1")
            }
            let named = field(fileColumn)
            let file = named.hasPrefix("/") ? named : base.appendingPathComponent(named).path
            var request = ImportRequest(format: batch.format, file: file, rolloutsPerProblem: n, problemsPerBatch: bp)
            request.tokensPerRollout = tokensColumn.flatMap { Double(field($0)) } ?? batch.tokensPerRollout
            request.name = nameColumn.map(field).flatMap { $0.isEmpty ? nil : $0 }
            request.appendTo = batch.appendTo
            return request
        }
    }

    /// The batch's n and B_p, else what the run's own configuration says (verl: the log, when it
    /// prints one; TRL: the trainer config); a value found nowhere fails naming what was looked at.
    public static func allocation(for file: String, batch: ImportBatch) throws(ImportPreparationError) -> (Int, Int) {
        var n = batch.rolloutsPerProblem
        var bp = batch.problemsPerBatch
        var looked = "not given"
        if n == nil || bp == nil {
            var configured: ConfiguredAllocation?
            switch batch.format {
            case .verl: configured = try? VerlLog.configuredAllocation(file)
            case .trl:
                if let config = batch.trainerConfig {
                    do {
                        configured = try TRLTrainerState.configuredAllocation(
                            configPath: config,
                            processes: batch.processes)
                    } catch { throw .input(error) }
                }
            case .csv, .tensorboard: configured = nil
            }
            if let configured {
                n = n ?? configured.rolloutsPerProblem
                bp = bp ?? configured.problemsPerBatch
                looked = "not given and not in \(configured.source)"
            }
        }
        guard let n else { throw .missingAllocation(file: file, field: .rolloutsPerProblem, looked: looked) }
        guard let bp else { throw .missingAllocation(file: file, field: .problemsPerBatch, looked: looked) }
        return (n, bp)
    }
}
