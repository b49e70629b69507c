import ArgumentParser
import Domain
import Planner
import Workflows

/// `plan train`'s cluster: GPUs and nodes, the per-device micro batch of framework exports, where
/// seconds per step come from, and the price of a GPU-hour. TRL's older `--processes` and
/// `--per-device-batch` are hidden aliases of `--gpus` and `--micro-batch`.
struct ClusterOptions: ParsableArguments {
    @Option(
        name: .customLong("gpus"),
        help: ArgumentHelp(
            "GPUs the plan runs on, one training process each (costs and framework exports; default 8).",
            valueName: "G"))
    var gpusOption: Int?

    @Option(help: ArgumentHelp("Nodes the GPUs sit on; --gpus must be a multiple.", valueName: "N"))
    var nodes = 1

    @Option(
        name: .customLong("micro-batch"),
        help: ArgumentHelp(
            "Samples (completions) per GPU per forward/backward pass, for --export (default 4).", valueName: "m"))
    var microBatch: Int?

    @Option(help: .hidden) var processes: Int?

    @Option(name: .customLong("per-device-batch"), help: .hidden) var perDeviceBatch: Int?

    @Option(
        name: .customLong("throughput-from"),
        help: ArgumentHelp(
            "A stored pilot run whose logged step timing gives seconds per step (repeat to fit over several).",
            valueName: "run"))
    var throughputFrom: [String] = []

    @Option(
        name: .customLong("pilot-gpus"),
        help: ArgumentHelp("GPUs the pilot runs used, when their logs do not tell.", valueName: "G"))
    var pilotGPUs: Int?

    @Option(
        name: .customLong("rollouts-per-gpu-second"),
        help: ArgumentHelp("A throughput given by hand instead of --throughput-from.", valueName: "X"))
    var rolloutsPerGPUSecond: Double?

    @Option(
        name: .customLong("usd-per-gpu-hour"),
        help: ArgumentHelp("Price of a GPU-hour: the plan's cost in dollars (and --unit usd).", valueName: "P"))
    var usdPerGPUHour: Double?

    /// The GPU count: `--gpus`, else `--processes`, else 8.
    var gpus: Int { gpusOption ?? processes ?? ClusterShape.defaultGPUs }

    /// The micro batch: `--micro-batch`, else `--per-device-batch`, else 4.
    var microBatchSize: Int { microBatch ?? perDeviceBatch ?? ClusterShape.defaultMicroBatch }

    func validate() throws {
        if let gpusOption, let processes, gpusOption != processes {
            throw ValidationError("--processes \(processes) conflicts with --gpus \(gpusOption); give --gpus only")
        }
        if let microBatch, let perDeviceBatch, microBatch != perDeviceBatch {
            throw ValidationError(
                "--per-device-batch \(perDeviceBatch) conflicts with --micro-batch \(microBatch); give --micro-batch only"
            )
        }
        do {
            _ = try shape
        } catch {
            throw ValidationError("--\(error)")
        }
        if let pilotGPUs, !(1...(1 << 20)).contains(pilotGPUs) {
            throw ValidationError("--pilot-gpus must lie in 1…2^20")
        }
        if pilotGPUs != nil && throughputFrom.isEmpty {
            throw ValidationError("--pilot-gpus goes with --throughput-from RUN")
        }
        if !throughputFrom.isEmpty && rolloutsPerGPUSecond != nil {
            throw ValidationError("give --throughput-from RUN or --rollouts-per-gpu-second X, not both")
        }
        if let rate = rolloutsPerGPUSecond, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--rollouts-per-gpu-second must be a positive number")
        }
        if usdPerGPUHour != nil && throughputFrom.isEmpty && rolloutsPerGPUSecond == nil {
            throw ValidationError(
                "--usd-per-gpu-hour needs a throughput: --throughput-from RUN or --rollouts-per-gpu-second X")
        }
        if let price = usdPerGPUHour, !(price > 0 && price.isFinite) {
            throw ValidationError("--usd-per-gpu-hour must be a positive number")
        }
    }

    /// The cluster a framework export runs on (`validate` has checked it).
    var shape: ClusterShape {
        get throws(DomainError) { try ClusterShape(gpus: gpus, nodes: nodes, microBatch: microBatchSize) }
    }

    /// The throughput source given, if any.
    var throughput: ThroughputSource? {
        if let rate = rolloutsPerGPUSecond { return .given(rolloutsPerGPUSecond: rate) }
        return throughputFrom.isEmpty ? nil : .runs(throughputFrom, pilotGPUs: pilotGPUs)
    }
}
