import ArgumentParser

/// `isoplan db …`: look after the SQLite store.
struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect the SQLite store.",
        subcommands: [Info.self])
}
