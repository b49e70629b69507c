import Domain
import GRDB

/// A row of `fit`. Internal: the store speaks `Domain.Fit`; arrays and dictionaries are JSON text.
struct FitRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "fit"

    var id: Int64?
    var kind: String
    var family: String
    var metric: String?
    var difficulty: String?
    var runFilter: String?
    var runIDs: [Int64]
    var inputFile: String?
    var inputHash: String?
    var options: [String: String]
    var parameterNames: [String]
    var parameters: [Double]
    var lower95: [Double]?
    var upper95: [Double]?
    var standardErrors: [Double]?
    var objective: Double
    var status: String
    var parametersOnBound: [String]
    var details: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let family = Column(CodingKeys.family)
        static let metric = Column(CodingKeys.metric)
        static let difficulty = Column(CodingKeys.difficulty)
    }

    init(_ fit: Fit) {
        id = fit.id
        kind = fit.kind.rawValue
        family = fit.family.rawValue
        metric = fit.metric?.rawValue
        difficulty = fit.difficulty
        runFilter = fit.runFilter
        runIDs = fit.runIDs
        inputFile = fit.inputFile
        inputHash = fit.inputHash
        options = fit.options
        parameterNames = fit.parameterNames
        parameters = fit.parameters
        lower95 = fit.lower95
        upper95 = fit.upper95
        standardErrors = fit.standardErrors
        objective = fit.objective
        status = fit.status.rawValue
        parametersOnBound = fit.parametersOnBound
        details = fit.detailsJSON
    }

    /// The stored fit.
    /// - Throws: ``MalformedRow`` when a text column holds a value this version does not know.
    func fit() throws -> Fit {
        let stored = StoredText(table: Self.databaseTableName, row: id)
        return try Fit(
            id: id, kind: stored.value(kind, column: "kind"), family: stored.value(family, column: "family"),
            metric: metric.map(MetricName.init(rawValue:)), difficulty: difficulty,
            runFilter: runFilter, runIDs: runIDs, inputFile: inputFile, inputHash: inputHash, options: options,
            parameterNames: parameterNames, parameters: parameters, lower95: lower95, upper95: upper95,
            standardErrors: standardErrors, objective: objective, status: stored.value(status, column: "status"),
            parametersOnBound: parametersOnBound,
            detailsJSON: details)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
