public import Domain

/// How a fit runs: loss, bounds, stopping rules.
public struct FitOptions: Sendable, Equatable {
    /// The per-residual loss.
    public var loss: RobustLoss = .l2
    /// Lower bounds, or `nil` for the family's defaults.
    public var lowerBounds: [Double]?
    /// Upper bounds, or `nil` for the family's defaults.
    public var upperBounds: [Double]?
    /// Stop when the largest component of the projected gradient of the objective is at most this.
    public var gradientTolerance = 1e-10
    /// Stop when a step changes no parameter by more than this relative amount.
    public var stepTolerance = 1e-14
    /// Stop when an accepted step lowers the objective by less than this fraction of it
    /// (0 disables the test; multi-start uses it to end its exploration stage early).
    public var objectiveTolerance = 0.0
    /// Iteration cap (accepted and rejected steps alike).
    public var maxIterations = 1000
    /// Add the family's second-order terms `Σ wᵢψ(rᵢ)·∇²fᵢ` to the curvature, when it has them.
    public var secondOrder = true
    /// How a multi-start fit with more starts than the screening keeps narrows them down.
    public var screening = StartScreening.standard

    public init(
        loss: RobustLoss = .l2, lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil,
        gradientTolerance: Double = 1e-10, maxIterations: Int = 1000
    ) {
        self.loss = loss
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.gradientTolerance = gradientTolerance
        self.maxIterations = maxIterations
    }
}

/// The result of fitting one family to one data set.
public struct CurveFit: Sendable, Codable, Equatable {
    /// The family's name.
    public var family: String
    /// Names of the parameters, in order.
    public var parameterNames: [String]
    /// The fitted parameters.
    public var parameters: [Double]
    /// `Σ wᵢ·ρ(rᵢ)` at the parameters.
    public var objective: Double
    /// Largest component of the projected gradient.
    public var gradientNorm: Double
    /// Levenberg–Marquardt iterations of the winning start.
    public var iterations: Int
    public var status: FitStatus
    /// Whether each parameter sits on (within 1e-9 relative of) a bound.
    public var onBound: [Bool]
    /// Points fitted.
    public var pointCount: Int
    /// The loss used.
    public var loss: RobustLoss
    /// Starts tried (1 for a single local fit).
    public var starts: Int
    /// Of the candidates polished at the end of a multi-start fit, how many reached the winner's
    /// objective (within 1e-9 relative); `nil` when only one was polished. 1 of several says the
    /// search found this optimum once: a better one may have been missed.
    public var candidatesAtOptimum: Int?

    /// The value of the named parameter.
    public subscript(name: String) -> Double? {
        parameterNames.firstIndex(of: name).map { parameters[$0] }
    }

    /// Names of the parameters that sit on a bound.
    public var parametersOnBound: [String] { zip(parameterNames, onBound).filter(\.1).map(\.0) }
}
