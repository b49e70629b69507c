/// A training allocation for a budget: what `isoplan plan train` recommends and stores.
public struct Plan: Codable, Hashable, Sendable {
    public var id: Int64?
    /// The budget and its unit (`rollouts` or `tokens`).
    public var budget: Double
    public var unit: String
    /// The population word the plan is for (`easy`, `hard`, `mixed`) and the law's difficulty.
    public var difficulty: String
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

    public init(budget: Double, unit: String, difficulty: String, rolloutsPerProblem: Int, problemsPerBatch: Int, steps: Int,
                learningRate: Double, optimalRollouts: Double, lawSource: String, lawParameters: [Double],
                recipe: [String: String], rationale: String, warnings: [String] = []) {
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
