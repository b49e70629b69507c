import GRDB

/// Migration 8: when each point was logged (`point.wallTime`, seconds since the Unix epoch; null
/// for points from logs that do not record it), for TensorBoard imports. Frozen: never edit once
/// shipped.
enum V8PointWallTime {
    static let identifier = "v8-point-wall-time"

    static func migrate(_ db: Database) throws {
        try db.alter(table: "point") { t in t.add(column: "wallTime", .double) }
    }
}
