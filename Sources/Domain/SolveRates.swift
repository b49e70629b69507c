/// One task's evaluation record: how many attempts, how many succeeded.
public struct TaskOutcome: Codable, Hashable, Sendable {
    public var taskID: String
    public var trials: Int
    public var successes: Int

    public init(taskID: String, trials: Int, successes: Int) {
        self.taskID = taskID
        self.trials = trials
        self.successes = successes
    }
}

/// Per-task success counts of one system (agent + model) on a task set — the input of pass@k
/// estimates, solve-rate fits and test-time sizing.
public struct SolveRates: Codable, Hashable, Sendable {
    /// The system's name, when the file names one.
    public var system: String?
    public var tasks: [TaskOutcome]

    public init(system: String?, tasks: [TaskOutcome]) {
        self.system = system
        self.tasks = tasks
    }

    /// Checks `0 ≤ successes ≤ trials`, `trials ≥ 1` for every task, and at least one task.
    public func validate() throws(DomainError) {
        guard !tasks.isEmpty else { throw .invalid(field: "tasks", value: "0", reason: "must not be empty") }
        for task in tasks {
            if task.trials < 1 {
                throw .invalid(field: "trials of \(task.taskID)", value: String(task.trials), reason: "must be ≥ 1")
            }
            if task.successes < 0 || task.successes > task.trials {
                throw .invalid(
                    field: "successes of \(task.taskID)", value: String(task.successes),
                    reason: "must lie in 0…\(task.trials)")
            }
        }
    }
}
