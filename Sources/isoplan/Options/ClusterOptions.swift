import ArgumentParser
import Domain
import Planner

/// `--gpus`, `--nodes` and `--micro-batch`: the cluster a plan runs on (`plan train --export`),
/// with TRL's older names `--processes` and `--per-device-batch` kept as hidden aliases.
struct ClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("GPUs in all, one training process each (default 8).", valueName: "G"))
    var gpus: Int?

    @Option(help: ArgumentHelp("Nodes the GPUs sit on; --gpus must be a multiple.", valueName: "N"))
    var nodes = 1

    @Option(
        name: .customLong("micro-batch"),
        help: ArgumentHelp("Samples (completions) per GPU per forward/backward pass (default 4).", valueName: "m"))
    var microBatch: Int?

    @Option(help: .hidden) var processes: Int?

    @Option(name: .customLong("per-device-batch"), help: .hidden) var perDeviceBatch: Int?

    /// The GPU count: `--gpus`, else `--processes`, else 8.
    var gpuCount: Int { gpus ?? processes ?? ClusterShape.defaultGPUs }

    /// The micro batch: `--micro-batch`, else `--per-device-batch`, else 4.
    var microBatchSize: Int { microBatch ?? perDeviceBatch ?? ClusterShape.defaultMicroBatch }

    func validate() throws {
        if let gpus, let processes, gpus != processes {
            throw ValidationError("--processes \(processes) conflicts with --gpus \(gpus); give --gpus only")
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
    }

    /// The cluster these options describe.
    var shape: ClusterShape {
        get throws(DomainError) { try ClusterShape(gpus: gpuCount, nodes: nodes, microBatch: microBatchSize) }
    }
}
