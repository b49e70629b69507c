/// A training allocation for a budget: what `isoplan plan train` recommends and stores.
public struct Plan: Codable, Hashable, Sendable {
    public var id: Int64?
    /// The budget and its unit.
    public var budget: Double
    public var unit: BudgetUnit
    /// The population the plan is for.
    public var difficulty: PlanDifficulty
    /// n, B_p, M and the learning rate.
    public var rolloutsPerProblem: Int
    public var problemsPerBatch: Int
    public var steps: Int
    public var learningRate: Double
    /// The law's unrounded n*(C) (or n*(M)) and, when the law has a bootstrap, its 95% interval.
    public var optimalRollouts: Double
    public var optimalRolloutsInterval: [Double]?
    /// The validation reward the law's fitted curve for this n predicts at the budget (nil without
    /// a fitted curve for n), and whether that extrapolates beyond the curve's data.
    public var expectedReward: Double?
    public var expectedRewardExtrapolated: Bool?
    /// The train-set size the plan was made for, when given.
    public var problems: Int?
    /// The fixed batch B of a fixed-batch plan.
    public var fixedBatch: Int?
    /// Which law: a stored fit's id, or a built-in preset's name, and where it comes from.
    public var lawSource: String
    public var lawParameters: [Double]
    /// The recipe (KL, entropy, filters) for the difficulty.
    public var recipe: [String: String]
    /// Why: the rounding, capping and the law used, in one paragraph.
    public var rationale: String
    public var warnings: [String]
    /// Steps, time, GPU-hours and dollars, when a throughput is known.
    public var cost: PlanCost?
    /// The expected zero-advantage groups at n and across n.
    public var zeroAdvantage: ZeroAdvantageTable?

    public init(
        budget: Double, unit: BudgetUnit, difficulty: PlanDifficulty, rolloutsPerProblem: Int, problemsPerBatch: Int,
        steps: Int,
        learningRate: Double, optimalRollouts: Double, lawSource: String, lawParameters: [Double],
        recipe: [String: String], rationale: String, warnings: [String] = []
    ) {
        self.budget = budget
        self.unit = unit
        self.difficulty = difficulty
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.steps = steps
        self.learningRate = learningRate
        self.optimalRollouts = optimalRollouts
        self.lawSource = lawSource
        self.lawParameters = lawParameters
        self.recipe = recipe
        self.rationale = rationale
        self.warnings = warnings
    }

    /// Rollouts per step, B = B_p·n.
    public var batch: Int { rolloutsPerProblem * problemsPerBatch }
}

/// What a training budget counts.
public enum BudgetUnit: String, Codable, Sendable, CaseIterable {
    /// Sampled rollouts, `C = B_p·n·M`.
    case rollouts
    /// Generated tokens, `C_tok = C · tokens per rollout`.
    case tokens
    /// GPU-hours, converted to rollouts through a throughput model.
    case gpuHours = "gpu-hours"
    /// Dollars, GPU-hours at a price per GPU-hour.
    case usd

    /// Whether the unit counts cluster time (and needs a throughput to convert).
    public var isClusterTime: Bool { self == .gpuHours || self == .usd }
}

/// The population a training plan is for, as the planner names it.
public enum PlanDifficulty: String, Codable, Sendable, CaseIterable {
    case easy
    case hard
    /// The even easy/hard mixture (planned with the hard law and recipe, with a warning).
    case mixed

    /// The simulator's population this word stands for: `mixed` is the even easy/hard mixture.
    public var population: Difficulty {
        switch self {
        case .easy: .easy
        case .hard: .hard
        case .mixed: .heteroDual
        }
    }
}
