public import Domain
import Foundation

/// One framework's export: its start-up checks as implemented here (each cited in
/// docs/FRAMEWORKS.md), its keys and values, and its paste-ready syntax.
public protocol FrameworkExporter {
    static var framework: Framework { get }
    /// Every rule ``violations(of:on:problems:)`` checks.
    static var rules: [FrameworkRule] { get }
    /// The rules `setting` breaks on `shape`, with D train problems when known.
    static func violations(of setting: BatchSetting, on shape: ClusterShape, problems: Int?) -> [RuleViolation]
    /// The keys and values of a setting that passes, the steps they run and the epochs.
    static func values(for draft: ExportDraft) -> FrameworkValues
    /// The settings in the framework's syntax, then ``FrameworkSettings/commentLines``.
    static func render(_ settings: FrameworkSettings) -> String
}

/// What a framework's values are made of: the plan, the cluster, the setting that passes, the
/// steps M = ⌊C/(B_p·n)⌋ it buys and its learning rate.
public struct ExportDraft: Sendable {
    public let plan: Plan
    public let shape: ClusterShape
    public let setting: BatchSetting
    public let steps: Int
    public let learningRate: Double
}

/// A framework's keys and values for a draft, with the steps they run (a framework that can only
/// run whole episodes may run fewer than the draft's) and the passes over D.
public struct FrameworkValues: Sendable {
    public var entries: [FrameworkSettings.Entry]
    public var steps: Int
    public var epochs: Int?
    public var notes: [String]
    /// Why `steps` differs from the draft's, when it does.
    public var stepsReason: String?

    public init(
        entries: [FrameworkSettings.Entry], steps: Int, epochs: Int?, notes: [String], stepsReason: String? = nil
    ) {
        self.entries = entries
        self.steps = steps
        self.epochs = epochs
        self.notes = notes
        self.stepsReason = stepsReason
    }
}

extension FrameworkExporter {
    /// The plan's settings on `shape`: the plan's (n, B_p) with the shape's micro batch when they
    /// pass every rule, else the nearest setting that does (``ExportSearch``), with what changed
    /// and its cost at the plan's rollout budget.
    /// - Throws: when no setting near the plan passes (a train set smaller than any valid B_p).
    public static func export(_ plan: Plan, on shape: ClusterShape) throws(DomainError) -> FrameworkSettings {
        let budget = ExportSearch.rolloutBudget(of: plan)
        let planned = BatchSetting(
            rolloutsPerProblem: plan.rolloutsPerProblem, problemsPerBatch: plan.problemsPerBatch,
            microBatch: shape.microBatch)
        let broken = violations(of: planned, on: shape, problems: plan.problems)
        guard
            let chosen = ExportSearch.nearestSetting(
                to: planned, budget: budget, problems: plan.problems, gpus: shape.gpus,
                accepts: { violations(of: $0, on: shape, problems: plan.problems).isEmpty })
        else {
            throw .invalid(
                field: "gpus", value: String(shape.gpus),
                reason: "leave no setting near n = \(planned.rolloutsPerProblem), B_p = \(planned.problemsPerBatch) "
                    + "that passes \(framework.displayName)'s checks: "
                    + broken.map(\.description).joined(separator: "; "))
        }
        let moved = chosen.batch != planned.batch
        let steps = moved ? Int(budget / Double(chosen.batch)) : plan.steps
        let rate = moved ? TrainingPlanner.learningRate(batch: chosen.batch) : plan.learningRate
        let values = values(
            for: ExportDraft(plan: plan, shape: shape, setting: chosen, steps: steps, learningRate: rate))
        var adjustments = ExportSearch.describe(
            from: planned, to: chosen, broken: broken, plan: plan, steps: steps, learningRate: rate)
        if let reason = values.stepsReason { adjustments.append("M \(steps) → \(values.steps): \(reason)") }
        let cost =
            adjustments.isEmpty
            ? nil
            : AdjustmentCost(
                budget: budget, rolloutsPerStep: Change(before: plan.batch, after: chosen.batch),
                steps: Change(before: plan.steps, after: values.steps),
                unusedRollouts: Change(
                    before: budget - Double(plan.steps) * Double(plan.batch),
                    after: budget - Double(values.steps) * Double(chosen.batch)))
        return FrameworkSettings(
            framework: framework, shape: shape, setting: chosen, steps: values.steps, epochs: values.epochs,
            learningRate: rate, entries: values.entries, adjustments: adjustments, cost: cost, notes: values.notes)
    }

    /// ⌈M/⌊D/B_p⌋⌉: the epochs a dataloader that drops its last incomplete batch of B_p prompts
    /// needs for M steps over D problems (⌈M·B_p/D⌉ when B_p divides D).
    static func wholeBatchEpochs(steps: Int, problemsPerBatch: Int, problems: Int) -> Int {
        let perEpoch = max(problems / problemsPerBatch, 1)
        return (steps + perEpoch - 1) / perEpoch
    }

    /// A learning rate with three significant digits, as the settings print it.
    static func rounded(_ rate: Double) -> SettingValue {
        .double(Double(String(format: "%.3g", rate)) ?? rate)
    }
}
