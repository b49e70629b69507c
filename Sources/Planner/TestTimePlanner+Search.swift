import Domain
import Foundation
import NumericCore

extension TestTimePlanner {
    /// What a search (or a fixed prediction) settled on.
    struct SearchOutcome {
        var mode: TestTimePlan.Mode
        var chosen: ScoredPipeline
        var curve: [TestTimePlan.CurvePoint] = []
        var sensitivity: [TestTimePlan.ShapeSensitivity] = []
        var scored = 1
    }

    /// What a search looks for.
    enum Goal {
        /// The most accurate frontier pipeline costing at most this per task.
        case perTaskBudget(Double)
        /// The cheapest frontier pipeline reaching this accuracy.
        case accuracy(Double)

        var mode: TestTimePlan.Mode {
            switch self {
            case .perTaskBudget: .budget
            case .accuracy: .target
            }
        }

        func choose(from frontier: [ScoredPipeline]) -> ScoredPipeline? {
            switch self {
            case .perTaskBudget(let budget): TestTimePlanner.best(within: budget, frontier: frontier)
            case .accuracy(let target): TestTimePlanner.cheapest(reaching: target, frontier: frontier)
            }
        }
    }

    /// Scores the fixed pipeline (select-K that cannot stop at K exactly is noted).
    static func predict(
        _ fixed: TestTimePipeline, _ request: Request, population: SolveRateModel, model: PipelineModel,
        notes: inout [String]
    ) -> SearchOutcome {
        let c = fixed.configuration
        if fixed.selection == .select && c.iterations > 1 {
            let kept = TournamentRounds.shrink(c.rollouts, to: c.priors, groupSize: c.groupSize).survivors
            if kept != c.priors {
                notes.append(
                    "Select-K plays whole RTV rounds: with N = \(c.rollouts) and G = \(c.groupSize) it stops at "
                        + "K′ = \(kept) priors, not \(c.priors); the prediction and cost use \(kept).")
            }
        }
        let cost = CostModel.cost(c, request.inputs, selection: fixed.selection)
        let chosen = ScoredPipeline(
            pipeline: fixed, accuracy: model.expectedAccuracy(model: population, pipeline: fixed),
            cost: cost, costValue: cost.value(in: request.unit, prices: request.inputs))
        return SearchOutcome(mode: .fixed, chosen: chosen)
    }

    /// Searches the space for `goal`, with the accuracy-vs-budget curve and, when the population's
    /// shape is assumed, the answer under each plausible shape (scored in the same pass).
    static func search(
        _ goal: Goal, _ request: Request, population: SolveRateModel, model: PipelineModel,
        tasks: Int
    ) throws(PlannerError) -> SearchOutcome {
        var shapes: [SolveRateModel] = []
        if case .passAt1(let mean, nil) = request.population {
            shapes = SolveRateModel.plausibleConcentrations.map {
                SolveRateModel.assumedShape(passAt1: mean, concentration: $0)
            }
        }
        let scoredAll = score(
            space: request.space, models: [population] + shapes, judges: model.judges,
            refinement: request.refinement, inputs: request.inputs, unit: request.unit,
            maxRounds: request.maxRounds)
        let frontier = frontier(scoredAll[0])
        guard let cheapest = frontier.first, let dearest = frontier.last else {
            throw .noConfiguration(maxRounds: request.maxRounds)
        }
        guard let chosen = goal.choose(from: frontier) else {
            switch goal {
            case .accuracy(let target):
                throw .unreachableTarget(
                    target, bestAccuracy: dearest.accuracy, bestCost: dearest.costValue * Double(tasks),
                    unit: request.unit)
            case .perTaskBudget:
                throw .budgetTooSmall(
                    cheapestCost: cheapest.costValue * Double(tasks), tasks: tasks, unit: request.unit)
            }
        }
        var outcome = SearchOutcome(mode: goal.mode, chosen: chosen, scored: scoredAll[0].count)
        outcome.curve = budgetCurve(frontier, tasks: tasks)
        outcome.sensitivity = zip(SolveRateModel.plausibleConcentrations, zip(shapes, scoredAll.dropFirst())).map {
            let (kappa, (shape, scoredShape)) = $0
            let best = goal.choose(from: TestTimePlanner.frontier(scoredShape))
            return .init(
                concentration: kappa, best: best?.pipeline, bestAccuracy: best?.accuracy,
                recommendedAccuracy: model.expectedAccuracy(model: shape, pipeline: chosen.pipeline))
        }
        return outcome
    }

    /// Accuracy vs budget: the frontier's best at 16 log-spaced totals from its cheapest point to
    /// its dearest.
    static func budgetCurve(_ frontier: [ScoredPipeline], tasks: Int) -> [TestTimePlan.CurvePoint] {
        guard let low = frontier.first?.costValue, let high = frontier.last?.costValue else { return [] }
        return (0..<16).compactMap { i in
            let perTask = high > low ? low * pow(high / low, Double(i) / 15) : low
            return best(within: perTask * (1 + 1e-12), frontier: frontier).map {
                .init(budget: perTask * Double(tasks), accuracy: $0.accuracy, pipeline: $0.pipeline)
            }
        }
    }

    /// The predictive interval of the chosen pipeline: task sampling and judge randomness (binomial
    /// over the set), plus the fit's uncertainty (task bootstrap) and the measured judges'
    /// (posterior draws; draw i of every measured iteration goes together).
    static func predictiveInterval(
        of chosen: ScoredPipeline, population: PopulationInputs, judges: [JudgeInputs],
        model planner: PipelineModel, tasks: Int
    ) -> PredictiveInterval {
        var draws = population.draws.map { planner.expectedAccuracy(model: $0, pipeline: chosen.pipeline) }
        let drawCount = judges.map(\.draws.count).max() ?? 0
        if drawCount > 0 {
            draws = (0..<drawCount).map { i in
                let model =
                    population.draws.isEmpty ? population.summary.model : population.draws[i % population.draws.count]
                let schedule = JudgeSchedule(
                    judges.map { JudgeModel(voteAccuracy: $0.draws.isEmpty ? $0.summary.voteAccuracy : $0.draws[i]) })
                return PipelineModel(judges: schedule, refinement: planner.refinement)
                    .expectedAccuracy(model: model, pipeline: chosen.pipeline)
            }
        }
        if draws.isEmpty { draws = [chosen.accuracy] }
        return predictiveInterval(accuracies: draws, tasks: tasks)
    }
}
