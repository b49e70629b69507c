/// Receives progress from long-running work (imports, sweeps, bootstrap fits, executors).
///
/// Modules report; only the CLI renders (a bar on a terminal's stderr, nothing otherwise).
/// Implementations must be safe to call from concurrent tasks.
public protocol ProgressReporter: Sendable {
    /// A phase of work starts: `total` units when known.
    func begin(_ label: String, total: Int?)
    /// `count` more units are done.
    func advance(by count: Int)
    /// The phase is over (finished or abandoned).
    func end()
    /// A one-line status shown beside the count (tokens, spend, …); optional.
    func status(_ text: String)
}

extension ProgressReporter {
    public func status(_ text: String) {}
}

/// A reporter that ignores everything: the default for library callers and tests.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func begin(_ label: String, total: Int?) {}
    public func advance(by count: Int) {}
    public func end() {}
}

/// The state of a phase at one moment, and what follows from it.
public struct ProgressSnapshot: Sendable, Equatable {
    public var label: String
    public var completed: Int
    public var total: Int?
    /// Seconds since the phase began.
    public var elapsed: Double

    public init(label: String, completed: Int, total: Int?, elapsed: Double) {
        self.label = label
        self.completed = completed
        self.total = total
        self.elapsed = elapsed
    }

    /// `completed/total` in [0, 1], or `nil` when the total is unknown.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, max(0, Double(completed) / Double(total)))
    }

    /// Units per second so far, or `nil` before any time has passed.
    public var rate: Double? {
        elapsed > 0 ? Double(completed) / elapsed : nil
    }

    /// Seconds left at the average rate so far, or `nil` when it cannot be estimated.
    public var estimatedSecondsRemaining: Double? {
        guard let total, let rate, rate > 0 else { return nil }
        return Double(max(0, total - completed)) / rate
    }
}
