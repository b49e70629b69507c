/// Where a stored run came from: the simulator or the framework whose log was imported.
public enum RunSource: String, Codable, Sendable, CaseIterable {
    /// Simulated by RLSim (`simulate`, `demo`, the closed loop).
    case sim
    /// A verl console log or file-logger JSONL.
    case verl
    /// A TRL `trainer_state.json`.
    case trl
    /// A metrics table (W&B or another CSV export).
    case csv
    /// TensorBoard event files (verl's or OpenRLHF's `tensorboard` logger, or any other writer).
    case tensorboard
}
