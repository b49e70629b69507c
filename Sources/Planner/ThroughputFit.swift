public import Domain
import Foundation
import NumericCore

/// Fits a ``ThroughputModel`` to the timed steps of pilot runs (docs/TRAINING_PLANNER.md,
/// "GPU-hours"). Medians, not means: a step that also validated or saved a checkpoint is an
/// outlier of the step's cost, not part of it.
public enum ThroughputFit {
    /// A pilot run: its name and timed steps.
    public struct Pilot: Sendable {
        public var name: String
        public var steps: [StepTiming]

        public init(name: String, steps: [StepTiming]) {
            self.name = name
            self.steps = steps
        }
    }

    /// - Parameters:
    ///   - gpus: the pilots' GPU count where their logs do not tell it.
    ///   - responseTokens: tokens per rollout where the logs have no response length.
    /// - Throws: a one-line ``DomainError`` naming the run and what is missing.
    public static func fit(_ pilots: [Pilot], gpus: Int? = nil, responseTokens: Double? = nil) throws(DomainError)
        -> ThroughputModel
    {
        var timed: [(step: StepTiming, gpus: Int)] = []
        var notes: [String] = []
        for pilot in pilots {
            guard !pilot.steps.isEmpty else {
                throw .invalid(
                    field: "pilot run", value: pilot.name,
                    reason: "logs no step timing (verl timing_s/* or timing/*, TRL train_runtime)")
            }
            for step in pilot.steps {
                guard let count = step.gpus ?? gpus else {
                    throw .invalid(
                        field: "pilot run", value: pilot.name,
                        reason: "logs no GPU count (verl's perf/throughput): give --pilot-gpus")
                }
                timed.append((step, count))
            }
            let logged = Set(pilot.steps.compactMap(\.gpus))
            if let gpus, let found = logged.first, !logged.contains(gpus) {
                notes.append("\(pilot.name): its log says \(found) GPUs; --pilot-gpus \(gpus) is not used for it")
            }
        }
        guard !timed.isEmpty else { throw .invalid(field: "throughput-from", value: "-", reason: "no pilot runs") }
        let responses = timed.compactMap(\.step.responseTokens)
        guard let response = responses.isEmpty ? responseTokens : median(responses), response > 0 else {
            throw .invalid(
                field: "pilot run", value: pilots.map(\.name).joined(separator: ","),
                reason: "logs no response length: give --tokens-per-rollout")
        }
        let prompts = timed.compactMap(\.step.promptTokens)
        let prompt = prompts.isEmpty ? 0 : median(prompts)
        let gpuCounts = Set(timed.map(\.gpus))
        let split = timed.filter { $0.step.generationSeconds != nil && $0.step.updateSeconds != nil }
        let used = split.isEmpty ? timed.count : split.count
        if !split.isEmpty && split.count < timed.count {
            notes.append(
                "\(timed.count - split.count) timed step(s) without a generation/update split are not used: "
                    + "the split steps give the rates")
        }
        var model = ThroughputModel(
            origin: .measured, generationGPUSecondsPerToken: 0, updateGPUSecondsPerToken: 0, overheadSeconds: 0,
            responseTokens: response, promptTokens: prompt,
            source: "\(pilots.map(\.name).joined(separator: ", ")): \(used) timed step(s)",
            pilotGPUs: gpuCounts.count == 1 ? gpuCounts.first : nil, notes: notes)
        if split.isEmpty {
            fitTotal(timed, into: &model)
        } else {
            fitPhases(split, into: &model)
        }
        return model
    }

    /// With generation and update logged apart: each phase's per-GPU rate per token, and the
    /// rest of the step as overhead (medians over steps).
    static func fitPhases(_ steps: [(step: StepTiming, gpus: Int)], into model: inout ThroughputModel) {
        func tokens(_ s: StepTiming) -> (generated: Double, all: Double) {
            let response = s.responseTokens ?? model.responseTokens
            return (s.rollouts * response, s.rollouts * (response + (s.promptTokens ?? model.promptTokens)))
        }
        model.generationGPUSecondsPerToken = median(
            steps.map { ($0.step.generationSeconds ?? 0) * Double($0.gpus) / tokens($0.step).generated })
        model.updateGPUSecondsPerToken = median(
            steps.map { ($0.step.updateSeconds ?? 0) * Double($0.gpus) / tokens($0.step).all })
        model.overheadSeconds = median(
            steps.map { max(0, $0.step.seconds - ($0.step.generationSeconds ?? 0) - ($0.step.updateSeconds ?? 0)) })
    }

    /// Without a split: one rate per token (prompt and response) and, when the runs' batches
    /// differ enough (≥ 20% in tokens per GPU), a per-step overhead from the line through the
    /// runs' median steps; otherwise the overhead is folded into the rate, and said so.
    static func fitTotal(_ steps: [(step: StepTiming, gpus: Int)], into model: inout ThroughputModel) {
        model.notes.append("no generation/update split logged: one GPU-second rate per token")
        let tokensPerRollout = model.responseTokens + model.promptTokens
        var runs: [Double: [Double]] = [:]  // tokens per GPU per step → step seconds
        for (step, gpus) in steps {
            runs[step.rollouts * tokensPerRollout / Double(gpus), default: []].append(step.seconds)
        }
        let points = runs.map { (x: $0.key, y: median($0.value)) }
        let xs = points.map(\.x)
        if points.count >= 2, let low = xs.min(), let high = xs.max(), high >= 1.2 * low {
            let meanX = xs.reduce(0, +) / Double(xs.count)
            let meanY = points.reduce(0) { $0 + $1.y } / Double(points.count)
            let slope =
                points.reduce(0) { $0 + ($1.x - meanX) * ($1.y - meanY) }
                / xs.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
            let intercept = meanY - slope * meanX
            if slope > 0 && intercept >= 0 {
                model.updateGPUSecondsPerToken = slope
                model.overheadSeconds = intercept
                return
            }
            model.notes.append("the runs' line has a negative overhead or rate: fitted through the origin")
        } else {
            model.notes.append(
                "one batch size only: the per-step overhead is not separable and is folded into the rate")
        }
        model.updateGPUSecondsPerToken = median(points.map { $0.y / $0.x })
    }

    static func median(_ values: [Double]) -> Double { quantiles(values, [0.5])[0] }
}
