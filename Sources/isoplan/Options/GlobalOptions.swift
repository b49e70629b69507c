import ArgumentParser
import Foundation

/// Options every command accepts, before or after the subcommand name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "SQLite database file (default: $ISOPLAN_DB, else ./isoplan.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print machine-readable JSON on stdout (same as --format json).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Output format.", valueName: "format"))
    var format: OutputFormat?

    /// The database path: `--db`, else `ISOPLAN_DB`, else `./isoplan.sqlite`.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["ISOPLAN_DB"], !env.isEmpty { return env }
        return "isoplan.sqlite"
    }

    /// The chosen output format (`--json` wins); a framework format (`verl`, `trl`, `openrlhf`)
    /// is for `plan train` only, and other commands print their table.
    var outputFormat: OutputFormat {
        if json { return .json }
        guard let format, !format.isFramework else { return .table }
        return format
    }

    /// `verl`, `trl` or `openrlhf` when `--format` names a training framework.
    var frameworkFormat: OutputFormat? { format.flatMap { $0.isFramework ? $0 : nil } }

    func validate() throws {
        if let db, db.allSatisfy(\.isWhitespace) {
            throw ValidationError("--db needs a file path (got an empty string)")
        }
        if json, let format, format != .json {
            throw ValidationError("--json conflicts with --format \(format.rawValue); give one of them")
        }
    }
}

/// How results are printed on stdout. `verl`, `trl` and `openrlhf` print a training plan as
/// ready-to-paste settings (`plan train`).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, md, markdown, verl, trl, openrlhf

    var isFramework: Bool { self == .verl || self == .trl || self == .openrlhf }

    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}
