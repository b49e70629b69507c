public import Cluster
public import Domain
public import Foundation
import Ingest
public import RLSim
public import RunStore

/// One simulated run as a shard: the file `isoplan simulate shard --spec` reads (JSON; its
/// fields are this type's). It holds everything that shapes the run, so a worker simulates the
/// run the local engine would, point for point.
public struct SimulationShardSpec: Codable, Sendable {
    public var source: PopulationSource
    public var trainSize: Int
    public var validationSize: Int
    public var parameters: SimulationParameters
    public var sweep: SweepIdentity?
    public var configuration: SimulationConfiguration

    /// The one-run request the spec stands for.
    var request: SimulationRequest {
        var request = SimulationRequest(source: source, configurations: [configuration], trainSize: trainSize)
        request.validationSize = validationSize
        request.parameters = parameters
        request.sweep = sweep
        return request
    }
}

/// A shard's result file (`simulate shard --output`): the run and its points, as stored.
public struct SimulationShardOutput: Codable, Sendable {
    public var run: Run
    public var points: [MetricPoint]
}

extension SimulationWorkflow {
    /// The command a simulation shard runs on a worker.
    public static let shardCommand = ["simulate", "shard"]

    /// `simulate shard`: simulates the spec's one run on one thread and returns the result file.
    public static func runShard(spec: Data) throws(WorkflowError) -> Data {
        do {
            let spec = try JSONDecoder().decode(SimulationShardSpec.self, from: spec)
            let request = spec.request
            try spec.configuration.validate(trainSize: spec.trainSize)
            let simulator = Simulator(
                source: request.source, trainSize: request.trainSize, validationSize: request.validationSize,
                parameters: request.parameters, workers: 1)
            guard let result = try simulator.run([spec.configuration], runName: { request.runRecord($0) }).first
            else { throw WorkflowError.empty("the shard simulated no run") }
            return try shardEncoder.encode(SimulationShardOutput(run: result.run, points: result.points))
        } catch let error as DecodingError {
            throw .input(.malformed(file: "shard spec", line: 1, reason: "not a simulation shard spec (\(error))"))
        } catch {
            throw WorkflowError(error)
        }
    }

    /// Sends `todo` to `engine`, one run a shard, and stores each output as it arrives (once:
    /// an output whose run is stored already is skipped).
    static func runShards(
        _ todo: [SimulationConfiguration], of request: SimulationRequest, on engine: any ShardEngine,
        store: Store, progress: any ProgressReporter, stored: (SimulationRunSummary) -> Void
    ) throws -> ShardJobReport {
        var configurations: [String: (configuration: SimulationConfiguration, runName: String)] = [:]
        var shards: [Shard] = []
        for c in todo {
            let name = request.runName(c)
            let id = shardID(name)
            configurations[id] = (c, name)
            let spec = SimulationShardSpec(
                source: request.source, trainSize: request.trainSize, validationSize: request.validationSize,
                parameters: request.parameters, sweep: request.sweep, configuration: c)
            shards.append(Shard(id: id, spec: try shardEncoder.encode(spec)))
        }
        // The request is all its runs, stored or not: a rerun after an interruption names the same job.
        let allNames = request.configurations.map(request.runName).joined(separator: "\n")
        let job = ShardJob(
            requestKey: "simulate:" + StableHash.contentHash(Array(allNames.utf8)), command: shardCommand,
            shards: shards)
        return try engine.run(job, progress: progress) { output in
            guard let (c, name) = configurations[output.id] else { return }
            let result: SimulationShardOutput
            do { result = try JSONDecoder().decode(SimulationShardOutput.self, from: output.output) } catch {
                throw WorkflowError.input(
                    .malformed(file: "shard \(output.id) output", line: 1, reason: "not a simulated run (\(error))"))
            }
            guard result.run.name == name else {
                throw WorkflowError.input(
                    .malformed(
                        file: "shard \(output.id) output", line: 1,
                        reason: "run \(result.run.name) is not the one asked for"))
            }
            guard try store.run(named: result.run.name) == nil else { return }
            let run = try store.insert(result.run, points: result.points)
            let rewards = result.points.filter { $0.metric == .validationReward }.map(\.value)
            stored(summary(run, c, rewards: rewards, alreadyStored: false))
        }
    }

    /// A run name as a shard id: letters, digits, `.`, `_` and `-` (it names files on a worker).
    static func shardID(_ runName: String) -> String {
        String(runName.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }

    private static var shardEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
