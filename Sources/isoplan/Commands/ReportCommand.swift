import ArgumentParser
import Domain
import Foundation
import Planner
import RunStore
import Workflows

/// `isoplan report`: the charts people plan with, as one self-contained HTML file (or Markdown).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Write the charts and tables of the stored runs, fits and plan as one self-contained HTML file (or Markdown with SVGs).",
        discussion: """
            Charts: reward vs compute per n with the frontier envelope and handovers; n*(C) with \
            the fitted law, its bootstrap band, floor and saturation; n*(M) and B_p*(M) for each \
            fixed batch; B_p-vs-n sensitivity; per-problem training pass@1 over training \
            (simulated runs); and, with --solve-rates, pass@k with the solve-rate fit and \
            test-time expected accuracy vs budget with the recommended configuration. Stored \
            frontier fits of the selected runs are used; a missing one is computed for the \
            report and not stored. The HTML holds inline SVG and CSS only, so it opens offline \
            and prints; --format md writes Markdown with a NAME-charts/ directory of SVG files.

              isoplan report --run-filter "preset=isocompute-q1-easy" -o report.html
              isoplan report --solve-rates results.json --system openhands --budget 500 -o report.html
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "The report file (default isoplan-report.html, or .md with --format md).",
            valueName: "file"))
    var output: String?

    @Option(
        name: .customLong("run-filter"),
        help: ArgumentHelp("Only the runs matching this filter (docs/CLI.md).", valueName: "expr"))
    var runFilter = ""

    @Option(
        name: .customLong("solve-rates"),
        help: ArgumentHelp(
            "Evaluation output for the test-time charts (PATH or NAME=PATH; any format `fit solve-rates` reads).",
            valueName: "file"))
    var solveRateFiles: [String] = []

    @OptionGroup var solveRates: SolveRateInputOptions

    @Option(
        name: .customLong("judge-vote-accuracy"),
        help: ArgumentHelp(
            "P(one vote on a mixed group picks a passing candidate), for the test-time sizing.", valueName: "a"))
    var judgeVoteAccuracy = 0.66

    @Option(
        help: ArgumentHelp(
            "Test-time budget for the whole task set, in --unit (plan tts's default costs).", valueName: "value"))
    var budget = 500.0

    @Option(help: ArgumentHelp("Unit of the test-time budget.", valueName: "unit"))
    var unit = CostUnit.usd

    @Option(
        help: ArgumentHelp("Bootstrap resamples of a frontier analysis the report computes itself.", valueName: "n"))
    var bootstrap = 200

    @OptionGroup var seed: SeedOptions

    func validate() throws {
        do { _ = try RunFilter(runFilter) } catch { throw ValidationError("--run-filter: \(error)") }
        guard judgeVoteAccuracy >= 0 && judgeVoteAccuracy <= 1 else {
            throw ValidationError("--judge-vote-accuracy must lie in [0, 1]")
        }
        guard budget > 0 && budget.isFinite else { throw ValidationError("--budget must be a positive number") }
        guard bootstrap == 0 || (2...2000).contains(bootstrap) else {
            throw ValidationError("--bootstrap needs 0 or 2…2000 resamples")
        }
        if solveRateFiles.isEmpty && solveRates.system != nil {
            throw ValidationError("--system goes with --solve-rates")
        }
    }

    var format: ReportRequest.Format {
        global.outputFormat.isMarkdown ? .markdown : .html
    }

    func run() throws {
        try reportingFailures {
            let store = try Store(path: global.databasePath, createIfMissing: false)
            var request = ReportRequest(
                filter: try RunFilter(runFilter),
                outputPath: output ?? (format == .html ? "isoplan-report.html" : "isoplan-report.md"))
            request.format = format
            request.generator = "isoplan \(Isoplan.version)"
            request.bootstrapResamples = bootstrap
            if !solveRateFiles.isEmpty {
                var tts = TestTimePlanRequest(
                    population: .measured(
                        files: solveRateFiles, system: solveRates.system,
                        options: solveRates.importOptions, kind: solveRates.kind),
                    judge: .voteAccuracy([judgeVoteAccuracy]), inputs: .codingAgentDefaults)
                tts.budget = budget
                tts.unit = unit
                tts.seed = seed.seed
                request.testTime = tts
            }
            let summary = try ReportWorkflow.run(request, store: store, progress: TerminalProgressBar())
            try global.render(summary) { _ in render(summary) }
        }
    }
}

/// The lines `report` and `demo` print about a written report.
func render(_ summary: ReportSummary) -> String {
    var lines = [
        "report: \(summary.path) (\(summary.format), \(summary.bytes / 1024) KiB, \(summary.charts.count) charts: \(summary.charts.joined(separator: ", ")))"
    ]
    if !summary.chartFiles.isEmpty { lines.append("charts: \(summary.chartFiles.count) SVG files beside it") }
    lines += summary.notes.map { "left out: \($0)" }
    return lines.joined(separator: "\n")
}
