/// The named task populations of the IsoCompute study (and the simulator's presets).
///
/// Difficulty is the base model's success rate: `easy` and `hard` are bins of avg@16, the
/// mixtures are labelled by avg@128 (see `docs/SIMULATOR.md` for how the bins were read).
public enum Difficulty: String, Codable, Sendable, CaseIterable {
    /// avg@16 ∈ [0.3, 0.6] (5/16…9/16), with the paper's histogram.
    case easy
    /// avg@16 ∈ [0, 0.0625] (0/16 or 1/16), about 85 % at 0/16.
    case hard
    /// No success in 128 base samples.
    case extremelyHard = "extremely-hard"
    /// 50 % hard (0/128), 50 % easy (avg@128 ∈ [0.3, 0.6]).
    case heteroDual = "hetero-dual"
    /// 50 % hard (0/128), 25 % easy (avg@128 ∈ [0.3, 0.6]), 25 % very easy (avg@128 ∈ [0.6, 0.9]).
    case heteroTri = "hetero-tri"
}
