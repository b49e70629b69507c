import GRDB

/// Migration 9: the PDR iteration each judge tally belongs to (`judgeTally.iteration`, ≥ 0), so the
/// planner can use one judge accuracy per iteration. Rows written before it get 0: the executor
/// recorded no iteration, and every store it wrote before this migration is read as iteration 0
/// (documented in `docs/TEST_TIME.md`). Frozen: never edit once shipped.
enum V9JudgeTallyIteration {
    static let identifier = "v9-judge-tally-iteration"

    static func migrate(_ db: Database) throws {
        try db.alter(table: "judgeTally") { t in
            t.add(column: "iteration", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
        }
    }
}
