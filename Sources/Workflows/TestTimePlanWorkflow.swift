public import Domain
import Foundation
public import Ingest
import NumericCore
public import Planner
import RunStore

/// `isoplan plan tts`: size a test-time pipeline for a budget or a target, or predict one.
public struct TestTimePlanRequest: Sendable {
    /// Where the task population's solve rates come from.
    public enum Population: Sendable {
        /// Evaluation outputs (see ``SolveRateSources``), one system of them.
        case measured(files: [String], system: String?, options: SolveRateImportOptions, kind: SolveRateModel.Kind)
        /// Only a population pass@1 is known: a Beta of that mean and the given (else the
        /// default) concentration.
        case passAt1(Double, concentration: Double?)
    }

    /// Where the judge's accuracy comes from.
    public enum Judge: Sendable {
        case voteAccuracy(Double)
        /// A pairwise (G = 2) group accuracy after `votes` votes, converted to a vote accuracy.
        case pairAccuracy(Double, votes: Int)
        /// The per-vote accuracy the executor measured, from the store's judge tallies.
        case fromStore(path: String, label: String?)
    }

    public var population: Population
    public var judge: Judge
    public var refinement: RefinementModel = .reference
    public var inputs: CostInputs
    public var unit: CostUnit = .usd
    /// Budget for the whole task set (or per task when `budgetPerTask`).
    public var budget: Double?
    public var budgetPerTask = false
    public var targetAccuracy: Double?
    public var maxRounds: Int?
    /// Predict this pipeline instead of searching.
    public var fixed: TestTimePipeline?
    public var space = SearchSpace()
    /// Tasks in the set the interval is for (default: the measured set's size, else 100).
    public var tasks: Int?
    /// Task-bootstrap refits (and judge draws) behind the predictive interval.
    public var bootstrapResamples = 200
    public var seed: UInt64 = 0

    public init(population: Population, judge: Judge, inputs: CostInputs) {
        self.population = population
        self.judge = judge
        self.inputs = inputs
    }
}

/// What `plan tts` reports.
public struct TestTimePlan: Codable, Sendable {
    public struct PopulationSummary: Codable, Sendable {
        public var source: String
        public var system: String?
        /// Tasks measured (nil for an assumed shape).
        public var measuredTasks: Int?
        public var model: SolveRateModel
        /// True when the shape is the documented default, not a fit.
        public var assumedShape: Bool
    }

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
        /// P(a mixed pair's winner passes) after V votes — the judge's derived group accuracy.
        public var pairAccuracy: Double
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

    public var mode: String
    public var population: PopulationSummary
    public var judge: JudgeSummary
    public var unit: CostUnit
    public var tasks: Int
    public var budget: Double?
    public var targetAccuracy: Double?
    public var maxRounds: Int?
    public var recommendation: Choice
    public var curve: [CurvePoint]
    public var sensitivity: [ShapeSensitivity]
    public var configurationsScored: Int
    public var notes: [String]
}

public enum TestTimePlanWorkflow {
    public static func run(_ request: TestTimePlanRequest) throws(WorkflowError) -> TestTimePlan {
        do {
            return try plan(request)
        } catch {
            throw WorkflowError(error)
        }
    }

    static func plan(_ request: TestTimePlanRequest) throws -> TestTimePlan {
        var notes: [String] = []
        // The population and the models behind the interval.
        let population: TestTimePlan.PopulationSummary
        var parameterDraws: [SolveRateModel] = []
        switch request.population {
        case let .measured(files, system, options, kind):
            let systems = try SolveRatesWorkflow.load(files, system: system, options: options)
            guard systems.count == 1 else {
                throw WorkflowError.empty("the inputs hold \(systems.count) systems (\(systems.map { $0.system ?? "(unnamed)" }.joined(separator: ", "))); choose one with --system")
            }
            let rates = systems[0]
            let model = try SolveRateFitter.fit(rates, kind: kind)
            population = .init(source: files.joined(separator: ", "), system: rates.system, measuredTasks: rates.tasks.count,
                               model: model, assumedShape: false)
            if request.bootstrapResamples >= 2 {
                parameterDraws = try SolveRateFitter.bootstrap(rates, kind: kind, resamples: request.bootstrapResamples, seed: request.seed)
            }
        case let .passAt1(mean, concentration):
            let kappa = concentration ?? SolveRateModel.defaultConcentration
            population = .init(source: "pass@1 = \(mean)", system: nil, measuredTasks: nil,
                               model: .assumedShape(passAt1: mean, concentration: kappa), assumedShape: concentration == nil)
            if concentration == nil {
                notes.append("Only a population pass@1 is known: the task shape is assumed, Beta with α + β = \(SolveRateModel.defaultConcentration) (the median of seven Terminal-Bench fits, strongly U-shaped). The RTV gain depends far more on this shape than on the mean — see the sensitivity table.")
            }
        }
        let tasks = request.tasks ?? population.measuredTasks ?? 100
        if request.tasks == nil && population.measuredTasks == nil {
            notes.append("The interval and total costs are for a set of 100 tasks (--tasks to change).")
        }

        // The judge.
        let judge: TestTimePlan.JudgeSummary
        var judgeDraws: [Double] = []
        switch request.judge {
        case let .voteAccuracy(a):
            judge = .init(voteAccuracy: a, source: "given per-vote accuracy", measuredVotes: nil)
        case let .pairAccuracy(accuracy, votes):
            judge = .init(voteAccuracy: JudgeModel(pairAccuracy: accuracy, votes: votes).voteAccuracy,
                          source: "converted from a pairwise accuracy \(accuracy) after \(votes) votes", measuredVotes: nil)
        case let .fromStore(path, label):
            // For G > 2 the tallies pool groups with different passing fractions; the model's vote
            // accuracy (a vote picks a passing candidate with probability a) is their pooled rate.
            let totals = try Store(path: path, createIfMissing: false).judgeVoteTotals(label: label)
            guard let measured = totals.voteAccuracy else {
                throw WorkflowError.empty("\(path): no judge votes on mixed groups recorded\(label.map { " for \"\($0)\"" } ?? "") — run the executor first, or give --judge-vote-accuracy")
            }
            judge = .init(voteAccuracy: measured, source: "measured in \(path)\(label.map { " (\($0))" } ?? ""): \(totals.correctVotes) of \(totals.votes) votes on \(totals.groups) mixed groups",
                          measuredVotes: totals.votes)
            // Its sampling uncertainty, a Jeffreys posterior, joins the interval.
            var rng = Xoshiro256StarStar(seed: request.seed, stream: 0x6A75_6467)
            let posterior = Beta(alpha: Double(totals.correctVotes) + 0.5, beta: Double(totals.votes - totals.correctVotes) + 0.5)
            judgeDraws = (0..<request.bootstrapResamples).map { _ in posterior.sample(using: &rng) }
        }
        let judgeModel = JudgeModel(voteAccuracy: judge.voteAccuracy)

        // Budget in the unit, per task.
        let perTaskBudget = request.budget.map { request.budgetPerTask ? $0 : $0 / Double(tasks) }
        let mode: String
        let chosen: ScoredPipeline
        var curve: [TestTimePlan.CurvePoint] = []
        var sensitivity: [TestTimePlan.ShapeSensitivity] = []
        var scoredCount = 1
        let planner = PipelineModel(judge: judgeModel, refinement: request.refinement)
        if let fixed = request.fixed {
            mode = "fixed"
            let c = fixed.configuration
            if fixed.selection == .select && c.iterations > 1 {
                let kept = TournamentRounds.shrink(c.rollouts, to: c.priors, groupSize: c.groupSize).survivors
                if kept != c.priors {
                    notes.append("Select-K plays whole RTV rounds: with N = \(c.rollouts) and G = \(c.groupSize) it stops at K′ = \(kept) priors, not \(c.priors); the prediction and cost use \(kept).")
                }
            }
            let cost = CostModel.cost(fixed.configuration, request.inputs, selection: fixed.selection)
            chosen = ScoredPipeline(pipeline: fixed, accuracy: planner.expectedAccuracy(model: population.model, pipeline: fixed),
                                    cost: cost, costValue: cost.value(in: request.unit, prices: request.inputs))
        } else {
            // The population, and the sensitivity shapes when the shape is assumed, scored in one pass.
            var shapes: [SolveRateModel] = []
            if case let .passAt1(mean, nil) = request.population {
                shapes = SolveRateModel.plausibleConcentrations.map { SolveRateModel.assumedShape(passAt1: mean, concentration: $0) }
            }
            let scoredAll = TestTimePlanner.score(space: request.space, models: [population.model] + shapes, judge: judgeModel,
                                                  refinement: request.refinement, inputs: request.inputs, unit: request.unit,
                                                  maxRounds: request.maxRounds)
            let scored = scoredAll[0]
            scoredCount = scored.count
            let frontier = TestTimePlanner.frontier(scored)
            guard let cheapest = frontier.first else {
                throw WorkflowError.empty("no configuration fits --max-rounds \(request.maxRounds.map(String.init) ?? "-")")
            }
            if let target = request.targetAccuracy {
                mode = "target"
                guard let hit = TestTimePlanner.cheapest(reaching: target, frontier: frontier) else {
                    throw WorkflowError.empty("no configuration in the search space reaches accuracy \(target); the best is \(formatted(frontier.last!.accuracy)) at \(formatted(frontier.last!.costValue * Double(tasks))) \(request.unit.rawValue)")
                }
                chosen = hit
            } else {
                mode = "budget"
                guard let perTaskBudget else { throw WorkflowError.empty("give --budget, --target-accuracy or --config") }
                guard let hit = TestTimePlanner.best(within: perTaskBudget, frontier: frontier) else {
                    throw WorkflowError.empty("the budget buys less than one rollout per task: the cheapest configuration costs \(formatted(cheapest.costValue * Double(tasks))) \(request.unit.rawValue) for \(tasks) tasks")
                }
                chosen = hit
            }
            // Accuracy vs budget: 16 log-spaced totals from the cheapest frontier point to the dearest.
            let (low, high) = (cheapest.costValue, frontier.last!.costValue)
            for i in 0..<16 {
                let perTask = high > low ? low * pow(high / low, Double(i) / 15) : low
                if let best = TestTimePlanner.best(within: perTask * (1 + 1e-12), frontier: frontier) {
                    curve.append(.init(budget: perTask * Double(tasks), accuracy: best.accuracy, pipeline: best.pipeline))
                }
            }
            if !shapes.isEmpty {
                for (kappa, (shape, scoredShape)) in zip(SolveRateModel.plausibleConcentrations, zip(shapes, scoredAll.dropFirst())) {
                    let rescored = TestTimePlanner.frontier(scoredShape)
                    let best = mode == "target"
                        ? TestTimePlanner.cheapest(reaching: request.targetAccuracy!, frontier: rescored)
                        : TestTimePlanner.best(within: perTaskBudget!, frontier: rescored)
                    sensitivity.append(.init(concentration: kappa, best: best?.pipeline, bestAccuracy: best?.accuracy,
                                             recommendedAccuracy: planner.expectedAccuracy(model: shape, pipeline: chosen.pipeline)))
                }
            }
        }

        // The predictive interval: task sampling and judge randomness (binomial over the set),
        // plus the fit's uncertainty (task bootstrap) and a measured judge's (posterior draws).
        var draws = parameterDraws.map { planner.expectedAccuracy(model: $0, pipeline: chosen.pipeline) }
        if !judgeDraws.isEmpty {
            draws = judgeDraws.enumerated().map { i, a in
                let model = parameterDraws.isEmpty ? population.model : parameterDraws[i % parameterDraws.count]
                return PipelineModel(judge: JudgeModel(voteAccuracy: a), refinement: request.refinement)
                    .expectedAccuracy(model: model, pipeline: chosen.pipeline)
            }
        }
        if draws.isEmpty { draws = [chosen.accuracy] }
        let interval = TestTimePlanner.predictiveInterval(accuracies: draws, tasks: tasks)
        let c = chosen.pipeline.configuration
        let recommendation = TestTimePlan.Choice(
            pipeline: chosen.pipeline, prediction: planner.predict(model: population.model, pipeline: chosen.pipeline),
            interval: interval, cost: chosen.cost,
            dollarsPerTask: chosen.cost.value(in: .usd, prices: request.inputs),
            tokensPerTask: chosen.cost.value(in: .tokens, prices: request.inputs),
            totalCost: chosen.costValue * Double(tasks),
            pairAccuracy: judgeModel.groupAccuracy(size: 2, passing: 1, votes: c.votes))
        return TestTimePlan(
            mode: mode, population: population, judge: judge, unit: request.unit, tasks: tasks,
            budget: request.budget.map { request.budgetPerTask ? $0 * Double(tasks) : $0 },
            targetAccuracy: request.targetAccuracy, maxRounds: request.maxRounds, recommendation: recommendation,
            curve: curve, sensitivity: sensitivity, configurationsScored: scoredCount, notes: notes)
    }

    static func formatted(_ x: Double) -> String { String(format: "%.4g", x) }
}
