public import Domain
import Foundation

extension SearchSpace {
    /// Which prior selections a search covers.
    public enum Selections: String, CaseIterable, Sendable {
        case select, random
        /// Select-K and random-K.
        case both

        public var priorSelections: [PriorSelection] {
            switch self {
            case .select: [.select]
            case .random: [.random]
            case .both: [.select, .random]
            }
        }
    }

    /// The largest N a search may reach.
    public static let largestRolloutsRange = 1...256
    /// The largest T a search may reach.
    public static let maxIterationsRange = 1...5

    /// The default space up to `largestRollouts` rollouts (the default N below it, then every 16
    /// from 80, then the largest itself; default 64) and `maxIterations` iterations (default 3),
    /// over `selections`.
    public init(
        largestRollouts: Int? = nil, maxIterations: Int? = nil, selections: Selections = .select
    )
        throws(DomainError)
    {
        self.init()
        func checked(_ value: Int, in range: ClosedRange<Int>, _ field: String) throws(DomainError) -> Int {
            guard range.contains(value) else {
                throw .invalid(
                    field: field, value: String(value), reason: "must lie in \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }
        let largest = try checked(largestRollouts ?? 64, in: Self.largestRolloutsRange, "max rollouts")
        let iterations = try checked(maxIterations ?? 3, in: Self.maxIterationsRange, "max iterations")
        rollouts =
            rollouts.filter { $0 < largest } + stride(from: 80, to: largest, by: 16).filter { $0 > 64 } + [largest]
        self.maxIterations = iterations
        self.selections = selections.priorSelections
    }
}

extension RefinementModel {
    /// ``fit(table:)`` of a comma-separated table `f0,…,fK`: refined-rollout success with 0…K
    /// passing priors (two or more probabilities in [0, 1]).
    public init(tableSpecification text: String) throws(DomainError) {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        let table = values.compactMap { $0 }
        guard values.count >= 2, table.count == values.count, table.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw .invalid(field: "refinement table", value: text, reason: "needs two or more probabilities in [0, 1]")
        }
        self = Self.fit(table: table)
    }
}
