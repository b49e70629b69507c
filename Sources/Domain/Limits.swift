/// The largest allocations and budgets IsoPlan accepts, in one place. Inside them every product
/// the planners and the simulator form (`B = B_p·n`, `C = B_p·n·M`, step counts) stays exact in
/// `Int` and `Double`; beyond them an input is refused with the limit in its message.
public enum Limits {
    /// Rollouts per problem n (2^20).
    public static let maxRolloutsPerProblem = 1 << 20
    /// Problems per batch B_p (2^24).
    public static let maxProblemsPerBatch = 1 << 24
    /// A fixed batch B = B_p·n (2^30).
    public static let maxBatch = 1 << 30
    /// Processes or per-device batches of a framework export (2^20).
    public static let maxFrameworkCount = 1 << 20
    /// A training plan's budget, in rollouts or tokens (1e18).
    public static let maxPlanBudget = 1e18
    /// A simulated run's budget, in rollouts (1e13).
    public static let maxSimulatedBudget = 1e13
}
