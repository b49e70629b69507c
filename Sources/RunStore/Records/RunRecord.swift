import Domain
import GRDB

/// A row of `run`. Internal: the store speaks `Domain.Run`.
struct RunRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "run"

    var id: Int64?
    var name: String
    var source: String
    var rolloutsPerProblem: Int
    var problemsPerBatch: Int
    var learningRate: Double?
    var model: String?
    var dataset: String?
    var difficulty: String?
    var seed: Int64?
    var sweepID: String?
    var preset: String?
    var fixedBatch: Int?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let name = Column(CodingKeys.name)
    }

    init(_ run: Run) {
        id = run.id
        name = run.name
        source = run.source.rawValue
        rolloutsPerProblem = run.rolloutsPerProblem
        problemsPerBatch = run.problemsPerBatch
        learningRate = run.learningRate
        model = run.model
        dataset = run.dataset
        difficulty = run.difficulty?.rawValue
        seed = run.seed.map { Int64(bitPattern: $0) }
        sweepID = run.sweepID
        preset = run.preset
        fixedBatch = run.fixedBatch
    }

    /// The stored run.
    /// - Throws: ``MalformedRow`` when its source or difficulty is text this version does not know.
    func run() throws -> Run {
        let stored = StoredText(table: Self.databaseTableName, row: id)
        return try Run(
            id: id, name: name, source: stored.value(source, column: "source"), rolloutsPerProblem: rolloutsPerProblem,
            problemsPerBatch: problemsPerBatch, learningRate: learningRate, model: model, dataset: dataset,
            difficulty: difficulty.map { try stored.value($0, column: "difficulty") },
            seed: seed.map { UInt64(bitPattern: $0) }, sweepID: sweepID, preset: preset,
            fixedBatch: fixedBatch)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
