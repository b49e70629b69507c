import ArgumentParser
import Foundation
import Planner

/// Options every command accepts, before or after the subcommand name.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "SQLite database file (default: $ISOPLAN_DB, else ./isoplan.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print machine-readable JSON on stdout (same as --format json).")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: table, json or md (markdown). `plan train` also takes verl, trl or openrlhf here, "
                + "a deprecated alias of its --export.",
            valueName: "format"))
    var format: FormatArgument?

    /// The database path: `--db`, else `ISOPLAN_DB`, else `./isoplan.sqlite`.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["ISOPLAN_DB"], !env.isEmpty { return env }
        return "isoplan.sqlite"
    }

    /// The chosen output format (`--json` wins); a framework name given to `--format` prints the table.
    var outputFormat: OutputFormat {
        if json { return .json }
        if case .output(let format) = format { return format }
        return .table
    }

    /// The framework `--format` names (`plan train`'s deprecated alias of `--export`).
    var frameworkAlias: Framework? {
        if case .framework(let framework) = format { return framework }
        return nil
    }

    func validate() throws {
        if let db, db.allSatisfy(\.isWhitespace) {
            throw ValidationError("--db needs a file path (got an empty string)")
        }
        if json, let format, format != .output(.json) {
            throw ValidationError("--json conflicts with --format \(format); give one of them")
        }
    }
}

/// How results are printed on stdout.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, json, md

    /// `markdown` is accepted for `md`, in any letter case.
    init?(argument: String) {
        let word = argument.lowercased()
        self.init(rawValue: word == "markdown" ? "md" : word)
    }

    var isMarkdown: Bool { self == .md }
}

/// What `--format` takes: an output format, or (for one release) a framework name standing for
/// `plan train --export`.
enum FormatArgument: Equatable, ExpressibleByArgument, CustomStringConvertible, Sendable {
    case output(OutputFormat)
    case framework(Framework)

    init?(argument: String) {
        if let format = OutputFormat(argument: argument) {
            self = .output(format)
        } else if let framework = Framework(argument: argument) {
            self = .framework(framework)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] {
        OutputFormat.allValueStrings + ["markdown"] + Framework.allValueStrings
    }

    var description: String {
        switch self {
        case .output(let format): format.rawValue
        case .framework(let framework): framework.rawValue
        }
    }
}
