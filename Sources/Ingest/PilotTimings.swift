public import Domain

/// The cost of each logged step of a pilot run, from the timing metrics frameworks log
/// (docs/TRAINING_PLANNER.md, "GPU-hours"):
/// - verl: `timing_s/step` (or `perf/time_per_step`); `timing_s/gen`; the token-proportional
///   update phases `timing_s/{old_log_prob, ref, values, update_critic, update_actor}`;
///   `response_length/mean`, `prompt_length/mean`; the GPU count from `perf/throughput =
///   perf/total_num_tokens/(perf/time_per_step·GPUs)` (`timing_s/step` when `perf/time_per_step`
///   is not logged). Early verl logs (2024) spell the phases
///   `timing/*` and log no step total: their step is the sum of the logged phases other than
///   `testing` (what happens between phases is then not counted).
/// - TRL: the final record's `train_runtime` over its step count (one run-level record), with
///   the mean of its response length (`completions/mean_length` or `completion_length`).
public enum PilotTimings {
    /// The update phases of a verl step whose time grows with the tokens of the batch.
    static let verlUpdatePhases = [
        "timing_s/old_log_prob", "timing_s/ref", "timing_s/values", "timing_s/update_critic", "timing_s/update_actor",
    ]

    /// The timed steps of a run logged as `steps` (raw metric names → values, ascending steps),
    /// with `rolloutsPerStep` = B_p·n; empty when the log has no timing.
    public static func steps(_ steps: [LoggedStep], rolloutsPerStep: Double) -> [StepTiming] {
        let verl = steps.compactMap { verlStep($0, rolloutsPerStep: rolloutsPerStep) }
        if !verl.isEmpty { return verl }
        return trlRun(steps, rolloutsPerStep: rolloutsPerStep).map { [$0] } ?? []
    }

    static func verlStep(_ logged: LoggedStep, rolloutsPerStep: Double) -> StepTiming? {
        let values = modernTimingNames(logged.values)
        guard let seconds = values["timing_s/step"] ?? values["perf/time_per_step"], seconds > 0 else { return nil }
        let phases = verlUpdatePhases.compactMap { values[$0] }
        var gpus: Int?
        if let tokens = values["perf/total_num_tokens"], let throughput = values["perf/throughput"],
            let time = values["perf/time_per_step"] ?? values["timing_s/step"], throughput > 0, time > 0
        {
            let count = (tokens / (throughput * time)).rounded()
            if count >= 1 && count <= 1e6 { gpus = Int(count) }
        }
        return StepTiming(
            step: logged.step, rollouts: rolloutsPerStep, responseTokens: responseLength(values),
            promptTokens: values["prompt_length/mean"], seconds: seconds, generationSeconds: values["timing_s/gen"],
            updateSeconds: phases.isEmpty ? nil : phases.reduce(0, +), gpus: gpus)
    }

    /// Early verl's `timing/<phase>` as `timing_s/<phase>`, with the step the sum of its phases
    /// (all but `testing`) when no step total is logged.
    static func modernTimingNames(_ values: [String: Double]) -> [String: Double] {
        let early = values.filter { $0.key.hasPrefix("timing/") }
        guard !early.isEmpty, values["timing_s/step"] == nil else { return values }
        var renamed = values
        for (key, value) in early { renamed["timing_s/" + key.dropFirst("timing/".count)] = value }
        if renamed["timing_s/step"] == nil {
            renamed["timing_s/step"] = early.filter { $0.key != "timing/testing" && $0.key != "timing/step" }.values
                .reduce(0, +)
        }
        return renamed
    }

    /// TRL's `train_runtime` (seconds of the whole run) as one record per step on average.
    static func trlRun(_ steps: [LoggedStep], rolloutsPerStep: Double) -> StepTiming? {
        guard let final = steps.last(where: { $0.values["train_runtime"] != nil }),
            let runtime = final.values["train_runtime"], runtime > 0, final.step >= 1
        else { return nil }
        let lengths = steps.compactMap { responseLength($0.values) }
        return StepTiming(
            step: final.step, rollouts: rolloutsPerStep,
            responseTokens: lengths.isEmpty ? nil : lengths.reduce(0, +) / Double(lengths.count),
            seconds: runtime / Double(final.step))
    }

    /// The step's mean response length: the first raw name (in name order) the alias table
    /// maps to `response_length`.
    static func responseLength(_ values: [String: Double]) -> Double? {
        values.keys.sorted().first { MetricAliases.canonical($0) == .responseLength }.flatMap { values[$0] }
    }
}
