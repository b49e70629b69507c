/// A stored fit: a law's parameters with their uncertainty and the identity of its inputs, so a
/// planner can find the latest fit for a metric and difficulty and a reader can tell what was fitted.
public struct Fit: Codable, Hashable, Sendable {
    /// The store's id; `nil` until saved.
    public var id: Int64?
    public var kind: FitKind
    public var family: FitFamily
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
    public var status: FitStatus
    /// Parameters sitting on a bound.
    public var parametersOnBound: [String]
    /// The whole result as JSON (a frontier analysis, or the curve fit with its bootstrap).
    public var detailsJSON: String

    public init(
        id: Int64? = nil, kind: FitKind, family: FitFamily, metric: MetricName? = nil, difficulty: String? = nil,
        runFilter: String? = nil, runIDs: [Int64] = [], inputFile: String? = nil, inputHash: String? = nil,
        options: [String: String] = [:], parameterNames: [String], parameters: [Double],
        lower95: [Double]? = nil, upper95: [Double]? = nil, standardErrors: [Double]? = nil,
        objective: Double, status: FitStatus, parametersOnBound: [String] = [], detailsJSON: String = "{}"
    ) {
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
            throw .invalid(
                field: "parameters", value: "\(parameters.count)",
                reason: "must match the \(parameterNames.count) names")
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

/// What a stored fit fitted.
public enum FitKind: String, Codable, Sendable, CaseIterable {
    /// A family fitted to columns of a file (`fit curve`).
    case curve
    /// The IsoCompute frontier workflow on stored runs, ending in an allocation law (`fit frontier`).
    case frontier
}

/// The curve families a fit can be of, by the names the CLI and the store use.
public enum FitFamily: String, Codable, Sendable, CaseIterable {
    /// The ScaleRL sigmoid `R(C) = R0 + (A − R0)/(1 + (C_mid/C)^B)`.
    case scalerl
    /// The allocation law `log2 n*(C)`, a sigmoid in `log10 C`.
    case law
    /// The allocation law in linear steps `M` (fixed-batch fits, `n*(M)`).
    case lawLinear = "law-linear"
    /// `y = E + A·x^−α`.
    case power
    /// `L(N, D) = E + A/N^α + B/D^β`, fitted in log space.
    case chinchilla
}

/// Why a fit stopped.
public enum FitStatus: String, Sendable, Codable, CaseIterable {
    /// The projected gradient fell below the tolerance: a stationary point within the bounds.
    case converged
    /// Steps became too small to change the parameters; the gradient tolerance was not met.
    case smallStep
    /// An accepted step lowered the objective by less than the objective tolerance.
    case smallObjectiveChange
    /// The iteration cap was reached; the parameters are the best found.
    case maxIterations
}
