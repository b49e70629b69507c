/// What ``TestTimePlanner/plan(_:)`` answers (and `plan tts` reports): the recommended pipeline
/// with its prediction, interval and cost, the accuracy-vs-budget curve and, for an assumed
/// population shape, how the answer moves with that shape.
public struct TestTimePlan: Codable, Sendable {
    /// Which question the plan answers (encoded as its raw string).
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// The most accurate pipeline within a budget.
        case budget
        /// The cheapest pipeline reaching a target accuracy.
        case target
        /// A prediction for one given pipeline.
        case fixed
    }

    public struct PopulationSummary: Codable, Sendable {
        public var source: String
        public var system: String?
        /// Tasks measured (nil for an assumed shape).
        public var measuredTasks: Int?
        public var model: SolveRateModel
        /// True when the shape is the documented default, not a fit.
        public var assumedShape: Bool
    }

    /// One iteration's judge.
    public struct JudgeSummary: Codable, Sendable {
        public var voteAccuracy: Double
        public var source: String
        /// Votes behind a measured accuracy.
        public var measuredVotes: Int?
    }

    /// One pipeline with everything a user acts on.
    public struct Choice: Codable, Sendable {
        public var pipeline: TestTimePipeline
        public var prediction: PipelinePrediction
        /// 95% predictive interval of the mean accuracy over `tasks` tasks.
        public var interval: PredictiveInterval
        /// Per task.
        public var cost: CostBreakdown
        public var dollarsPerTask: Double
        public var tokensPerTask: Double
        /// For the whole task set, in the plan's unit.
        public var totalCost: Double
        /// P(a mixed pair's winner passes) after V votes — each judge's derived group accuracy, in
        /// the order of ``TestTimePlan/judges``.
        public var pairAccuracies: [Double]
    }

    public struct CurvePoint: Codable, Sendable {
        /// Total budget in the plan's unit.
        public var budget: Double
        public var accuracy: Double
        public var pipeline: TestTimePipeline
    }

    /// How the answer moves with the population's shape (pass@1-only plans).
    public struct ShapeSensitivity: Codable, Sendable {
        public var concentration: Double
        public var best: TestTimePipeline?
        public var bestAccuracy: Double?
        /// The recommended pipeline's accuracy under this shape.
        public var recommendedAccuracy: Double
    }

    public var mode: Mode
    public var population: PopulationSummary
    /// The judge of each PDR iteration, iteration 0 first; iterations beyond the list use the last.
    public var judges: [JudgeSummary]
    public var unit: CostUnit
    public var tasks: Int
    /// Total budget for the task set, in `unit` (budget mode).
    public var budget: Double?
    public var targetAccuracy: Double?
    public var maxRounds: Int?
    public var recommendation: Choice
    public var curve: [CurvePoint]
    public var sensitivity: [ShapeSensitivity]
    public var configurationsScored: Int
    /// The refined population task by task (own-rate refinement, a judge worse on hard tasks),
    /// when asked for.
    public var redistribution: RedistributionModel.Prediction?
    public var notes: [String]
}
