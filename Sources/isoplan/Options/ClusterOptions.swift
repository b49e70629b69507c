import ArgumentParser
import Workflows

/// `plan train`'s cluster: GPUs, where seconds per step come from, and the price of a GPU-hour.
struct ClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("GPUs the plan runs on (costs and framework exports).", valueName: "G"))
    var gpus = 8

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

    func validate() throws {
        guard gpus >= 1, gpus <= 1 << 20 else { throw ValidationError("--gpus must lie in 1…2^20") }
        if let pilotGPUs, !(1...(1 << 20)).contains(pilotGPUs) {
            throw ValidationError("--pilot-gpus must lie in 1…2^20")
        }
        if !throughputFrom.isEmpty && rolloutsPerGPUSecond != nil {
            throw ValidationError("give --throughput-from RUN or --rollouts-per-gpu-second X, not both")
        }
        if let rate = rolloutsPerGPUSecond, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--rollouts-per-gpu-second must be a positive number")
        }
        if let price = usdPerGPUHour, !(price > 0 && price.isFinite) {
            throw ValidationError("--usd-per-gpu-hour must be a positive number")
        }
    }

    /// The throughput source given, if any.
    var throughput: ThroughputSource? {
        if let rate = rolloutsPerGPUSecond { return .given(rolloutsPerGPUSecond: rate) }
        return throughputFrom.isEmpty ? nil : .runs(throughputFrom, pilotGPUs: pilotGPUs)
    }
}
