import GRDB

/// Migration 4: what simulated sweeps record about a run — its seed, the sweep and preset it
/// belongs to, and the fixed batch B of a fixed-batch sweep. Frozen: never edit once shipped.
enum V4RunSweeps {
    static let identifier = "v4-run-sweeps"

    static func migrate(_ db: Database) throws {
        try db.alter(table: "run") { t in
            t.add(column: "seed", .integer)
            t.add(column: "sweepID", .text)
            t.add(column: "preset", .text)
            t.add(column: "fixedBatch", .integer)
        }
        try db.create(index: "run_on_sweepID", on: "run", columns: ["sweepID"])
    }
}
