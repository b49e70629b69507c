public import ArgumentParser
public import Domain
public import Ingest
public import Planner
public import RLSim
public import ScalingLaws

// Closed choices of the lower modules as option values: ArgumentParser parses and validates
// them, and `--help` lists their values. The conformances live here, at the CLI's floor.

extension BudgetUnit: ExpressibleByArgument {}

extension FitFamily: ExpressibleByArgument {
    /// A family's name in any letter case.
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

extension FrontierOptions.Grouping: ExpressibleByArgument {}

extension SolveRateModel.Kind: ExpressibleByArgument {}

extension NullResolution: ExpressibleByArgument {}

extension CostUnit: ExpressibleByArgument {}

extension SearchSpace.Selections: ExpressibleByArgument {}

/// `plan train --export`: a training framework, in any letter case.
extension Framework: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

extension PriorSelection: ExpressibleByArgument {}

extension RobustLoss: ExpressibleByArgument {
    /// `l2`, `huber:<delta>` or `soft_l1:<scale>` (see ``RobustLoss/init(parsing:)``).
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var defaultCompletionKind: CompletionKind { .list(["l2", "huber:", "soft_l1:"]) }
}

/// `fit curve --screen-starts`: `off` or `KEEP:STEPS` (see ``StartScreening/init(parsing:)``).
extension StartScreening: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public var defaultValueDescription: String { description }
}

/// `simulate --difficulty`: a named population.
extension Difficulty: ExpressibleByArgument {}

/// `simulate sweep --preset`: a study preset by name.
extension SweepPreset: ExpressibleByArgument {
    public init?(argument: String) {
        guard let preset = SweepPreset.named(argument) else { return nil }
        self = preset
    }

    public static var allValueStrings: [String] { all.map(\.name) }
}

/// One value per PDR iteration, comma-separated (`0.67,0.58`), iteration 0 first; one value
/// serves every iteration.
struct PerIteration: ExpressibleByArgument, Sendable {
    var values: [Double]

    init?(argument: String) {
        let values = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            Double($0.filter { $0 != " " })
        }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        self.values = values.compactMap { $0 }
    }
}
