import GRDB

/// Migration 1: runs and their metric points. Frozen: never edit once shipped.
enum V1RunsAndPoints {
    static let identifier = "v1-runs-and-points"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = \(Migrations.applicationID)")
        try db.create(table: "run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique()
            t.column("source", .text).notNull()
            t.column("rolloutsPerProblem", .integer).notNull().check { $0 >= 1 }
            t.column("problemsPerBatch", .integer).notNull().check { $0 >= 1 }
            t.column("learningRate", .double)
            t.column("model", .text)
            t.column("dataset", .text)
            t.column("difficulty", .text)
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
        }
        try db.create(table: "point") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("run", onDelete: .cascade).notNull()
            t.column("step", .integer).notNull().check { $0 >= 0 }
            t.column("rollouts", .double).notNull().check { $0 >= 0 }
            t.column("tokens", .double)
            t.column("metric", .text).notNull()
            t.column("rawName", .text)
            t.column("value", .double).notNull()
        }
        try db.create(index: "point_on_run_metric_step", on: "point", columns: ["runId", "metric", "step"])
    }
}
