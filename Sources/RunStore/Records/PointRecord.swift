import Domain
import GRDB

/// A row of `point`. Internal: the store speaks `Domain.MetricPoint`.
struct PointRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "point"

    var id: Int64?
    var runId: Int64
    var step: Int
    var rollouts: Double
    var tokens: Double?
    var metric: String
    var rawName: String?
    var value: Double
    var wallTime: Double?

    enum Columns {
        static let runId = Column(CodingKeys.runId)
        static let metric = Column(CodingKeys.metric)
        static let step = Column(CodingKeys.step)
    }

    init(_ point: MetricPoint, runId: Int64) {
        self.runId = runId
        step = point.step
        rollouts = point.rollouts
        tokens = point.tokens
        metric = point.metric.rawValue
        rawName = point.rawName
        value = point.value
        wallTime = point.wallTime
    }

    var point: MetricPoint {
        MetricPoint(
            step: step, rollouts: rollouts, tokens: tokens, metric: MetricName(rawValue: metric),
            rawName: rawName, value: value, wallTime: wallTime)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
