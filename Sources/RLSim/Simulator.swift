public import Domain
import Foundation
import NumericCore
import Synchronization

/// A simulated run: the ``Domain/Run``, its metric points, and per-problem train pass rates at
/// the start and the end (kept in memory for uniformity analyses, not stored).
public struct SimulatedRun: Sendable {
    public var configuration: SimulationConfiguration
    public var run: Run
    public var points: [MetricPoint]
    public var initialTrainPassRates: [Double]
    public var finalTrainPassRates: [Double]
}

/// Simulates on-policy GRPO over a problem population (the model of `docs/SIMULATOR.md`), many
/// runs at once.
///
/// Runs are advanced in parallel between evaluation points; at each point the logits of every
/// train and validation problem of every run sharing a population come from two matrix products
/// (Φᵀ·Θ, BLAS `dgemm`). Runs with the same seed share their population (common random numbers
/// across configurations); each run's training draws come from its own stream of (seed, n, B_p, B).
public struct Simulator: Sendable {
    public var parameters: SimulationParameters
    public var source: PopulationSource
    public var trainSize: Int
    public var validationSize: Int
    public var workers: Int

    public init(
        source: PopulationSource, trainSize: Int, validationSize: Int = 300,
        parameters: SimulationParameters = .standard, workers: Int? = nil
    ) {
        self.parameters = parameters
        self.source = source
        self.trainSize = trainSize
        self.validationSize = validationSize
        self.workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs `configurations` (validated first; nothing runs if one is bad). `finished` is called
    /// on the worker thread as each run completes (to store it at once); after it fails once, no
    /// further run starts and the first error is rethrown.
    public func run(
        _ configurations: [SimulationConfiguration], runName: @escaping @Sendable (SimulationConfiguration) -> Run,
        progress: any ProgressReporter = SilentProgress(),
        finished: (@Sendable (SimulatedRun) throws -> Void)? = nil
    ) throws -> [SimulatedRun] {
        for configuration in configurations { try configuration.validate(trainSize: trainSize) }
        guard trainSize >= 1, validationSize >= 1 else {
            throw DomainError.invalid(
                field: "problems", value: String(trainSize),
                reason: "need at least one train and one validation problem")
        }
        let seeds = Array(Set(configurations.map(\.seed))).sorted()
        let populations = parallelMap(count: seeds.count, workers: workers) { [self] i in
            Population(
                source: source, trainSize: trainSize, validationSize: validationSize, parameters: parameters,
                seed: seeds[i])
        }
        let populationIndex = Dictionary(uniqueKeysWithValues: seeds.enumerated().map { ($0.element, $0.offset) })
        let shuffle = FisherYatesShuffle(count: trainSize)
        progress.begin("simulate", total: configurations.reduce(0) { $0 + $1.steps })
        // Parallel at the run level: BLAS products stay on their caller's thread meanwhile.
        let blasThreads = BLASConfiguration.threadCount
        if workers > 1 { BLASConfiguration.setThreadCount(1) }
        defer { if workers > 1 { BLASConfiguration.setThreadCount(blasThreads) } }
        // Runs are independent: each advances to its evaluation steps and evaluates itself (two
        // BLAS products per point); the threads take runs as they free up.
        let failure = Mutex<(any Error)?>(nil)
        let results = parallelMap(count: configurations.count, workers: workers) { [parameters] r -> SimulatedRun? in
            if failure.withLock({ $0 != nil }) { return nil }
            let configuration = configurations[r]
            let state = RunState(
                configuration: configuration, population: populations[populationIndex[configuration.seed]!],
                parameters: parameters, shuffle: shuffle)
            for step in state.evaluationSteps {
                let before = state.step
                state.advance(to: step)
                if state.step > before { progress.advance(by: state.step - before) }
                state.evaluate()
            }
            var run = runName(configuration)
            run.learningRate = state.learningRate
            let result = SimulatedRun(
                configuration: configuration, run: run, points: state.points,
                initialTrainPassRates: state.initialTrainPassRates, finalTrainPassRates: state.trainPassRates)
            do { try finished?(result) } catch { failure.withLock { if $0 == nil { $0 = error } } }
            return result
        }
        progress.end()
        if let error = failure.withLock({ $0 }) { throw error }
        return results.compactMap { $0 }
    }
}

/// One run's mutable state and its GRPO step.
///
/// The hot state lives in buffers the run owns (no array copy-on-write or exclusivity checks in
/// the step loop); the generator and counters are copied to locals for the duration of a step.
final class RunState {
    let configuration: SimulationConfiguration
    let population: Population
    let parameters: SimulationParameters
    let evaluationSteps: [Int]
    let learningRate: Double
    /// θ, the shared parameters.
    private let thetaBuffer: UnsafeMutableBufferPointer<Double>
    /// τ_i: each train problem's own (memorised) logit offset.
    private let memorisationBuffer: UnsafeMutableBufferPointer<Double>
    private let order: UnsafeMutableBufferPointer<Int>
    private let gradient: UnsafeMutableBufferPointer<Double>
    private let visited: UnsafeMutableBufferPointer<Int>
    private let signals: UnsafeMutableBufferPointer<Double>
    /// The batch's logits, success probabilities and successes, per position in the batch.
    private let batchLogits: UnsafeMutableBufferPointer<Double>
    private let batchProbabilities: UnsafeMutableBufferPointer<Double>
    private let batchSuccesses: UnsafeMutableBufferPointer<Int>
    /// The group signal for each success count `s = 0…n`: `μ(1 − μ)`, or its square root, with
    /// `μ = s/n`, computed once per run (a division and a square root per group were a tenth of
    /// the step).
    private let signalOfSuccesses: UnsafeMutableBufferPointer<Double>
    /// h: accumulated damage subtracted from every logit.
    private(set) var damage = 0.0
    private(set) var step = 0
    private(set) var points: [MetricPoint] = []
    private(set) var initialTrainPassRates: [Double] = []
    private(set) var trainPassRates: [Double] = []

    private var rng: Xoshiro256StarStar
    /// The epoch's reshuffle of `order`, shared by every run on train sets of this size.
    private let shuffle: FisherYatesShuffle
    private var evaluationRNG: Xoshiro256StarStar
    private var cursor: Int
    // Since the last evaluation: groups, all-0 and all-1 groups, summed rewards.
    private var groups = 0, allZero = 0, allOne = 0, rewardSum = 0

    var theta: [Double] { Array(thetaBuffer) }

    init(
        configuration: SimulationConfiguration, population: Population, parameters: SimulationParameters,
        shuffle: FisherYatesShuffle
    ) {
        precondition(shuffle.count == population.trainSize, "the epoch shuffle must be for the train set's size")
        self.shuffle = shuffle
        self.configuration = configuration
        self.population = population
        self.parameters = parameters
        evaluationSteps = EvaluationGrid.steps(
            rolloutsPerStep: configuration.rolloutsPerStep, budget: configuration.budget)
        learningRate =
            parameters.baseLearningRate
            * pow(Double(configuration.rolloutsPerStep) / parameters.referenceBatch, parameters.learningRateExponent)
        func zeros<T: Numeric>(_ count: Int, _: T.Type) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            buffer.initialize(repeating: 0)
            return buffer
        }
        thetaBuffer = zeros(parameters.featureDimension, Double.self)
        gradient = zeros(parameters.featureDimension, Double.self)
        memorisationBuffer = zeros(population.trainSize, Double.self)
        order = zeros(population.trainSize, Int.self)
        for i in 0..<population.trainSize { order[i] = i }
        visited = zeros(configuration.problemsPerBatch, Int.self)
        signals = zeros(configuration.problemsPerBatch, Double.self)
        batchLogits = zeros(configuration.problemsPerBatch, Double.self)
        batchProbabilities = zeros(configuration.problemsPerBatch, Double.self)
        batchSuccesses = zeros(configuration.problemsPerBatch, Int.self)
        signalOfSuccesses = zeros(configuration.rolloutsPerProblem + 1, Double.self)
        for successes in signalOfSuccesses.indices {
            let mu = Double(successes) / Double(configuration.rolloutsPerProblem)
            signalOfSuccesses[successes] =
                parameters.standardiseAdvantages ? (mu * (1 - mu)).squareRoot() : mu * (1 - mu)
        }
        let stream =
            UInt64(configuration.rolloutsPerProblem) &* 0x9E37_79B9_7F4A_7C15
            ^ UInt64(configuration.problemsPerBatch) &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(configuration.fixedBatch ?? 0)
        rng = Xoshiro256StarStar(seed: configuration.seed, stream: stream)
        evaluationRNG = Xoshiro256StarStar(seed: configuration.seed, stream: ~stream)
        cursor = population.trainSize  // shuffle before the first step
    }

    deinit {
        for buffer in [
            thetaBuffer, gradient, memorisationBuffer, signals, batchLogits, batchProbabilities, signalOfSuccesses,
        ] {
            buffer.deallocate()
        }
        order.deallocate()
        visited.deallocate()
        batchSuccesses.deallocate()
    }

    /// Advances to `target` steps.
    func advance(to target: Int) {
        var rng = self.rng
        var counts = (groups: groups, allZero: allZero, allOne: allOne, rewardSum: rewardSum)
        population.trainFeatures.storage.withUnsafeBufferPointer { features in
            population.trainLogits.withUnsafeBufferPointer { logits in
                while step < target {
                    takeStep(features: features, logits: logits, rng: &rng, counts: &counts)
                    step &+= 1
                }
            }
        }
        self.rng = rng
        (groups, allZero, allOne, rewardSum) = counts
    }

    /// One GRPO step: B_p problems from the epoch's shuffled order, exact binomial successes per
    /// group, group-relative signals, then the shared update (``finishStep``).
    @inline(__always)
    private func takeStep(
        features: UnsafeBufferPointer<Double>, logits: UnsafeBufferPointer<Double>,
        rng: inout Xoshiro256StarStar,
        counts: inout (groups: Int, allZero: Int, allOne: Int, rewardSum: Int)
    ) {
        let p = parameters
        let d = p.featureDimension
        let size = order.count
        let theta = thetaBuffer
        let memorisation = memorisationBuffer
        var norm = 0.0
        for k in 0..<d { norm += theta[k] * theta[k] }
        let shift = -p.curvature * norm - damage
        var informative = 0
        var remaining = configuration.problemsPerBatch
        // The batch in segments that end where the epoch's order does: the reshuffle draws from
        // the generator between the same two draws as one problem at a time would.
        while remaining > 0 {
            if cursor == size {
                shuffle.shuffle(order, using: &rng)
                cursor = 0
            }
            let m = min(remaining, size - cursor)
            let rows = UnsafeBufferPointer(rebasing: order[cursor..<(cursor &+ m)])
            VectorMath.dotProducts(
                rows: rows, of: features.baseAddress!, rowLength: d, with: theta.baseAddress!, into: batchLogits)
            for j in 0..<m {
                let i = rows[j]
                batchLogits[j] = logits[i] + memorisation[i] + shift + batchLogits[j]
            }
            VectorMath.logistic(UnsafeBufferPointer(rebasing: batchLogits[0..<m]), into: batchProbabilities)
            Binomial.sample(
                trials: configuration.rolloutsPerProblem,
                probabilities: UnsafeBufferPointer(rebasing: batchProbabilities[0..<m]), into: batchSuccesses,
                using: &rng)
            for j in 0..<m {
                countGroup(rows[j], successes: batchSuccesses[j], counts: &counts, informative: &informative)
            }
            cursor &+= m
            remaining &-= m
        }
        finishStep(informative: informative, features: features, rng: &rng)
    }

    /// One group's successes, counted; an informative group (neither all 0 nor all 1) keeps its
    /// problem and signal for the update.
    @inline(__always)
    private func countGroup(
        _ i: Int, successes: Int,
        counts: inout (groups: Int, allZero: Int, allOne: Int, rewardSum: Int), informative: inout Int
    ) {
        let n = configuration.rolloutsPerProblem
        counts.groups &+= 1
        counts.rewardSum &+= successes
        if successes == 0 {
            counts.allZero &+= 1
            return
        }
        if successes == n {
            counts.allOne &+= 1
            return
        }
        visited[informative] = i
        signals[informative] = signalOfSuccesses[successes]
        informative &+= 1
    }

    /// The shared update from the step's informative groups, with gradient noise, memorisation
    /// of each visited problem, and step-size damage.
    @inline(__always)
    private func finishStep(informative: Int, features: UnsafeBufferPointer<Double>, rng: inout Xoshiro256StarStar) {
        let p = parameters
        let d = p.featureDimension
        let n = configuration.rolloutsPerProblem
        let theta = thetaBuffer
        let memorisation = memorisationBuffer
        let denominator = Double(p.filterZeroVariance ? max(informative, 1) : configuration.problemsPerBatch)
        let scale = learningRate / denominator
        for k in 0..<d { gradient[k] = 0 }
        var signalSum = 0.0
        let ownRate = scale * (p.coherentMemorisation + p.exposureMemorisation / Double(n).squareRoot())
        var stepDamage = 0.0
        VectorMath.accumulate(
            rows: UnsafeBufferPointer(rebasing: visited[0..<informative]),
            weights: UnsafeBufferPointer(rebasing: signals[0..<informative]), of: features.baseAddress!,
            rowLength: d, into: gradient)
        for j in 0..<informative {
            let i = visited[j]
            let g = signals[j]
            signalSum += g
            let own = ownRate * g
            memorisation[i] += own
            if own > p.stepThreshold { stepDamage += p.stepDamage * (own - p.stepThreshold) * (own - p.stepThreshold) }
        }
        let noise = learningRate * p.gradientNoise / denominator * (Double(informative) / Double(n)).squareRoot()
        let pull = 2 * p.curvature * signalSum
        for k in 0..<d {
            theta[k] += scale * (gradient[k] - pull * theta[k]) + (noise > 0 ? noise * Normal.standard(using: &rng) : 0)
        }
        damage += stepDamage
    }

    /// Metrics of the current step: the logits of every validation and train problem by two
    /// BLAS products (Φᵀθ), exact expectations, a sampled avg@4, train pass-rate quantiles.
    func evaluate() {
        let theta = self.theta
        let offset = -parameters.curvature * theta.reduce(0) { $0 + $1 * $1 } - damage
        let validation = population.validationFeatures.multiplied(.transposed, by: theta)
        let train = population.trainFeatures.multiplied(.transposed, by: theta)
        let memorisation = memorisationBuffer
        let rewards = Self.logistics(count: population.validationSize) { j in
            population.validationLogits[j] + validation[j] + offset
        }
        let rates = Self.logistics(count: population.trainSize) { i in
            population.trainLogits[i] + train[i] + memorisation[i] + offset
        }
        record(validationRewards: rewards, trainPassRates: rates)
    }

    /// `logistic(logit(i))` for `i < count`, the exponentials in one vector call.
    private static func logistics(count: Int, _ logit: (Int) -> Double) -> [Double] {
        let logits = (0..<count).map(logit)
        return [Double](unsafeUninitializedCapacity: count) { out, initialized in
            logits.withUnsafeBufferPointer { VectorMath.logistic($0, into: out) }
            initialized = count
        }
    }

    /// Stores the metrics of the current step.
    func record(validationRewards: [Double], trainPassRates rates: [Double]) {
        if step == 0 { initialTrainPassRates = rates }
        trainPassRates = rates
        let rollouts = Double(step) * Double(configuration.rolloutsPerStep)
        let tokens = rollouts * parameters.tokensPerRollout
        func add(_ metric: MetricName, _ value: Double) {
            points.append(MetricPoint(step: step, rollouts: rollouts, tokens: tokens, metric: metric, value: value))
        }
        let v = Double(validationRewards.count)
        add(.validationReward, validationRewards.reduce(0, +) / v)
        var draws = [Int](repeating: 0, count: validationRewards.count)
        validationRewards.withUnsafeBufferPointer { rewards in
            draws.withUnsafeMutableBufferPointer {
                Binomial.sample(trials: 4, probabilities: rewards, into: $0, using: &evaluationRNG)
            }
        }
        let sampled = draws.reduce(0, +)
        add(SimulationMetrics.sampledValidationReward, Double(sampled) / (4 * v))
        func fourth(_ x: Double) -> Double { (x * x) * (x * x) }
        add(.validationBest(at: 4), validationRewards.reduce(0) { $0 + 1 - fourth(1 - $1) } / v)
        add(.validationWorst(at: 4), validationRewards.reduce(0) { $0 + fourth($1) } / v)
        let meanRate = rates.reduce(0, +) / Double(rates.count)
        add(.trainReward, groups > 0 ? Double(rewardSum) / Double(groups * configuration.rolloutsPerProblem) : meanRate)
        add(SimulationMetrics.trainPassRate, meanRate)
        if groups > 0 {
            add(SimulationMetrics.fractionAllZero, Double(allZero) / Double(groups))
            add(SimulationMetrics.fractionAllOne, Double(allOne) / Double(groups))
            add(.fractionZeroStd, Double(allZero + allOne) / Double(groups))
        }
        for (metric, value) in zip(
            SimulationMetrics.trainPassRateQuantiles.map(\.0),
            quantiles(rates, SimulationMetrics.trainPassRateQuantiles.map(\.1)))
        {
            add(metric, value)
        }
        (groups, allZero, allOne, rewardSum) = (0, 0, 0, 0)
    }
}

/// The simulator's metric names beyond the canonical ones.
public enum SimulationMetrics {
    /// avg@4 over the validation set from 4 sampled answers per problem (the paper's estimator).
    public static let sampledValidationReward: MetricName = "val_avg@4"
    /// Exact mean pass@1 over the train problems.
    public static let trainPassRate: MetricName = "train_pass@1"
    /// Fractions of training groups, since the previous evaluation, with no success / all successes.
    public static let fractionAllZero: MetricName = "frac_all_zero"
    public static let fractionAllOne: MetricName = "frac_all_one"
    /// Quantiles (linear interpolation) of per-problem train pass@1.
    public static let trainPassRateQuantiles: [(MetricName, Double)] = [
        ("train_pass@1_q10", 0.1), ("train_pass@1_q25", 0.25), ("train_pass@1_q50", 0.5),
        ("train_pass@1_q75", 0.75), ("train_pass@1_q90", 0.9),
    ]
}
