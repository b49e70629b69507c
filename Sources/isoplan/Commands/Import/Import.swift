import ArgumentParser
import Domain
import Foundation
import Ingest
import RunStore
import Workflows

/// `isoplan import …`: training logs into stored runs.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import training logs (verl, TRL, CSV / W&B, TensorBoard) as runs: one run per file, points under canonical metric names.",
        discussion: """
            Each file becomes a run with its allocation (--n, --bp, or a --manifest). Cumulative \
            rollouts are step·B_p·n; tokens come from the log's token count or response length, \
            else --tokens-per-rollout. Framework metric names map onto canonical ones (val_reward, \
            val_best@k, val_worst@k, train_reward, frac_zero_std, response_length) and every raw \
            name is kept. Re-importing the same content does nothing; a log that has grown updates \
            its run; --run NAME appends a resumed run's log to an existing run. A malformed line \
            fails as file:line: reason and nothing of that file is written.
            """,
        subcommands: [Verl.self, TRL.self, CSV.self, TensorBoard.self])
}

/// What every import subcommand takes: files or a manifest, and the allocation.
struct ImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Log files, or TensorBoard log directories (or use --manifest).", valueName: "path"))
    var files: [String] = []

    @Option(name: .customLong("n"), help: ArgumentHelp("Rollouts per problem n of the run(s).", valueName: "n"))
    var rolloutsPerProblem: Int?

    @Option(name: .customLong("bp"), help: ArgumentHelp("Problems per batch B_p of the run(s).", valueName: "B_p"))
    var problemsPerBatch: Int?

    @Option(
        name: .customLong("tokens-per-rollout"),
        help: ArgumentHelp("Tokens per rollout, when the log has no length metric.", valueName: "T"))
    var tokensPerRollout: Double?

    @Option(help: ArgumentHelp("CSV with one row per file: file,n,bp[,tokens_per_rollout,name].", valueName: "file"))
    var manifest: String?

    @Option(
        help: ArgumentHelp(
            "TRL only: a GRPOConfig JSON giving n (num_generations) and B_p when --n/--bp are not given.",
            valueName: "file"))
    var config: String?

    @Option(
        help: ArgumentHelp(
            "TRL only: processes behind the config's per-device batch (default: its world_size, else 1).",
            valueName: "n"))
    var processes: Int?

    @Option(help: ArgumentHelp("Name of the run (one file only; default: the file name).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("Append to this existing run instead.", valueName: "name"))
    var appendTo: String?

    func validate() throws {
        if manifest != nil {
            guard files.isEmpty, rolloutsPerProblem == nil, problemsPerBatch == nil, name == nil else {
                throw ValidationError(
                    "--manifest lists the files and their allocations: give no files, --n, --bp or --name with it")
            }
            return
        }
        guard !files.isEmpty else { throw ValidationError("give log files or --manifest FILE") }
        if let n = rolloutsPerProblem, !(1...Limits.maxRolloutsPerProblem).contains(n) {
            throw ValidationError("--n must lie in 1…2^20")
        }
        if let bp = problemsPerBatch, !(1...Limits.maxProblemsPerBatch).contains(bp) {
            throw ValidationError("--bp must lie in 1…2^24")
        }
        if let processes, processes < 1 { throw ValidationError("--processes must be ≥ 1") }
        if name != nil && files.count > 1 { throw ValidationError("--name names one run: give one file") }
        if let tokensPerRollout, !(tokensPerRollout > 0) {
            throw ValidationError("--tokens-per-rollout must be positive")
        }
    }

    /// The files and what they share, for `ImportWorkflow.requests(_:)`.
    func batch(_ format: ImportRequest.Format) -> ImportBatch {
        var batch = ImportBatch(format: format, files: manifest.map(ImportBatch.Files.manifest) ?? .logs(files))
        batch.rolloutsPerProblem = rolloutsPerProblem
        batch.problemsPerBatch = problemsPerBatch
        batch.tokensPerRollout = tokensPerRollout
        batch.trainerConfig = config
        batch.processes = processes
        batch.name = name
        batch.appendTo = appendTo
        return batch
    }

    /// One request per file; a run's n or B_p found nowhere is a usage error naming its flag.
    func requests(_ format: ImportRequest.Format) throws -> [ImportRequest] {
        do { return try ImportWorkflow.requests(batch(format)) } catch {
            switch error {
            case .input(let error): throw error
            case .missingAllocation(let file, let field, let looked):
                let flag = field == .rolloutsPerProblem ? "--n" : "--bp"
                throw ValidationError("missing \(flag) (\(field.rawValue) of the run in \(file)): \(looked)")
            }
        }
    }
}

extension ImportCommand {
    struct Verl: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import verl logs: the file logger's JSONL or console logs (ANSI codes, resumed runs, old and new keys)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions
        func run() throws { try runImports(options, format: .verl, global: global) }
    }

    struct TRL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trl",
            abstract: "Import TRL trainer_state.json files (log_history; old and new GRPO key sets).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions
        func run() throws { try runImports(options, format: .trl, global: global) }
    }

    struct TensorBoard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tensorboard",
            abstract: "Import TensorBoard event files, or a run's log directory of them, as one run each.",
            discussion: """
                A PATH is an event file or a directory whose event files (names containing tfevents, \
                as TensorBoard lists them) are read in name order as one run named after the \
                directory. Records are TFRecord frames whose masked CRC-32C checksums are checked; \
                scalars are simple_value and one-element tensors (float, double, half, bfloat16, \
                int32, int64), each kept with its step and wall time; histograms, images, audio, text \
                and larger tensors are skipped. \
                verl's and OpenRLHF's tag names map onto canonical metrics (train/reward, \
                eval/eval_<source>_pass1 → val_reward, …). A file that ends inside a record, as one \
                still being written does, is read up to its last complete record with a warning; \
                importing it again once it has grown adds the rest. A damaged record fails as \
                "file: byte offset N: reason" and nothing of that PATH is written.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions
        func run() throws { try runImports(options, format: .tensorboard, global: global) }
    }

    struct CSV: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csv", abstract: "Import a metrics CSV or W&B history export with a column mapping.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions

        @Option(name: .customLong("step-col"), help: ArgumentHelp("The step column.", valueName: "column"))
        var stepColumn = "_step"

        @Option(
            name: .customLong("metric-col"),
            help: ArgumentHelp(
                "A metric and its column, NAME=COLUMN (repeat; default: every column under its own name).",
                valueName: "name=column"))
        var metricColumns: [String] = []

        func validate() throws {
            for item in metricColumns where !item.contains("=") {
                throw ValidationError("--metric-col takes NAME=COLUMN, got \"\(item)\"")
            }
        }

        func run() throws {
            let metrics =
                metricColumns.isEmpty
                ? nil
                : metricColumns.map { item -> (name: String, column: String) in
                    let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                    return (parts[0], parts[1])
                }
            try runImports(options, format: .csv(stepColumn: stepColumn, metrics: metrics), global: global)
        }
    }
}

/// Imports every requested file (each its own transaction) and prints what happened.
func runImports(_ options: ImportOptions, format: ImportRequest.Format, global: GlobalOptions) throws {
    try reportingFailures {
        let requests: [ImportRequest]
        do { requests = try options.requests(format) } catch let error as ValidationError { throw error }
        let store = try Store(path: global.databasePath)
        var results: [ImportResult] = []
        for request in requests { results.append(try ImportWorkflow.run(request, store: store)) }
        try global.render(results) { format in
            let rows = results.map { r in
                [
                    (r.file as NSString).lastPathComponent, r.run, r.action.rawValue, String(r.steps), String(r.points),
                    r.canonical.keys.sorted().joined(separator: ", "),
                ]
            }
            let warnings = results.flatMap(\.warnings).map { "warning: \($0)" }
            return
                ([
                    table(
                        header: ["file", "run", "action", "steps", "points", "canonical metrics"], rows: rows,
                        format: format)
                ] + warnings).joined(separator: "\n")
        }
    }
}
