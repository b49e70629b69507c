import Foundation

/// A quantity before and after an adjustment.
public struct Change<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var before: Value
    public var after: Value

    public init(before: Value, after: Value) {
        self.before = before
        self.after = after
    }
}

/// What moving off the plan costs at the plan's rollout budget C: rollouts per step, steps and
/// the budget left unspent (C − M·B) before and after.
public struct AdjustmentCost: Codable, Hashable, Sendable {
    /// C in rollouts: the plan's budget, or M·B_p·n for a token budget.
    public var budget: Double
    public var rolloutsPerStep: Change<Int>
    public var steps: Change<Int>
    public var unusedRollouts: Change<Double>

    /// after/before − 1.
    public var rolloutsPerStepChange: Double { Double(rolloutsPerStep.after) / Double(rolloutsPerStep.before) - 1 }
    public var stepsChange: Double { Double(steps.after) / Double(steps.before) - 1 }

    /// One line: `at C = 2e+06 rollouts: rollouts per step 256 → 384 (+50%), steps …`.
    public var summary: String {
        let percent = { (x: Double) in (x >= 0 ? "+" : "−") + String(format: "%.3g%%", abs(x) * 100) }
        let count = { (x: Double) in String(format: "%.6g", x) }
        return "at the same budget C = \(count(budget)) rollouts: rollouts per step \(rolloutsPerStep.before) → "
            + "\(rolloutsPerStep.after) (\(percent(rolloutsPerStepChange))), steps \(steps.before) → \(steps.after) "
            + "(\(percent(stepsChange))), unspent rollouts \(count(unusedRollouts.before)) → "
            + "\(count(unusedRollouts.after))"
    }
}
