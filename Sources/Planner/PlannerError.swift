public import Domain
import Foundation

/// A planning question the planner cannot answer.
public enum PlannerError: Error, Equatable, Sendable {
    /// An input breaks a domain invariant (e.g. the solve-rate counts behind a fit).
    case invalid(DomainError)
    /// No configuration of the search space fits the latency bound `maxRounds`.
    case noConfiguration(maxRounds: Int?)
    /// No configuration reaches `target`; the most accurate reaches `bestAccuracy` for `bestCost`
    /// (the whole task set, in `unit`).
    case unreachableTarget(Double, bestAccuracy: Double, bestCost: Double, unit: CostUnit)
    /// The budget buys less than the cheapest configuration, `cheapestCost` for `tasks` tasks in `unit`.
    case budgetTooSmall(cheapestCost: Double, tasks: Int, unit: CostUnit)
}

extension PlannerError: CustomStringConvertible {
    public var description: String {
        let formatted = { (x: Double) in String(format: "%.4g", x) }
        return switch self {
        case .invalid(let error): "\(error)"
        case .noConfiguration(let maxRounds): "no configuration fits --max-rounds \(maxRounds.map(String.init) ?? "-")"
        case .unreachableTarget(let target, let accuracy, let cost, let unit):
            "no configuration in the search space reaches accuracy \(target); the best is \(formatted(accuracy)) at "
                + "\(formatted(cost)) \(unit.rawValue)"
        case .budgetTooSmall(let cost, let tasks, let unit):
            "the budget buys less than one rollout per task: the cheapest configuration costs \(formatted(cost)) "
                + "\(unit.rawValue) for \(tasks) tasks"
        }
    }
}
