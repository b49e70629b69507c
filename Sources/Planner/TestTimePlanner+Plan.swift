import Domain
import Foundation
import NumericCore

extension TestTimePlanner {
    /// Answers a test-time planning question: fits (or assumes) the population, converts the
    /// judge, then predicts the fixed pipeline or searches the space for the budget's most accurate
    /// (or the target's cheapest) pipeline, with the accuracy-vs-budget curve, the shape
    /// sensitivity of an assumed population, and a 95% predictive interval for the mean accuracy
    /// over the task set (task sampling and judge randomness, plus the fit's bootstrap and a
    /// measured judge's posterior).
    public static func plan(_ request: Request) throws(PlannerError) -> TestTimePlan {
        var notes: [String] = []
        let population = try PopulationInputs(request, notes: &notes)
        let tasks = request.tasks ?? population.summary.measuredTasks ?? 100
        if request.tasks == nil && population.summary.measuredTasks == nil {
            notes.append("The interval and total costs are for a set of 100 tasks (--tasks to change).")
        }
        let judges = try judgeInputs(request, notes: &notes)
        let model = PipelineModel(
            judges: JudgeSchedule(judges.map { JudgeModel(voteAccuracy: $0.summary.voteAccuracy) }),
            refinement: request.refinement)
        let outcome: SearchOutcome
        switch request.objective {
        case .fixed(let pipeline):
            outcome = predict(pipeline, request, population: population.summary.model, model: model, notes: &notes)
        case .budget(let budget, let perTask):
            outcome = try search(
                .perTaskBudget(perTask ? budget : budget / Double(tasks)), request,
                population: population.summary.model, model: model, tasks: tasks)
        case .targetAccuracy(let target):
            outcome = try search(
                .accuracy(target), request, population: population.summary.model, model: model, tasks: tasks)
        }
        let chosen = outcome.chosen
        let interval = predictiveInterval(
            of: chosen, population: population, judges: judges, model: model, tasks: tasks)
        let recommendation = TestTimePlan.Choice(
            pipeline: chosen.pipeline,
            prediction: model.predict(model: population.summary.model, pipeline: chosen.pipeline),
            interval: interval, cost: chosen.cost,
            dollarsPerTask: chosen.cost.value(in: .usd, prices: request.inputs),
            tokensPerTask: chosen.cost.value(in: .tokens, prices: request.inputs),
            totalCost: chosen.costValue * Double(tasks),
            pairAccuracies: model.judges.judges.map {
                $0.groupAccuracy(size: 2, passing: 1, votes: chosen.pipeline.configuration.votes)
            })
        let redistribution = try redistributionPrediction(
            request, population: population.summary.model, choice: recommendation, notes: &notes)
        var budget: Double?
        var target: Double?
        switch request.objective {
        case .budget(let value, let perTask): budget = perTask ? value * Double(tasks) : value
        case .targetAccuracy(let value): target = value
        case .fixed: break
        }
        return TestTimePlan(
            mode: outcome.mode, population: population.summary, judges: judges.map(\.summary), unit: request.unit,
            tasks: tasks,
            budget: budget, targetAccuracy: target, maxRounds: request.maxRounds, recommendation: recommendation,
            curve: outcome.curve, sensitivity: outcome.sensitivity, configurationsScored: outcome.scored,
            redistribution: redistribution, notes: notes)
    }

    /// The task-by-task prediction of the refined population, when asked for (a fixed pipeline only).
    static func redistributionPrediction(
        _ request: Request, population: SolveRateModel, choice: TestTimePlan.Choice, notes: inout [String]
    ) throws(PlannerError) -> RedistributionModel.Prediction? {
        guard request.redistribution else { return nil }
        guard case .fixed = request.objective else {
            throw .invalid(
                .invalid(
                    field: "redistribution", value: "on", reason: "needs one configuration (--config), not a search"))
        }
        do throws(DomainError) {
            let prediction = try RedistributionModel.predict(
                population: population, pipeline: choice.pipeline, pairAccuracies: choice.pairAccuracies)
            let misses = zip(prediction.judgeAccuracies, choice.pairAccuracies).map { abs($0 - $1) }
            if !misses.allSatisfy({ $0 <= 1e-3 }) {
                notes.append(
                    "The redistribution model's judge curve does not reproduce the given judge accuracies "
                        + "(model \(prediction.judgeAccuracies.map { String(format: "%.4f", $0) }.joined(separator: ", "))): "
                        + "its per-task prediction is less certain.")
            }
            return prediction
        } catch {
            throw .invalid(error)
        }
    }

    /// The population's model, its summary and its task-bootstrap refits.
    struct PopulationInputs {
        var summary: TestTimePlan.PopulationSummary
        var draws: [SolveRateModel] = []

        init(_ request: Request, notes: inout [String]) throws(PlannerError) {
            switch request.population {
            case .measured(let rates, let source, let kind):
                do throws(DomainError) {
                    let model = try SolveRateFitter.fit(rates, kind: kind)
                    summary = .init(
                        source: source, system: rates.system, measuredTasks: rates.tasks.count, model: model,
                        assumedShape: false)
                    if request.bootstrapResamples >= 2 {
                        draws = try SolveRateFitter.bootstrap(
                            rates, kind: kind, resamples: request.bootstrapResamples,
                            seed: request.seed)
                    }
                } catch {
                    throw .invalid(error)
                }
            case .zeroShare(let mean, let share, let n, let concentration):
                let kappa = concentration ?? SolveRateModel.ablationConcentration
                do throws(DomainError) {
                    let model = try SolveRateModel.matching(
                        passAt1: mean, zeroShare: share, rollouts: n, concentration: kappa)
                    summary = .init(
                        source: "pass@1 = \(mean), \(share) of tasks at 0/\(n)", system: nil, measuredTasks: nil,
                        model: model, assumedShape: false)
                } catch {
                    throw .invalid(error)
                }
            case .passAt1(let mean, let concentration):
                let kappa = concentration ?? SolveRateModel.defaultConcentration
                summary = .init(
                    source: "pass@1 = \(mean)", system: nil, measuredTasks: nil,
                    model: .assumedShape(passAt1: mean, concentration: kappa), assumedShape: concentration == nil)
                if concentration == nil {
                    notes.append(
                        "Only a population pass@1 is known: the task shape is assumed, Beta with α + β = "
                            + "\(SolveRateModel.defaultConcentration) (the median of seven Terminal-Bench fits, "
                            + "strongly U-shaped). The RTV gain depends far more on this shape than on the mean — "
                            + "see the sensitivity table."
                    )
                }
            }
        }
    }

    /// Each iteration's judge inputs, at most as many as the iterations the request can use (the
    /// fixed pipeline's T, or the search's maximum); judges beyond those are noted and dropped.
    static func judgeInputs(_ request: Request, notes: inout [String]) throws(PlannerError) -> [JudgeInputs] {
        guard !request.judges.isEmpty else {
            throw .invalid(.invalid(field: "judge", value: "none", reason: "give at least one judge"))
        }
        let usable =
            switch request.objective {
            case .fixed(let pipeline): max(pipeline.configuration.iterations, 1)
            default: max(request.space.maxIterations, 1)
            }
        if request.judges.count > usable {
            notes.append(
                "\(request.judges.count) judges (given or measured) for at most \(usable) iteration\(usable == 1 ? "" : "s"); "
                    + "the judges of later iterations are not used.")
        }
        var inputs: [JudgeInputs] = []
        for (t, judge) in request.judges.prefix(usable).enumerated() {
            inputs.append(try JudgeInputs(judge, draws: request.bootstrapResamples, seed: request.seed, iteration: t))
        }
        return inputs
    }

    /// One iteration's judge: its vote accuracy, its summary and, when measured, posterior draws of it.
    struct JudgeInputs {
        var summary: TestTimePlan.JudgeSummary
        var draws: [Double] = []

        init(_ judge: Request.Judge, draws count: Int, seed: UInt64, iteration: Int) throws(PlannerError) {
            switch judge {
            case .voteAccuracy(let a):
                summary = .init(voteAccuracy: a, source: "given per-vote accuracy", measuredVotes: nil)
            case .pairAccuracy(let accuracy, let votes):
                summary = .init(
                    voteAccuracy: JudgeModel(pairAccuracy: accuracy, votes: votes).voteAccuracy,
                    source: "converted from a pairwise accuracy \(accuracy) after \(votes) votes", measuredVotes: nil)
            case .measured(let correct, let votes, let groups, let origin):
                guard votes >= 1 && (0...votes).contains(correct) else {
                    throw .invalid(
                        .invalid(
                            field: "judge votes", value: "\(correct) of \(votes)",
                            reason: "need at least one vote and 0 ≤ correct ≤ votes"))
                }
                // For G > 2 the tallies pool groups with different passing fractions; the model's vote
                // accuracy (a vote picks a passing candidate with probability a) is their pooled rate.
                summary = .init(
                    voteAccuracy: Double(correct) / Double(votes),
                    source: "measured in \(origin): \(correct) of \(votes) votes on \(groups) mixed groups",
                    measuredVotes: votes)
                // Its sampling uncertainty, a Jeffreys posterior, joins the interval.
                var rng = Xoshiro256StarStar(seed: seed, stream: 0x6A75_6467 + UInt64(iteration))
                let posterior = Beta(alpha: Double(correct) + 0.5, beta: Double(votes - correct) + 0.5)
                draws = (0..<count).map { _ in posterior.sample(using: &rng) }
            }
        }
    }
}
