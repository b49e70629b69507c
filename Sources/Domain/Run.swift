/// One RL training run: its allocation and provenance. Its measurements are ``MetricPoint``s.
///
/// The symbols of the IsoCompute paper: `n` = ``rolloutsPerProblem``, `B_p` =
/// ``problemsPerBatch``; a step consumes `B = B_p·n` rollouts, so `M` steps cost
/// `C = B_p·n·M` rollouts.
public struct Run: Codable, Hashable, Sendable {
    /// The store's id; `nil` until the run is saved.
    public var id: Int64?
    /// A name unique within the store.
    public var name: String
    /// Where the run came from.
    public var source: RunSource
    /// Rollouts per problem, `n` (the GRPO group size).
    public var rolloutsPerProblem: Int
    /// Problems per batch, `B_p`.
    public var problemsPerBatch: Int
    /// Learning rate `η`, when known.
    public var learningRate: Double?
    /// The policy model, when known.
    public var model: String?
    /// The training data set, when known.
    public var dataset: String?
    /// The population of the data set, when known (simulated runs).
    public var difficulty: Difficulty?
    /// The seed of a simulated run.
    public var seed: UInt64?
    /// The sweep a run was made in, and the sweep's preset.
    public var sweepID: String?
    public var preset: String?
    /// The fixed batch `B = B_p·n` of a fixed-batch sweep.
    public var fixedBatch: Int?

    public init(
        id: Int64? = nil, name: String, source: RunSource, rolloutsPerProblem: Int, problemsPerBatch: Int,
        learningRate: Double? = nil, model: String? = nil, dataset: String? = nil, difficulty: Difficulty? = nil,
        seed: UInt64? = nil, sweepID: String? = nil, preset: String? = nil, fixedBatch: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.source = source
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.learningRate = learningRate
        self.model = model
        self.dataset = dataset
        self.difficulty = difficulty
        self.seed = seed
        self.sweepID = sweepID
        self.preset = preset
        self.fixedBatch = fixedBatch
    }

    /// Rollouts per update step, `B = B_p·n` (as `Double`: budget arithmetic never wraps).
    public var rolloutsPerStep: Double { Double(problemsPerBatch) * Double(rolloutsPerProblem) }

    /// Sampling compute after `steps` update steps, `C = B_p·n·M`, in rollouts.
    public func compute(afterSteps steps: Int) -> Double { rolloutsPerStep * Double(steps) }

    /// Checks the invariants every stored run holds.
    /// - Throws: ``DomainError/invalid(field:value:reason:)`` naming the first field that fails.
    public func validate() throws(DomainError) {
        if name.allSatisfy(\.isWhitespace) {
            throw .invalid(field: "name", value: name, reason: "must not be empty")
        }
        if rolloutsPerProblem < 1 {
            throw .invalid(field: "rolloutsPerProblem (n)", value: String(rolloutsPerProblem), reason: "must be ≥ 1")
        }
        if problemsPerBatch < 1 {
            throw .invalid(field: "problemsPerBatch (B_p)", value: String(problemsPerBatch), reason: "must be ≥ 1")
        }
        if let fixedBatch, fixedBatch != problemsPerBatch * rolloutsPerProblem {
            throw .invalid(
                field: "fixedBatch (B)", value: String(fixedBatch),
                reason: "must equal B_p·n = \(problemsPerBatch * rolloutsPerProblem)")
        }
        if let learningRate, !(learningRate.isFinite && learningRate > 0) {
            throw .invalid(field: "learningRate", value: String(learningRate), reason: "must be finite and > 0")
        }
    }
}
