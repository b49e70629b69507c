import ArgumentParser
import Domain
import RunStore

extension FitCommand {
    /// `isoplan fit list`: the stored fits, newest first.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored fits, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only fits of this metric.", valueName: "name"))
        var metric: String?

        func run() throws {
            try reportingFailures {
                let store = try Store(path: global.databasePath, createIfMissing: false)
                let fits = try store.fits(metric: metric.map(MetricName.init(rawValue:)))
                try global.render(fits) { format in
                    let rows = fits.map { fit in
                        [
                            String(fit.id ?? 0), fit.kind.rawValue, fit.family.rawValue,
                            fit.metric?.rawValue ?? fit.inputFile ?? "",
                            fit.difficulty ?? "", fit.status.rawValue,
                            zip(fit.parameterNames, fit.parameters).map { "\($0)=\(formatNumber($1))" }.joined(
                                separator: " "),
                        ]
                    }
                    return table(
                        header: ["id", "kind", "family", "input", "difficulty", "status", "parameters"],
                        rows: rows, format: format)
                }
            }
        }
    }
}
