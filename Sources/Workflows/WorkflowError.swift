public import Cluster
public import Domain
public import Ingest
public import RunStore
public import ScalingLaws

/// The error of a workflow: its input, a fit, the store, or something unexpected.
public enum WorkflowError: Error, CustomStringConvertible, Sendable {
    case input(ImportError)
    case fit(FitError)
    case store(StoreError)
    case domain(DomainError)
    /// The cluster engine could not run the work (unreachable, missing requirements, a failed job).
    case cluster(ClusterError)
    /// Nothing matched, or the input is inconsistent (no runs for a filter, no points of a
    /// metric, a run name taken); the text says what and how to fix it.
    case empty(String)
    /// An error no workflow anticipated (a failed linear solve, an I/O error): a failure, not
    /// bad input.
    case unexpected(any Error)

    /// Wraps an error from a module this workflow calls.
    init(_ error: any Error) {
        switch error {
        case let error as WorkflowError: self = error
        case let error as ImportError: self = .input(error)
        case let error as FitError: self = .fit(error)
        case let error as StoreError: self = .store(error)
        case let error as DomainError: self = .domain(error)
        case let error as ClusterError: self = .cluster(error)
        default: self = .unexpected(error)
        }
    }

    public var description: String {
        switch self {
        case .input(let error): "\(error)"
        case .fit(let error): "\(error)"
        case .store(let error): "\(error)"
        case .domain(let error): "\(error)"
        case .cluster(let error): "\(error)"
        case .empty(let detail): detail
        case .unexpected(let error): "\(error)"
        }
    }
}
