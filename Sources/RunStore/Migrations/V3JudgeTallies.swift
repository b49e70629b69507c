import GRDB

/// Migration 3: the judge's recorded votes on graded tournament groups. Frozen: never edit once
/// shipped.
enum V3JudgeTallies {
    static let identifier = "v3-judge-tallies"

    static func migrate(_ db: Database) throws {
        try db.create(table: "judgeTally") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("createdAt", .datetime).notNull().defaults(sql: "CURRENT_TIMESTAMP")
            t.column("label", .text).notNull()
            t.column("taskID", .text).notNull()
            t.column("groupSize", .integer).notNull().check { $0 >= 2 }
            t.column("passing", .integer).notNull().check { $0 >= 0 }
            t.column("votes", .integer).notNull().check { $0 >= 1 }
            t.column("correctVotes", .integer).notNull().check { $0 >= 0 && $0 <= Column("votes") }
        }
        try db.create(index: "judgeTally_on_label", on: "judgeTally", columns: ["label"])
    }
}
