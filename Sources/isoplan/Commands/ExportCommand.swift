import ArgumentParser
import Domain
import RunStore
import Workflows

/// `isoplan export --csv DIR`: the store as tidy CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write runs, points, fits, frontiers and plans as tidy CSV files for notebooks.",
        discussion: """
            Files: runs.csv (one row per run), points.csv (one row per metric point: run, n, B_p, \
            step, rollouts, tokens, metric, raw name, value), fits.csv (one row per fitted \
            parameter with its 95% interval), frontier.csv (the grid of every stored frontier \
            fit: x, envelope value, winning n and B_p, smoothed log2 n*), plans.csv. Existing \
            files are replaced.

              isoplan export --csv notebooks-data/my-sweep --run-filter "preset=isocompute-q1-easy"
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Directory to write the CSV files into (created if needed).", valueName: "dir"))
    var csv: String

    @Option(
        name: .customLong("run-filter"),
        help: ArgumentHelp("Only the runs matching this filter (docs/CLI.md).", valueName: "expr"))
    var runFilter = ""

    @Option(
        help: ArgumentHelp("Only points of this metric (repeat for several; default: every metric).", valueName: "name")
    )
    var metric: [String] = []

    func validate() throws {
        do { _ = try RunFilter(runFilter) } catch { throw ValidationError("--run-filter: \(error)") }
    }

    func run() throws {
        try reportingFailures {
            let store = try Store(path: global.databasePath, createIfMissing: false)
            let result = try ExportWorkflow.run(
                store: store, directory: csv, filter: try RunFilter(runFilter),
                metrics: metric.isEmpty ? nil : Set(metric.map(MetricName.init(rawValue:))))
            try global.render(result) { format in
                let rows = result.rows.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] }
                return table(header: ["file", "rows"], rows: rows, format: format)
            }
        }
    }
}
