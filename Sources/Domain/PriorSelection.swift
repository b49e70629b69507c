/// How the K prior summaries of a refined rollout (PDR iteration ≥ 1) are chosen (reference §4.2);
/// the executor runs every case, the planner's search covers `select` and `random`.
public enum PriorSelection: String, Codable, Sendable, CaseIterable {
    /// The K survivors of RTV over the previous iteration's N summaries, shared by every refined
    /// rollout of the iteration (the reference's method).
    case select
    /// A fresh uniformly random K-subset of the previous iteration's N for each refined rollout.
    case random
    /// Each refined rollout gets the summary of the rollout in its position: one prior, K unused.
    case own
}
