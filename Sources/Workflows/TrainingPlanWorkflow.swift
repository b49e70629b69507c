public import Domain
import Foundation
public import Planner
public import RunStore
import ScalingLaws

/// `isoplan plan train`: a (n, B_p, M, η) recipe for a budget, stored.
public struct TrainingPlanRequest: Sendable {
    public var budget: Double
    public var unit = "rollouts"
    public var tokensPerRollout: Double?
    /// easy, hard or mixed (auto is resolved by the caller from solve rates).
    public var difficulty: String
    /// `q1` (default) or `q3-joint`; `fit` uses only the latest stored frontier fit.
    public var law = "q1"
    /// Prefer the latest stored frontier fit of the difficulty over the preset (when one exists).
    public var preferStoredFit = true
    public var batch: Int?
    public var problems: Int?
    public var problemsPerBatch = 32
    /// Notes to keep with the stored plan (e.g. how `auto` classified the tasks).
    public var notes: [String] = []

    public init(budget: Double, difficulty: String) {
        self.budget = budget
        self.difficulty = difficulty
    }
}

public enum TrainingPlanWorkflow {
    /// Picks the law (the newest stored frontier fit for the difficulty's `val_reward`, else the
    /// preset), plans, and stores the plan.
    public static func run(_ request: TrainingPlanRequest, store: Store) throws(WorkflowError) -> Plan {
        do {
            guard let population = Difficulty.forPlanner(request.difficulty) else {
                throw WorkflowError.empty("difficulty must be easy, hard or mixed (auto is resolved from --solve-rates)")
            }
            let lawDifficulty: Difficulty = population == .easy ? .easy : .hard
            var law: AllocationLawSpec?
            var lawSource = ""
            var analysis: FrontierAnalysis?
            if request.preferStoredFit || request.law == "fit",
               let fit = try store.latestFit(kind: .frontier, metric: .validationReward, difficulty: lawDifficulty.rawValue,
                                             family: .law),
               fit.family == .law, fit.parameters.count == 4, request.unit == "rollouts" {
                law = AllocationLawSpec.fitted(name: "fit-\(fit.id ?? 0)", parameters: fit.parameters,
                                        source: "stored frontier fit \(fit.id ?? 0) of \(fit.runIDs.count) runs (\(fit.runFilter ?? "all runs"))")
                lawSource = "fit:\(fit.id ?? 0)"
                analysis = try? JSONDecoder().decode(FrontierAnalysis.self, from: Data(fit.detailsJSON.utf8))
            }
            if law == nil {
                guard request.law != "fit" else {
                    throw WorkflowError.empty("no stored frontier fit for \(lawDifficulty.rawValue); run `isoplan fit frontier` or use --law q1")
                }
                guard let preset = PublishedLaws.law(request.law, difficulty: lawDifficulty, unit: request.unit)
                        ?? PublishedLaws.law(request.law, difficulty: lawDifficulty, unit: "rollouts") else {
                    throw WorkflowError.empty("no published \(request.law) law for \(lawDifficulty.rawValue) in \(request.unit) (token budgets have a published law for easy only)")
                }
                law = preset
                lawSource = "preset:\(preset.name)"
            }
            var plan = try TrainingPlanner.plan(budget: request.budget, unit: request.unit, tokensPerRollout: request.tokensPerRollout,
                                                difficulty: request.difficulty, law: law!, lawSource: lawSource, batch: request.batch,
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
            plan.warnings = request.notes + plan.warnings
            return try store.insert(plan)
        } catch {
            throw WorkflowError(error)
        }
    }
}
