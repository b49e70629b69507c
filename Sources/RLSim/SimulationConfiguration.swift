public import Domain
import Foundation

/// One simulated training run: rollouts per problem n, problems per batch B_p, a budget in
/// rollouts, a seed (which also picks the population), and the fixed batch B it belongs to
/// when it is part of a fixed-batch sweep.
public struct SimulationConfiguration: Codable, Hashable, Sendable {
    public var rolloutsPerProblem: Int
    public var problemsPerBatch: Int
    /// C_max in rollouts; the run takes ⌊C/(B_p·n)⌋ steps.
    public var budget: Double
    public var seed: UInt64
    public var fixedBatch: Int?

    public init(rolloutsPerProblem: Int, problemsPerBatch: Int, budget: Double, seed: UInt64, fixedBatch: Int? = nil) {
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.budget = budget
        self.seed = seed
        self.fixedBatch = fixedBatch
    }

    public var rolloutsPerStep: Int { rolloutsPerProblem * problemsPerBatch }
    public var steps: Int { Int(budget / Double(rolloutsPerStep)) }

    /// Rejects configurations no run can have, before any work: n ≥ 2 (a group needs two outcomes
    /// for a GRPO signal), B_p ≥ 1 and at most the train set, a positive budget that buys a step.
    public func validate(trainSize: Int) throws(DomainError) {
        if rolloutsPerProblem > Limits.maxRolloutsPerProblem || problemsPerBatch > Limits.maxProblemsPerBatch {
            throw .invalid(
                field: "n, B_p", value: "\(rolloutsPerProblem), \(problemsPerBatch)",
                reason: "n ≤ 2^20 and B_p ≤ 2^24 are supported")
        }
        if budget > Limits.maxSimulatedBudget {
            throw .invalid(field: "budget", value: String(budget), reason: "at most 1e13 rollouts can be simulated")
        }
        if rolloutsPerProblem < 2 {
            throw .invalid(
                field: "n", value: String(rolloutsPerProblem), reason: "must be ≥ 2 (GRPO compares a group's outcomes)")
        }
        if problemsPerBatch < 1 { throw .invalid(field: "B_p", value: String(problemsPerBatch), reason: "must be ≥ 1") }
        if problemsPerBatch > trainSize {
            throw .invalid(
                field: "B_p", value: String(problemsPerBatch), reason: "exceeds the \(trainSize) train problems")
        }
        if !(budget > 0) || !budget.isFinite {
            throw .invalid(field: "budget", value: String(budget), reason: "must be a positive number of rollouts")
        }
        if steps < 1 {
            throw .invalid(
                field: "budget", value: String(budget),
                reason: "buys no step of \(rolloutsPerStep) rollouts (B_p·n)")
        }
    }

    /// `<prefix>-n<n>-bp<B_p>-s<seed>[-B<B>]`: a run's name within its sweep or population.
    public func runName(prefix: String) -> String {
        "\(prefix)-n\(rolloutsPerProblem)-bp\(problemsPerBatch)-s\(seed)" + (fixedBatch.map { "-B\($0)" } ?? "")
    }
}

/// The 61 evaluation points: log-spaced over four decades up to the budget, C_k = C·10^(4(k−60)/60).
/// A point is evaluated after the last step whose cumulative rollouts do not exceed it; points
/// that land on the same step are evaluated once, and step 0 (the base policy) is always
/// evaluated first.
public enum EvaluationGrid {
    public static let pointCount = 61

    public static func targets(budget: Double) -> [Double] {
        (0..<pointCount).map { budget * pow10(4 * Double($0 - (pointCount - 1)) / Double(pointCount - 1)) }
    }

    /// The distinct steps to evaluate for a run of `rolloutsPerStep` and this budget, ascending;
    /// always starting with step 0 (the base policy).
    public static func steps(rolloutsPerStep: Int, budget: Double) -> [Int] {
        var result = [0]
        for target in targets(budget: budget) {
            let step = Int((target / Double(rolloutsPerStep) * (1 + 1e-12)).rounded(.down))
            if result.last != step { result.append(step) }
        }
        return result
    }

    static func pow10(_ x: Double) -> Double { exp(x * log(10)) }
}
