import GRDB

/// Migration 2: stored fits (scaling-law fits of files and frontier fits of stored runs).
/// Frozen: never edit once shipped.
enum V2Fits {
    static let identifier = "v2-fits"

    static func migrate(_ db: Database) throws {
        try db.create(table: "fit") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
            t.column("kind", .text).notNull()
            t.column("family", .text).notNull()
            t.column("metric", .text)
            t.column("difficulty", .text)
            t.column("runFilter", .text)
            t.column("runIDs", .jsonText).notNull()
            t.column("inputFile", .text)
            t.column("inputHash", .text)
            t.column("options", .jsonText).notNull()
            t.column("parameterNames", .jsonText).notNull()
            t.column("parameters", .jsonText).notNull()
            t.column("lower95", .jsonText)
            t.column("upper95", .jsonText)
            t.column("standardErrors", .jsonText)
            t.column("objective", .double).notNull()
            t.column("status", .text).notNull()
            t.column("parametersOnBound", .jsonText).notNull()
            t.column("details", .jsonText).notNull()
        }
        try db.create(index: "fit_on_metric_difficulty", on: "fit", columns: ["metric", "difficulty", "id"])
    }
}
