public import Domain
import Foundation
import NumericCore

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

    public init(source: PopulationSource, trainSize: Int, validationSize: Int = 300,
                parameters: SimulationParameters = .standard, workers: Int? = nil) {
        self.parameters = parameters
        self.source = source
        self.trainSize = trainSize
        self.validationSize = validationSize
        self.workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs `configurations` (validated first; nothing runs if one is bad).
    public func run(_ configurations: [SimulationConfiguration], runName: (SimulationConfiguration) -> Run,
                    progress: any ProgressReporter = SilentProgress()) throws(DomainError) -> [SimulatedRun] {
        for configuration in configurations { try configuration.validate(trainSize: trainSize) }
        guard trainSize >= 1, validationSize >= 1 else {
            throw .invalid(field: "problems", value: String(trainSize), reason: "need at least one train and one validation problem")
        }
        let seeds = Array(Set(configurations.map(\.seed))).sorted()
        let populations = parallelMap(count: seeds.count, workers: workers, makeState: { () }) { [self] _, i in
            Population(source: source, trainSize: trainSize, validationSize: validationSize, parameters: parameters, seed: seeds[i])
        }
        let populationIndex = Dictionary(uniqueKeysWithValues: seeds.enumerated().map { ($0.element, $0.offset) })
        let states = configurations.map { c in
            RunState(configuration: c, population: populations[populationIndex[c.seed]!], parameters: parameters)
        }
        let totalSteps = configurations.reduce(0) { $0 + $1.steps }
        progress.begin("simulate", total: totalSteps)
        // Evaluation rounds: in round k every run advances to its k-th evaluation step (runs have
        // different step counts, so a run with fewer points than k is done).
        let rounds = states.map(\.evaluationSteps.count).max() ?? 0
        let box = StateBox(states)
        for round in 0..<rounds {
            let active = states.indices.filter { round < states[$0].evaluationSteps.count }
            _ = parallelMap(count: active.count, workers: workers, makeState: { () }) { _, i -> Int in
                let state = box.states[active[i]]
                let before = state.step
                state.advance(to: state.evaluationSteps[round])
                return state.step - before
            }.reduce(0, +).advance(progress)
            for p in populations.indices {
                let group = active.filter { populationIndex[states[$0].configuration.seed] == p }
                if !group.isEmpty { evaluate(group.map { states[$0] }, population: populations[p]) }
            }
        }
        progress.end()
        return states.map { state in
            var run = runName(state.configuration)
            run.learningRate = state.learningRate
            return SimulatedRun(configuration: state.configuration, run: run, points: state.points,
                                initialTrainPassRates: state.initialTrainPassRates, finalTrainPassRates: state.trainPassRates)
        }
    }

    /// Metrics of every run in `group` (one population): logits by two `dgemm`s, then exact
    /// expectations, a sampled avg@4, and quantiles of the train pass rates.
    func evaluate(_ group: [RunState], population: Population) {
        let d = parameters.featureDimension
        let theta = Matrix(rows: d, columns: group.count, columnMajor: group.flatMap(\.theta))
        let validation = population.validationFeatures.multiplied(.transposed, by: theta)
        let train = population.trainFeatures.multiplied(.transposed, by: theta)
        for (r, state) in group.enumerated() {
            let offset = -parameters.curvature * state.theta.reduce(0) { $0 + $1 * $1 } - state.damage
            var rewards = [Double](repeating: 0, count: population.validationSize)
            for j in 0..<population.validationSize {
                rewards[j] = logistic(population.validationLogits[j] + validation[j, r] + offset)
            }
            var passRates = [Double](repeating: 0, count: population.trainSize)
            for i in 0..<population.trainSize {
                passRates[i] = logistic(population.trainLogits[i] + train[i, r] + state.memorisation[i] + offset)
            }
            state.record(validationRewards: rewards, trainPassRates: passRates)
        }
    }
}

private extension Int {
    func advance(_ progress: any ProgressReporter) { if self > 0 { progress.advance(by: self) } }
}

/// The run states, shared with the worker threads; each worker touches only its own indices.
private final class StateBox: @unchecked Sendable {
    let states: [RunState]
    init(_ states: [RunState]) { self.states = states }
}

/// One run's mutable state and its GRPO step.
final class RunState {
    let configuration: SimulationConfiguration
    let population: Population
    let parameters: SimulationParameters
    let evaluationSteps: [Int]
    let learningRate: Double
    private(set) var theta: [Double]
    /// τ_i: each train problem's own (memorised) logit offset.
    private(set) var memorisation: [Double]
    /// h: accumulated damage subtracted from every logit.
    private(set) var damage = 0.0
    private(set) var step = 0
    private(set) var points: [MetricPoint] = []
    private(set) var initialTrainPassRates: [Double] = []
    private(set) var trainPassRates: [Double] = []

    private var rng: Xoshiro256StarStar
    private var evaluationRNG: Xoshiro256StarStar
    private var order: [Int]
    private var cursor: Int
    // Since the last evaluation: groups, all-0 and all-1 groups, summed rewards.
    private var groups = 0, allZero = 0, allOne = 0, rewardSum = 0
    // Step buffers.
    private var gradient: [Double]
    private var visited: [Int] = []
    private var signals: [Double] = []

    init(configuration: SimulationConfiguration, population: Population, parameters: SimulationParameters) {
        self.configuration = configuration
        self.population = population
        self.parameters = parameters
        evaluationSteps = EvaluationGrid.steps(rolloutsPerStep: configuration.rolloutsPerStep, budget: configuration.budget)
        learningRate = parameters.baseLearningRate
            * (Double(configuration.rolloutsPerStep) / parameters.referenceBatch).squareRoot()
        theta = [Double](repeating: 0, count: parameters.featureDimension)
        memorisation = [Double](repeating: 0, count: population.trainSize)
        gradient = theta
        let stream = UInt64(configuration.rolloutsPerProblem) &* 0x9E37_79B9_7F4A_7C15
            ^ UInt64(configuration.problemsPerBatch) &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(configuration.fixedBatch ?? 0)
        rng = Xoshiro256StarStar(seed: configuration.seed, stream: stream)
        evaluationRNG = Xoshiro256StarStar(seed: configuration.seed, stream: ~stream)
        order = Array(0..<population.trainSize)
        cursor = population.trainSize  // shuffle before the first step
    }

    /// Advances to `target` steps.
    func advance(to target: Int) {
        while step < target { takeStep() }
    }

    /// One GRPO step: B_p problems from the epoch's shuffled order, exact binomial successes per
    /// group, group-relative signals, the shared update with gradient noise, memorisation of each
    /// visited problem, and step-size damage.
    private func takeStep() {
        let p = parameters
        let d = p.featureDimension
        let n = configuration.rolloutsPerProblem
        let features = population.trainFeatures.storage
        let shift = -p.curvature * theta.reduce(0) { $0 + $1 * $1 } - damage
        visited.removeAll(keepingCapacity: true)
        signals.removeAll(keepingCapacity: true)
        for b in 0..<configuration.problemsPerBatch {
            _ = b
            if cursor == order.count {
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
                cursor = 0
            }
            let i = order[cursor]
            cursor &+= 1
            var z = population.trainLogits[i] + memorisation[i] + shift
            let base = i &* d
            for k in 0..<d { z += features[base &+ k] * theta[k] }
            let successes = Binomial.sample(trials: n, probability: logistic(z), using: &rng)
            groups &+= 1
            rewardSum &+= successes
            if successes == 0 { allZero &+= 1; continue }
            if successes == n { allOne &+= 1; continue }
            let mu = Double(successes) / Double(n)
            visited.append(i)
            signals.append(p.standardiseAdvantages ? (mu * (1 - mu)).squareRoot() : mu * (1 - mu))
        }
        let informative = visited.count
        let denominator = Double(p.filterZeroVariance ? max(informative, 1) : configuration.problemsPerBatch)
        let scale = learningRate / denominator
        for k in 0..<d { gradient[k] = 0 }
        var signalSum = 0.0
        let ownRate = scale * (p.coherentMemorisation + p.exposureMemorisation / Double(n).squareRoot())
        var stepDamage = 0.0
        for (i, g) in zip(visited, signals) {
            let base = i &* d
            for k in 0..<d { gradient[k] += g * features[base &+ k] }
            signalSum += g
            let own = ownRate * g
            memorisation[i] += own
            if own > p.stepThreshold { stepDamage += p.stepDamage * (own - p.stepThreshold) * (own - p.stepThreshold) }
        }
        let noise = p.gradientNoise / denominator * (Double(informative) / Double(n)).squareRoot()
        let pull = 2 * p.curvature * signalSum
        for k in 0..<d {
            let g = gradient[k] - pull * theta[k]
            theta[k] += scale * g + (noise > 0 ? learningRate * noise * Normal.standard(using: &rng) : 0)
        }
        damage += stepDamage
        step &+= 1
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
        var sampled = 0
        for reward in validationRewards { sampled += Binomial.sample(trials: 4, probability: reward, using: &evaluationRNG) }
        add(SimulationMetrics.sampledValidationReward, Double(sampled) / (4 * v))
        add(.validationBest(at: 4), validationRewards.reduce(0) { $0 + 1 - pow(1 - $1, 4) } / v)
        add(.validationWorst(at: 4), validationRewards.reduce(0) { $0 + pow($1, 4) } / v)
        let meanRate = rates.reduce(0, +) / Double(rates.count)
        add(.trainReward, groups > 0 ? Double(rewardSum) / Double(groups * configuration.rolloutsPerProblem) : meanRate)
        add(SimulationMetrics.trainPassRate, meanRate)
        if groups > 0 {
            add(SimulationMetrics.fractionAllZero, Double(allZero) / Double(groups))
            add(SimulationMetrics.fractionAllOne, Double(allOne) / Double(groups))
            add(.fractionZeroStd, Double(allZero + allOne) / Double(groups))
        }
        let sorted = rates.sorted()
        for (metric, q) in SimulationMetrics.trainPassRateQuantiles {
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
            add(metric, sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low]))
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
