import ArgumentParser
import RunStore

extension DB {
    /// `isoplan db info`: schema version and row counts (creates the database when missing).
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the store's schema version and row counts.",
            discussion: """
                Opens the database (creating and migrating it when the file does not exist) and \
                prints its schema version, applied migrations, journal mode and the number of rows \
                in each table. A file that is not an IsoPlan database exits with status 65.

                  isoplan --db runs.sqlite db info --json
                """)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reportingFailures {
                let info = try Store(path: global.databasePath).info()
                try global.render(info) { format in
                    var rows = [
                        ("database", info.path),
                        ("schema", "\(info.schemaVersion) (\(info.migrations.joined(separator: ", ")))"),
                        ("journal", info.journalMode),
                    ]
                    rows += info.counts.sorted { $0.key < $1.key }.map { ("\($0.key) rows", String($0.value)) }
                    return keyValueTable(rows, format: format)
                }
            }
        }
    }
}
