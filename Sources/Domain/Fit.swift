/// A stored fit: a law's parameters with their uncertainty and the identity of its inputs, so a
/// planner can find the latest fit for a metric and difficulty and a reader can tell what was fitted.
public struct Fit: Codable, Hashable, Sendable {
    /// The store's id; `nil` until saved.
    public var id: Int64?
    /// `curve` (a family fitted to a file) or `frontier` (the IsoCompute workflow on stored runs).
    public var kind: String
    /// The fitted family (`scalerl`, `law`, `law-linear`, `power`, `chinchilla`).
    public var family: String
    /// The metric fitted, for frontier fits.
    public var metric: MetricName?
    /// The runs' common difficulty, when they share one.
    public var difficulty: String?
    /// The run filter that selected the runs (frontier fits).
    public var runFilter: String?
    /// Ids of the runs used (frontier fits).
    public var runIDs: [Int64]
    /// The input file and its content hash (curve fits).
    public var inputFile: String?
    public var inputHash: String?
    /// Options that shaped the fit (loss, starts, grouping, …), as text.
    public var options: [String: String]
    public var parameterNames: [String]
    public var parameters: [Double]
    /// Bootstrap 95% percentile intervals and standard errors, when computed.
    public var lower95: [Double]?
    public var upper95: [Double]?
    public var standardErrors: [Double]?
    public var objective: Double
    /// `converged`, `smallStep`, `smallObjectiveChange` or `maxIterations`.
    public var status: String
    /// Parameters sitting on a bound.
    public var parametersOnBound: [String]
    /// The whole result as JSON (a frontier analysis, or the curve fit with its bootstrap).
    public var detailsJSON: String

    public init(id: Int64? = nil, kind: String, family: String, metric: MetricName? = nil, difficulty: String? = nil,
                runFilter: String? = nil, runIDs: [Int64] = [], inputFile: String? = nil, inputHash: String? = nil,
                options: [String: String] = [:], parameterNames: [String], parameters: [Double],
                lower95: [Double]? = nil, upper95: [Double]? = nil, standardErrors: [Double]? = nil,
                objective: Double, status: String, parametersOnBound: [String] = [], detailsJSON: String = "{}") {
        self.id = id
        self.kind = kind
        self.family = family
        self.metric = metric
        self.difficulty = difficulty
        self.runFilter = runFilter
        self.runIDs = runIDs
        self.inputFile = inputFile
        self.inputHash = inputHash
        self.options = options
        self.parameterNames = parameterNames
        self.parameters = parameters
        self.lower95 = lower95
        self.upper95 = upper95
        self.standardErrors = standardErrors
        self.objective = objective
        self.status = status
        self.parametersOnBound = parametersOnBound
        self.detailsJSON = detailsJSON
    }

    /// Checks the invariants every stored fit holds.
    public func validate() throws(DomainError) {
        if parameters.count != parameterNames.count {
            throw .invalid(field: "parameters", value: "\(parameters.count)", reason: "must match the \(parameterNames.count) names")
        }
        if !parameters.allSatisfy(\.isFinite) {
            throw .invalid(field: "parameters", value: "\(parameters)", reason: "must be finite")
        }
        for (field, values) in [("lower95", lower95), ("upper95", upper95), ("standardErrors", standardErrors)] {
            if let values, values.count != parameters.count {
                throw .invalid(field: field, value: "\(values.count)", reason: "must have one value per parameter")
            }
        }
    }
}
