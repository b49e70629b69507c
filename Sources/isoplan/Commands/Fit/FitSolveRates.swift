import ArgumentParser
import Planner
import Workflows

extension FitCommand {
    /// `isoplan fit solve-rates`: per-task solve-rate models of a counts file.
    struct SolveRatesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "solve-rates",
            abstract:
                "Fit the per-task solve-rate distribution of evaluation outputs (Beta-binomial or with point masses).",
            discussion: """
                Inputs (format detected from the content; several are merged, each one run): counts \
                files with one row per task, task_id,trials,successes (aliases n_trials, n_resolved, \
                attempts, resolved, … accepted) and optionally a system column; Terminal-Bench \
                results.json (run or trial level, trials de-duplicated by id); SWE-bench reports \
                (classic status lists or schema_version 2); mini-SWE-agent runs (preds.json, \
                .traj.json or a run directory) labelled with --labels REPORT. Prefix an input with \
                NAME= to name its system.

                For each system: unbiased empirical pass@k, the maximum-likelihood model, E[pass@k] \
                beyond the observed trials, task-bootstrap intervals, and a holdout check that fits \
                on fewer trials.

                  isoplan fit solve-rates tbench_core011_task_success.csv --holdout-check 3 --json
                  isoplan fit solve-rates oh=run1/results.json oh=run2/results.json --null-resolved drop
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Evaluation outputs, each PATH or NAME=PATH.", valueName: "input"))
        var inputs: [String]

        @OptionGroup var solveRates: SolveRateInputOptions

        @Option(
            help: ArgumentHelp(
                "k values for E[pass@k], comma-separated (default 1, trials, 16, 64).", valueName: "k[,k]"))
        var k: String?

        @Option(help: ArgumentHelp("Task-level bootstrap resamples for intervals (0: none).", valueName: "n"))
        var bootstrap = 0

        @Option(
            name: .customLong("holdout-check"),
            help: ArgumentHelp(
                "Fit on this many trials per task and compare with the full pass@k.", valueName: "trials"))
        var holdoutCheck = 0

        @Option(help: ArgumentHelp("Seeds of the holdout thinning.", valueName: "n"))
        var seeds = 40

        @OptionGroup var seed: SeedOptions

        func validate() throws {
            guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
            if let k, k.split(separator: ",").contains(where: { Int($0).map { $0 < 1 } ?? true }) {
                throw ValidationError("--k needs whole numbers ≥ 1, got \"\(k)\"")
            }
            guard bootstrap == 0 || bootstrap >= 2 else {
                throw ValidationError("--bootstrap needs 0 or at least 2 resamples")
            }
            guard holdoutCheck >= 0, seeds >= 1 else {
                throw ValidationError("--holdout-check must be ≥ 0 and --seeds ≥ 1")
            }
        }

        func run() throws {
            var request = SolveRatesRequest(files: inputs)
            request.system = solveRates.system
            request.importOptions = solveRates.importOptions
            request.kind = solveRates.kind
            request.ks = k.map { $0.split(separator: ",").compactMap { Int($0) } }
            request.bootstrapResamples = bootstrap
            request.holdoutKeep = holdoutCheck
            request.holdoutSeeds = seeds
            request.seed = seed.seed
            try reportingFailures {
                let reports = try SolveRatesWorkflow.run(request)
                try global.render(reports) { format in
                    let ks = reports.first.map { $0.predictedPassAtK.keys.compactMap { Int($0) }.sorted() } ?? []
                    let rows = reports.map { r -> [String] in
                        var row = [
                            r.system ?? "-", String(r.tasks), String(r.trials), formatNumber(r.empiricalPassAt1),
                            formatNumber(r.empiricalPassAtTrials), formatNumber(r.model.alpha),
                            formatNumber(r.model.beta),
                        ]
                        if r.model.kind == .mixture {
                            row += [formatNumber(r.model.pointMassZero), formatNumber(r.model.pointMassOne)]
                        }
                        row += ks.map { formatNumber(r.predictedPassAtK["\($0)"] ?? .nan) }
                        if let h = r.holdout {
                            row.append("\(formatNumber(h.predicted)) vs \(formatNumber(h.measured))")
                        }
                        return row
                    }
                    let trials = reports.first?.trials ?? 0
                    let header =
                        ["system", "tasks", "trials", "pass@1", "pass@\(trials)", "alpha", "beta"]
                        + (request.kind == SolveRateModel.Kind.mixture ? ["w0", "w1"] : [])
                        + ks.map { "E[pass@\($0)]" }
                        + (holdoutCheck > 0 ? ["holdout pass@\(trials) (pred vs meas)"] : [])
                    return table(header: header, rows: rows, format: format)
                }
            }
        }
    }
}
