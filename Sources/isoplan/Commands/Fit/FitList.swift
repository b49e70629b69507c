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
            do {
                let fits = try Store(path: global.databasePath, createIfMissing: false).fits(metric: metric.map(MetricName.init(rawValue:)))
                switch global.outputFormat {
                case .json: print(try jsonString(fits))
                case .table, .md, .markdown, .verl, .trl, .openrlhf:
                    let rows = fits.map { fit in
                        [String(fit.id ?? 0), fit.kind, fit.family, fit.metric?.rawValue ?? fit.inputFile ?? "",
                         fit.difficulty ?? "", fit.status,
                         zip(fit.parameterNames, fit.parameters).map { "\($0)=\(formatNumber($1))" }.joined(separator: " ")]
                    }
                    print(table(header: ["id", "kind", "family", "input", "difficulty", "status", "parameters"], rows: rows,
                                format: global.outputFormat))
                }
            } catch {
                throw reportFailure(error)
            }
        }
    }
}
