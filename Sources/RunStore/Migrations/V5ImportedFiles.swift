import GRDB

/// Migration 5: which file content each imported run came from, so re-importing the same file is
/// a no-op and a log that has grown updates its run. Frozen: never edit once shipped.
enum V5ImportedFiles {
    static let identifier = "v5-imported-files"

    static func migrate(_ db: Database) throws {
        try db.create(table: "importedFile") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("run", onDelete: .cascade).notNull()
            t.column("path", .text).notNull()
            t.column("contentHash", .text).notNull()
            t.column("bytes", .integer).notNull()
            t.column("lastStep", .integer).notNull()
            t.column("importedAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
        }
        try db.create(index: "importedFile_on_contentHash", on: "importedFile", columns: ["contentHash"])
    }
}
