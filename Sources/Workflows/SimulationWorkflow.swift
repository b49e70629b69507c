public import Cluster
public import Domain
import Foundation
public import RLSim
public import RunStore
import Synchronization

/// `isoplan simulate run|sweep`: simulated runs, each stored with its points in one transaction.
public struct SimulationRequest: Sendable {
    public var source: PopulationSource
    public var configurations: [SimulationConfiguration]
    public var trainSize: Int
    public var validationSize = 300
    public var parameters = SimulationParameters.standard
    /// The sweep every run is recorded under (nil for a single run).
    public var sweep: SweepIdentity?
    /// Configurations the request already dropped (B_p above the train set), reported back.
    public var dropped: [SimulationConfiguration] = []
    public var workers: Int?

    public init(source: PopulationSource, configurations: [SimulationConfiguration], trainSize: Int) {
        self.source = source
        self.configurations = configurations
        self.trainSize = trainSize
    }

    /// One configuration on a population (`simulate run`), D defaulting to
    /// `defaultTrainSize(for:)`.
    public init(source: PopulationSource, configuration: SimulationConfiguration, trainSize: Int?) {
        self.init(
            source: source, configurations: [configuration],
            trainSize: trainSize ?? Self.defaultTrainSize(for: source))
    }

    /// Train problems D when none is given: the paper's set sizes, 6,000 for the easy population
    /// and 5,000 for every other.
    public static func defaultTrainSize(for source: PopulationSource) -> Int {
        if case .difficulty(.easy) = source { return 6000 }
        return 5000
    }

    /// The sweep id and preset recorded on every run (nil for a single run).
    public var sweepID: String? { sweep?.id }
    public var preset: String? { sweep?.preset }

    /// The stored name of a configuration's run: the sweep id (else `sim-<population>-D<D>-C<C>`)
    /// and a tag of everything else that shapes a run (parameter file, validation size, the
    /// population's data), then the allocation and seed — so the same request names the same runs
    /// and a changed setting never reuses them.
    public func runName(_ c: SimulationConfiguration) -> String {
        c.runName(
            prefix: (sweepID ?? "sim-\(source.name)-D\(trainSize)-C\(String(format: "%g", c.budget))") + "-"
                + settingsTag)
    }

    /// The stored run of a configuration, before the simulator sets its learning rate.
    public func runRecord(_ c: SimulationConfiguration) -> Run {
        let difficulty: Difficulty? = if case .difficulty(let d) = source { d } else { nil }
        return Run(
            name: runName(c), source: .sim, rolloutsPerProblem: c.rolloutsPerProblem,
            problemsPerBatch: c.problemsPerBatch, model: "rlsim", dataset: "\(source.name)-D\(trainSize)",
            difficulty: difficulty, seed: c.seed, sweepID: sweepID, preset: preset, fixedBatch: c.fixedBatch)
    }

    /// 8 hex digits identifying the parameters, the validation size and the population source.
    public var settingsTag: String {
        struct Settings: Encodable {
            var parameters: SimulationParameters
            var validationSize: Int
            var source: String
            var counts: [TaskOutcome]?
        }
        var counts: [TaskOutcome]?
        if case .counts(let rates) = source { counts = rates.tasks }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data =
            (try? encoder.encode(
                Settings(
                    parameters: parameters, validationSize: validationSize, source: source.name,
                    counts: counts))) ?? Data()
        return String(StableHash.contentHash(data).prefix(8))
    }
}

/// One stored (or skipped) run of a simulation.
public struct SimulationRunSummary: Codable, Sendable {
    public var name: String
    public var id: Int64?
    public var rolloutsPerProblem: Int
    public var problemsPerBatch: Int
    public var seed: UInt64
    public var fixedBatch: Int?
    public var steps: Int
    public var learningRate: Double?
    /// Best and final exact validation reward.
    public var bestValidationReward: Double?
    public var finalValidationReward: Double?
    /// True when a run of this name was already stored (same request): not simulated again.
    public var alreadyStored: Bool
}

public struct SimulationResult: Codable, Sendable {
    public var sweepID: String?
    public var preset: String?
    public var population: String
    public var trainSize: Int
    public var runs: [SimulationRunSummary]
    /// Configurations dropped before any work (B_p above the train set), as `n<n>-bp<B_p>` labels.
    public var dropped: [String]
    public var seconds: Double
    /// The cluster jobs that ran the simulations (`--engine ray`); nil in this process.
    public var engine: ShardJobReport?
}

public enum SimulationWorkflow {
    /// Simulates the configurations not yet stored under their names and stores each run with its
    /// points in one transaction. Bad configurations fail before any work starts.
    ///
    /// With an `engine`, the runs to simulate go to it as shards (one run each, `simulate shard`),
    /// and each is stored as its output arrives; runs already stored are skipped, so delivering an
    /// output twice stores it once.
    public static func run(
        _ request: SimulationRequest, store: Store, engine: (any ShardEngine)? = nil,
        progress: any ProgressReporter = SilentProgress()
    ) throws(WorkflowError) -> SimulationResult {
        do {
            let start = Date()
            for c in request.configurations { try c.validate(trainSize: request.trainSize) }
            var existing: [String: Run] = [:]
            for c in request.configurations {
                let name = request.runName(c)
                if let run = try store.run(named: name) { existing[name] = run }
            }
            let todo = request.configurations.filter { existing[request.runName($0)] == nil }
            var engineReport: ShardJobReport?
            let stored = Mutex<[SimulationRunSummary]>([])
            if let engine, !todo.isEmpty {
                engineReport = try runShards(todo, of: request, on: engine, store: store, progress: progress) {
                    summary in stored.withLock { $0.append(summary) }
                }
            } else {
                try simulateHere(todo, of: request, store: store, progress: progress) { summary in
                    stored.withLock { $0.append(summary) }
                }
            }
            var summaries = stored.withLock { $0 }.sorted { $0.name < $1.name }
            for c in request.configurations where existing[request.runName(c)] != nil {
                let run = existing[request.runName(c)]!
                let rewards = try store.points(ofRun: run.id!, metric: .validationReward).map(\.value)
                summaries.append(summary(run, c, rewards: rewards, alreadyStored: true))
            }
            return SimulationResult(
                sweepID: request.sweepID, preset: request.preset, population: request.source.name,
                trainSize: request.trainSize, runs: summaries,
                dropped: request.dropped.map { "n\($0.rolloutsPerProblem)-bp\($0.problemsPerBatch)-s\($0.seed)" },
                seconds: Date().timeIntervalSince(start), engine: engineReport)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// Simulates `todo` in this process (`--engine local`), storing each run as its worker
    /// finishes it, so an interrupted sweep keeps what it completed and a rerun resumes from there.
    private static func simulateHere(
        _ todo: [SimulationConfiguration], of request: SimulationRequest, store: Store,
        progress: any ProgressReporter, stored: @escaping @Sendable (SimulationRunSummary) -> Void
    ) throws {
        let simulator = Simulator(
            source: request.source, trainSize: request.trainSize, validationSize: request.validationSize,
            parameters: request.parameters, workers: request.workers)
        _ = try simulator.run(
            todo, runName: { request.runRecord($0) }, progress: progress,
            finished: { result in
                let run = try store.insert(result.run, points: result.points)
                let rewards = result.points.filter { $0.metric == .validationReward }.map(\.value)
                stored(summary(run, result.configuration, rewards: rewards, alreadyStored: false))
            })
    }

    static func summary(_ run: Run, _ c: SimulationConfiguration, rewards: [Double], alreadyStored: Bool)
        -> SimulationRunSummary
    {
        SimulationRunSummary(
            name: run.name, id: run.id, rolloutsPerProblem: c.rolloutsPerProblem, problemsPerBatch: c.problemsPerBatch,
            seed: c.seed, fixedBatch: c.fixedBatch, steps: c.steps, learningRate: run.learningRate,
            bestValidationReward: rewards.max(), finalValidationReward: rewards.last, alreadyStored: alreadyStored)
    }
}
