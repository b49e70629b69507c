import Domain
public import Ingest
public import RLSim

/// Why a measured population could not be made.
public enum PopulationError: Error, Sendable, CustomStringConvertible {
    /// The counts file could not be read (file and line in the error).
    case input(ImportError)
    /// `matching` systems of the file are left after the system filter, where one is needed.
    case ambiguousSystem(file: String, matching: Int)

    public var description: String {
        switch self {
        case .input(let error): "\(error)"
        case .ambiguousSystem(let file, let matching): "\(file) holds \(matching) systems matching; choose one"
        }
    }
}

extension SimulationWorkflow {
    /// The population of one system's measured counts (`task_id,trials,successes[,system]`): the
    /// file's systems, those named `system` when given, must come down to one.
    public static func countsPopulation(file: String, system: String?) throws(PopulationError) -> PopulationSource {
        var systems: [SolveRates]
        do { systems = try SolveRateCounts.read(file) } catch { throw .input(error) }
        if let system { systems = systems.filter { $0.system == system } }
        guard systems.count == 1, let only = systems.first else {
            throw .ambiguousSystem(file: file, matching: systems.count)
        }
        return .counts(only)
    }
}
