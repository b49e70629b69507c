/// What a plan costs on a cluster: steps, time, GPU-hours and dollars through a
/// ``ThroughputModel``.
public struct PlanCost: Sendable, Hashable, Codable {
    public var gpus: Int
    /// The rollouts the plan samples, `M·B_p·n`.
    public var rollouts: Double
    /// Generated tokens per rollout the cost assumes.
    public var responseTokens: Double
    /// Wall-clock seconds per step, and the part of it generation takes (nil for a hand-given rate).
    public var secondsPerStep: Double
    public var generationSecondsPerStep: Double?
    public var wallClockHours: Double
    public var gpuHours: Double
    /// Dollars at `usdPerGPUHour`, when a price is given.
    public var usdPerGPUHour: Double?
    public var usd: Double?
    /// Epochs over the train set, `⌈M·B_p/D⌉`, when D is known.
    public var epochs: Int?
    public var throughput: ThroughputModel

    public init(
        gpus: Int, rollouts: Double, responseTokens: Double, secondsPerStep: Double, generationSecondsPerStep: Double?,
        wallClockHours: Double, gpuHours: Double, usdPerGPUHour: Double? = nil, epochs: Int? = nil,
        throughput: ThroughputModel
    ) {
        self.gpus = gpus
        self.rollouts = rollouts
        self.responseTokens = responseTokens
        self.secondsPerStep = secondsPerStep
        self.generationSecondsPerStep = generationSecondsPerStep
        self.wallClockHours = wallClockHours
        self.gpuHours = gpuHours
        self.usdPerGPUHour = usdPerGPUHour
        self.usd = usdPerGPUHour.map { $0 * gpuHours }
        self.epochs = epochs
        self.throughput = throughput
    }
}

/// Groups whose n binary rewards are all equal carry no GRPO advantage: how many to expect at a
/// group size n over a population of problems.
public struct ZeroAdvantageRow: Sendable, Hashable, Codable {
    public var rolloutsPerProblem: Int
    /// The expected fraction of groups with all-equal rewards, `E[pⁿ + (1 − p)ⁿ]`.
    public var fraction: Double
    /// Expected informative groups in a batch of B_p problems, `B_p·(1 − f)`.
    public var informativeGroups: Double
    /// Prompts to sample per kept prompt to keep B_p informative groups (dynamic sampling):
    /// on average `1/(1 − f)`, and enough for at least B_p with probability 0.95; nil when
    /// informative groups all but vanish (no number of prompts is a plan).
    public var oversampling: Double?
    public var oversampling95: Double?

    public init(
        rolloutsPerProblem: Int, fraction: Double, informativeGroups: Double, oversampling: Double?,
        oversampling95: Double?
    ) {
        self.rolloutsPerProblem = rolloutsPerProblem
        self.fraction = fraction
        self.informativeGroups = informativeGroups
        self.oversampling = oversampling
        self.oversampling95 = oversampling95
    }
}

/// The zero-advantage figures of a plan: at its n, and across n for the same population and B_p.
public struct ZeroAdvantageTable: Sendable, Hashable, Codable {
    /// The population the problems' success rates come from (e.g. `easy`, `beta(0.5,2)`, `counts:file`).
    public var population: String
    /// Its mean success rate (pass@1).
    public var meanPassRate: Double
    public var problemsPerBatch: Int
    public var atPlan: ZeroAdvantageRow
    public var rows: [ZeroAdvantageRow]

    public init(
        population: String, meanPassRate: Double, problemsPerBatch: Int, atPlan: ZeroAdvantageRow,
        rows: [ZeroAdvantageRow]
    ) {
        self.population = population
        self.meanPassRate = meanPassRate
        self.problemsPerBatch = problemsPerBatch
        self.atPlan = atPlan
        self.rows = rows
    }
}
