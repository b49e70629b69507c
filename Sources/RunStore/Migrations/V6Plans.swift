import GRDB

/// Migration 6: stored training plans (`isoplan plan train`). Frozen: never edit once shipped.
enum V6Plans {
    static let identifier = "v6-plans"

    static func migrate(_ db: Database) throws {
        try db.create(table: "plan") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
            t.column("budget", .double).notNull()
            t.column("unit", .text).notNull()
            t.column("difficulty", .text).notNull()
            t.column("rolloutsPerProblem", .integer).notNull().check { $0 >= 1 }
            t.column("problemsPerBatch", .integer).notNull().check { $0 >= 1 }
            t.column("steps", .integer).notNull().check { $0 >= 1 }
            t.column("learningRate", .double).notNull()
            t.column("lawSource", .text).notNull()
            t.column("details", .jsonText).notNull()
        }
    }
}
