public import Domain
import Foundation
import Ingest
import Planner
public import RunStore
import ScalingLaws

/// `isoplan plan train`: a (n, B_p, M, η) recipe for a budget, stored.
public struct TrainingPlanRequest: Sendable {
    /// The population the plan is for.
    public enum DifficultyChoice: Sendable, Hashable {
        /// A named population.
        case named(PlanDifficulty)
        /// Classified from a counts file (`task_id,trials,successes`; every system in it pooled)
        /// by `DifficultyClassifier` with the paper's avg@16 bins; how is kept as the plan's first warnings.
        case auto(solveRatesFile: String)
    }

    public var budget: Double
    public var unit = BudgetUnit.rollouts
    public var tokensPerRollout: Double?
    public var difficulty: DifficultyChoice
    /// `q1` (default) or `q3-joint`; `fit` uses only the latest stored frontier fit.
    public var law = "q1"
    /// Prefer the latest stored frontier fit of the difficulty over the preset (when one exists).
    public var preferStoredFit = true
    public var batch: Int?
    public var problems: Int?
    public var problemsPerBatch = 32

    public init(budget: Double, difficulty: DifficultyChoice) {
        self.budget = budget
        self.difficulty = difficulty
    }
}

public enum TrainingPlanWorkflow {
    /// Picks the law (the newest stored frontier fit for the difficulty's `val_reward`, else the
    /// preset), plans, and stores the plan.
    public static func run(_ request: TrainingPlanRequest, store: Store) throws(WorkflowError) -> Plan {
        do {
            let (difficulty, notes) = try resolve(request.difficulty)
            let (law, lawSource, analysis) = try law(for: request, difficulty: difficulty, store: store)
            var plan = try TrainingPlanner.plan(
                budget: request.budget, unit: request.unit, tokensPerRollout: request.tokensPerRollout,
                difficulty: difficulty, law: law, lawSource: lawSource, batch: request.batch,
                problems: request.problems, problemsPerBatch: request.problemsPerBatch,
                lawSamples: analysis?.lawBootstrap?.samples ?? [])
            if let analysis, request.batch == nil {
                // The reward the plan's n curve predicts.
                let x = request.budget
                if let curve = analysis.curves.first(where: { $0.rolloutsPerProblem == plan.rolloutsPerProblem }) {
                    plan.expectedReward = curve.value(at: x)
                    plan.expectedRewardExtrapolated = x > curve.xMax
                }
            }
            plan.warnings = notes + plan.warnings
            return try store.insert(plan)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// The law to plan with: the newest stored frontier fit of the difficulty (easy, else hard)
    /// when preferred or asked for (`--law fit`; rollout budgets only), with its analysis for the
    /// n* interval and the expected reward; else the published preset.
    static func law(for request: TrainingPlanRequest, difficulty: PlanDifficulty, store: Store) throws
        -> (law: AllocationLawSpec, source: String, analysis: FrontierAnalysis?)
    {
        let lawDifficulty: Difficulty = difficulty == .easy ? .easy : .hard
        if request.preferStoredFit || request.law == "fit",
            let fit = try store.latestFit(
                kind: .frontier, metric: .validationReward, difficulty: lawDifficulty.rawValue,
                family: .law),
            fit.family == .law, fit.parameters.count == 4, request.unit == .rollouts
        {
            let id = fit.id ?? 0
            let law = AllocationLawSpec.fitted(
                name: "fit-\(id)", parameters: fit.parameters,
                source: "stored frontier fit \(id) of \(fit.runIDs.count) runs (\(fit.runFilter ?? "all runs"))")
            let analysis = try? JSONDecoder().decode(FrontierAnalysis.self, from: Data(fit.detailsJSON.utf8))
            return (law, "fit:\(id)", analysis)
        }
        guard request.law != "fit" else {
            throw WorkflowError.empty(
                "no stored frontier fit for \(lawDifficulty.rawValue); run `isoplan fit frontier` or use --law q1")
        }
        guard
            let preset = PublishedLaws.law(request.law, difficulty: lawDifficulty, unit: request.unit)
                ?? PublishedLaws.law(request.law, difficulty: lawDifficulty, unit: .rollouts)
        else {
            throw WorkflowError.empty(
                "no published \(request.law) law for \(lawDifficulty.rawValue) in \(request.unit.rawValue) "
                    + "(token budgets have a published law for easy only)")
        }
        return (preset, "preset:\(preset.name)", nil)
    }

    /// The difficulty word of the plan and notes on how it was chosen: a named one as is, `auto`
    /// from the counts file's tasks (`auto: <e> easy, <h> hard tasks → <word>`, then the
    /// classifier's warnings).
    public static func resolve(_ choice: TrainingPlanRequest.DifficultyChoice) throws(WorkflowError)
        -> (difficulty: PlanDifficulty, notes: [String])
    {
        switch choice {
        case .named(let word): return (word, [])
        case .auto(let file):
            let systems: [SolveRates]
            do { systems = try SolveRateCounts.read(file) } catch { throw .input(error) }
            let result = DifficultyClassifier.classify(SolveRates(system: nil, tasks: systems.flatMap(\.tasks)))
            let note = "auto: \(result.easy) easy, \(result.hard) hard tasks → \(result.difficulty.rawValue)"
            return (result.difficulty, [note] + result.warnings)
        }
    }
}
