public import Domain
public import RLSim
public import RunStore

/// A preset sweep before preparation: what `simulate sweep`, the demo and the closed loop ask for.
/// `SimulationWorkflow.prepare(_:)` expands it into runs; every default is applied there.
public struct SweepRequest: Sendable {
    public var preset: SweepPreset
    /// The population (nil: the preset's difficulty).
    public var population: PopulationSource?
    /// Train problems D (nil: the preset's on its own population, else
    /// `SimulationRequest.defaultTrainSize(for:)`).
    public var trainSize: Int?
    public var validationSize = 300
    /// Seeds 0…S−1 of every configuration.
    public var seeds = 3
    /// Budget C in rollouts (nil: the preset's).
    public var budget: Double?
    /// Keep only the configurations of this fixed batch B: one slice of a fixed-batch preset.
    public var fixedBatch: Int?
    public var parameters = SimulationParameters.standard
    /// See `SweepIdentity.scope`.
    public var scope: String?
    public var workers: Int?

    public init(preset: SweepPreset) { self.preset = preset }

    /// The population simulated.
    public var source: PopulationSource { population ?? .difficulty(preset.difficulty) }

    /// D after defaults.
    public var resolvedTrainSize: Int {
        trainSize ?? population.map(SimulationRequest.defaultTrainSize(for:)) ?? preset.trainSize
    }

    /// The sweep this request names; the same for a rerun, so a rerun resumes.
    public var identity: SweepIdentity {
        SweepIdentity(
            scope: scope, preset: preset.name, population: source.name, fixedBatch: fixedBatch,
            trainSize: resolvedTrainSize, budget: budget ?? preset.budget)
    }
}

extension SimulationWorkflow {
    /// The sweep's runs: the preset's grid × seeds 0…S−1 at the budget (only the `fixedBatch`
    /// slice when given), in grid order; configurations with B_p above the train set are left out
    /// and listed in `dropped`. Every run is recorded under `sweep.identity`.
    public static func prepare(_ sweep: SweepRequest) -> SimulationRequest {
        let trainSize = sweep.resolvedTrainSize
        var (kept, dropped) = sweep.preset.configurations(
            seeds: sweep.seeds, budget: sweep.budget,
            trainSize: trainSize)
        if let batch = sweep.fixedBatch {
            kept = kept.filter { $0.fixedBatch == batch }
            dropped = dropped.filter { $0.fixedBatch == batch }
        }
        var request = SimulationRequest(source: sweep.source, configurations: kept, trainSize: trainSize)
        request.validationSize = sweep.validationSize
        request.parameters = sweep.parameters
        request.sweep = sweep.identity
        request.dropped = dropped
        request.workers = sweep.workers
        return request
    }

    /// Prepares the sweep and runs it: stored runs are not simulated again.
    public static func run(_ sweep: SweepRequest, store: Store, progress: any ProgressReporter = SilentProgress())
        throws(WorkflowError) -> SimulationResult
    {
        try run(prepare(sweep), store: store, progress: progress)
    }
}
