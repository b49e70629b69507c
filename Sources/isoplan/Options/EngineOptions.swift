import ArgumentParser
import Cluster
import Foundation

/// Where the work runs.
enum EngineKind: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// In this process (the default).
    case local
    /// As shards on a Ray cluster, through its Jobs API (docs/SCALE_OUT.md).
    case ray
}

/// `--engine local|ray` and the Ray engine's settings.
struct EngineOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("Where to run the work: local (this process) or ray (a Ray cluster).", valueName: "engine"))
    var engine: EngineKind = .local

    @Option(
        name: .customLong("ray-address"),
        help: ArgumentHelp(
            "The Ray dashboard's address, as `ray job submit --address` (default: $RAY_ADDRESS).", valueName: "url"))
    var rayAddress: String?

    @Option(
        name: .customLong("ray-cpus-per-task"), help: ArgumentHelp("CPUs Ray reserves for each shard.", valueName: "n"))
    var rayCPUsPerTask = 1.0

    @Option(
        name: .customLong("ray-resources"),
        help: ArgumentHelp(
            "Custom Ray resources each shard needs, e.g. sandbox=1 (comma-separated).", valueName: "name=n,…"))
    var rayResources: String?

    @Option(
        name: .customLong("ray-binary"),
        help: ArgumentHelp(
            "The isoplan binary's path on every node (a shared filesystem) instead of uploading this one.",
            valueName: "path"))
    var rayBinary: String?

    @Option(
        name: .customLong("ray-python"),
        help: ArgumentHelp("The Python on the head node that runs the driver (it needs ray).", valueName: "python"))
    var rayPython = "python"

    func validate() throws {
        guard rayCPUsPerTask > 0, rayCPUsPerTask.isFinite else {
            throw ValidationError("--ray-cpus-per-task must be > 0")
        }
        _ = try resources()
        let rayOptionGiven =
            rayAddress != nil || rayBinary != nil || rayResources != nil || rayPython != "python" || rayCPUsPerTask != 1
        if engine == .local, rayOptionGiven {
            throw ValidationError("--ray-… options need --engine ray")
        }
    }

    /// The engine chosen: nil for local (the workflows run in this process).
    func shardEngine() throws -> (any ShardEngine)? {
        guard engine == .ray else { return nil }
        let environment = ProcessInfo.processInfo.environment["RAY_ADDRESS"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text = rayAddress ?? environment else {
            throw ValidationError(
                "--engine ray needs --ray-address or RAY_ADDRESS (the dashboard, e.g. http://127.0.0.1:8265)")
        }
        let address: URL
        do { address = try RayEngine.address(text) } catch { throw ValidationError("\(error)") }
        let binary: RayEngine.BinaryPlacement =
            if let rayBinary { .shared(path: rayBinary) } else { .upload(path: Self.executablePath) }
        var settings = RayEngine.Settings(address: address, binary: binary)
        settings.python = rayPython
        settings.cpusPerTask = rayCPUsPerTask
        settings.resources = try resources()
        return RayEngine(settings: settings)
    }

    private func resources() throws -> [String: Double] {
        guard let rayResources else { return [:] }
        var resources: [String: Double] = [:]
        for item in rayResources.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let amount = Double(parts[1]), amount > 0 else {
                throw ValidationError("--ray-resources takes name=amount pairs (got '\(item)')")
            }
            resources[parts[0]] = amount
        }
        return resources
    }

    /// This program's file (what `--engine ray` uploads).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
    }
}
