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

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let name = Column(CodingKeys.name)
    }

    init(_ run: Run) {
        id = run.id
        name = run.name
        source = run.source
        rolloutsPerProblem = run.rolloutsPerProblem
        problemsPerBatch = run.problemsPerBatch
        learningRate = run.learningRate
        model = run.model
        dataset = run.dataset
        difficulty = run.difficulty
    }

    var run: Run {
        Run(id: id, name: name, source: source, rolloutsPerProblem: rolloutsPerProblem,
            problemsPerBatch: problemsPerBatch, learningRate: learningRate, model: model, dataset: dataset,
            difficulty: difficulty)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
