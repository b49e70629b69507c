/// One logged training step's cost, as read from a pilot run's log: what the throughput model
/// is fitted to (docs/TRAINING_PLANNER.md, "GPU-hours").
public struct StepTiming: Sendable, Hashable, Codable {
    public var step: Int
    /// Rollouts generated in the step, `B = B_p·n` (or all steps' rollouts for a run-level record).
    public var rollouts: Double
    /// Mean response (generated) and prompt tokens per rollout, when logged.
    public var responseTokens: Double?
    public var promptTokens: Double?
    /// Wall-clock seconds of the step, and its generation and token-proportional update parts
    /// (log-probabilities, reference, critic and actor updates), when logged.
    public var seconds: Double
    public var generationSeconds: Double?
    public var updateSeconds: Double?
    /// GPUs the step ran on, when the log tells.
    public var gpus: Int?

    public init(
        step: Int, rollouts: Double, responseTokens: Double? = nil, promptTokens: Double? = nil, seconds: Double,
        generationSeconds: Double? = nil, updateSeconds: Double? = nil, gpus: Int? = nil
    ) {
        self.step = step
        self.rollouts = rollouts
        self.responseTokens = responseTokens
        self.promptTokens = promptTokens
        self.seconds = seconds
        self.generationSeconds = generationSeconds
        self.updateSeconds = updateSeconds
        self.gpus = gpus
    }
}

/// Seconds per training step as a function of the rollouts and tokens of the step:
/// `t = (g·B·T_r + u·B·(T_p + T_r))/G + o` on G GPUs — generation ∝ generated tokens, update ∝
/// all tokens, a fixed per-step overhead — with per-GPU rates that hold as G changes.
public struct ThroughputModel: Sendable, Hashable, Codable {
    /// Where the figures come from.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// Fitted to logged steps of pilot runs.
        case measured
        /// A rollouts-per-GPU-second figure given by hand (no token dependence, no overhead).
        case given
    }

    public var origin: Origin
    /// g: GPU-seconds per generated token.
    public var generationGPUSecondsPerToken: Double
    /// u: GPU-seconds per token (prompt and response) of the update.
    public var updateGPUSecondsPerToken: Double
    /// o: wall-clock seconds per step that do not grow with the batch (reward, advantages, syncs).
    public var overheadSeconds: Double
    /// The pilot's mean response and prompt tokens per rollout (T_r, T_p).
    public var responseTokens: Double
    public var promptTokens: Double
    /// The pilot runs and steps the figures come from, and the GPUs they ran on.
    public var source: String
    public var pilotGPUs: Int?
    /// What the data could not separate, and the assumptions made.
    public var notes: [String]

    public init(
        origin: Origin, generationGPUSecondsPerToken: Double, updateGPUSecondsPerToken: Double,
        overheadSeconds: Double, responseTokens: Double, promptTokens: Double, source: String, pilotGPUs: Int? = nil,
        notes: [String] = []
    ) {
        self.origin = origin
        self.generationGPUSecondsPerToken = generationGPUSecondsPerToken
        self.updateGPUSecondsPerToken = updateGPUSecondsPerToken
        self.overheadSeconds = overheadSeconds
        self.responseTokens = responseTokens
        self.promptTokens = promptTokens
        self.source = source
        self.pilotGPUs = pilotGPUs
        self.notes = notes
    }

    /// A hand-given throughput: `rate` rollouts per GPU-second, whatever their length.
    public static func given(rolloutsPerGPUSecond rate: Double) -> ThroughputModel {
        ThroughputModel(
            origin: .given, generationGPUSecondsPerToken: 1 / rate, updateGPUSecondsPerToken: 0, overheadSeconds: 0,
            responseTokens: 1, promptTokens: 0, source: "given: \(rate) rollouts per GPU-second",
            notes: ["a hand-given rate: no per-step overhead, no dependence on response length"])
    }

    /// GPU-seconds one rollout costs, at the pilot's lengths or at `responseTokens` generated
    /// tokens (a measured model only; a given rate has no length).
    public func gpuSecondsPerRollout(responseTokens override: Double? = nil) -> Double {
        let response = costedResponseTokens(override) ?? responseTokens
        return generationGPUSecondsPerToken * response + updateGPUSecondsPerToken * (promptTokens + response)
    }

    /// The generated tokens per rollout a cost assumes: `override`, else the pilot's; nil for a
    /// given rate, which has no length.
    public func costedResponseTokens(_ override: Double? = nil) -> Double? {
        origin == .measured ? override ?? responseTokens : nil
    }

    /// Wall-clock seconds generation takes of a step, when the pilot logged it apart (g > 0).
    public func generationSeconds(rollouts: Double, gpus: Int, responseTokens override: Double? = nil) -> Double? {
        guard generationGPUSecondsPerToken > 0, let response = costedResponseTokens(override) else { return nil }
        return rollouts * generationGPUSecondsPerToken * response / Double(gpus)
    }

    /// Wall-clock seconds of a step of `rollouts` rollouts on `gpus` GPUs.
    public func stepSeconds(rollouts: Double, gpus: Int, responseTokens: Double? = nil) -> Double {
        rollouts * gpuSecondsPerRollout(responseTokens: responseTokens) / Double(gpus) + overheadSeconds
    }
}
