public import Domain
import Foundation
public import NumericCore

/// Where a population's base success rates come from.
public enum PopulationSource: Codable, Sendable, Hashable {
    /// A named population of the study.
    case difficulty(Difficulty)
    /// p ~ Beta(α, β).
    case beta(alpha: Double, beta: Double)
    /// Measured counts: each problem resamples a task and draws p from its Jeffreys posterior
    /// Beta(c + ½, n − c + ½).
    case counts(SolveRates)

    public var name: String {
        switch self {
        case .difficulty(let d): d.rawValue
        case .beta(let a, let b): "beta(\(a),\(b))"
        case .counts(let rates): "counts:\(rates.system ?? "file")"
        }
    }
}

/// Train and validation problems: base logits and feature vectors.
public struct Population: Sendable {
    public let source: PopulationSource
    /// a_i = logit(p_i) of the base policy, p clipped to [1e-6, 1 − 1e-6].
    public let trainLogits: [Double]
    public let validationLogits: [Double]
    /// φ_i as the columns of a d × D (train) and d × V (validation) matrix.
    public let trainFeatures: Matrix
    public let validationFeatures: Matrix

    public var trainSize: Int { trainLogits.count }
    public var validationSize: Int { validationLogits.count }

    /// Draws a population (seeded; the same seed gives the same problems for every configuration).
    public init(
        source: PopulationSource, trainSize: Int, validationSize: Int, parameters: SimulationParameters, seed: UInt64
    ) {
        precondition(trainSize >= 1 && validationSize >= 1, "need at least one train and one validation problem")
        self.source = source
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x706F_7075)
        trainLogits = (0..<trainSize).map { _ in logit(min(max(Self.baseRate(source, using: &rng), 1e-6), 1 - 1e-6)) }
        validationLogits = (0..<validationSize).map { _ in
            logit(min(max(Self.baseRate(source, using: &rng), 1e-6), 1 - 1e-6))
        }
        let d = parameters.featureDimension
        let scale = parameters.interference / Double(d).squareRoot()
        func features(_ count: Int) -> Matrix {
            Matrix(
                rows: d, columns: count,
                columnMajor: (0..<(d * count)).map { index in
                    (index % d == 0 ? parameters.sharedStrength : 0) + scale * Normal.standard(using: &rng)
                })
        }
        trainFeatures = features(trainSize)
        validationFeatures = features(validationSize)
    }

    /// Easy: avg@16 bins 5…9 with the paper's counts; hard: 0/16 and 1/16. Within a bin p is the
    /// posterior of a Beta prior given k of m base samples (easy prior Beta(0.6, 0.8), hard
    /// Beta(0.25, 1)), so the population's base avg@16 has exactly the paper's histogram.
    static let easyHistogram: [(k: Int, weight: Double)] = [(5, 1380), (6, 1270), (7, 1150), (8, 1120), (9, 1060)]
    static let hardHistogram: [(k: Int, weight: Double)] = [(0, 4240), (1, 770)]
    /// The Beta priors of those posteriors, and the Jeffreys prior of a counts file's tasks.
    static let easyPrior = (alpha: 0.6, beta: 0.8)
    static let hardPrior = (alpha: 0.25, beta: 1.0)
    static let jeffreysPrior = (alpha: 0.5, beta: 0.5)
    /// The avg@128 bins of the heterogeneous populations' solvable parts.
    static let moderateBin = (low: 0.3, high: 0.6)
    static let highBin = (low: 0.6, high: 0.9)

    /// The counts k of m = 128 samples whose avg@128 lies in `bin`.
    static func counts128(_ bin: (low: Double, high: Double)) -> ClosedRange<Int> {
        Int((bin.low * 128).rounded(.up))...Int((bin.high * 128).rounded(.down))
    }

    static func baseRate(_ source: PopulationSource, using rng: inout Xoshiro256StarStar) -> Double {
        func bin(_ histogram: [(k: Int, weight: Double)]) -> Int {
            var u = rng.nextUniform() * histogram.reduce(0) { $0 + $1.weight }
            for entry in histogram {
                if u < entry.weight { return entry.k }
                u -= entry.weight
            }
            return histogram.last!.k
        }
        func posterior(_ prior: (alpha: Double, beta: Double), k: Int, of m: Int) -> Double {
            Beta(alpha: prior.alpha + Double(k), beta: prior.beta + Double(m - k)).sample(using: &rng)
        }
        /// avg@128 in the bin: k uniform over the bin's counts.
        func avg128(_ bin: (low: Double, high: Double)) -> Double {
            let counts = counts128(bin)
            return posterior(
                easyPrior, k: counts.lowerBound + Int(rng.next() % UInt64(counts.count)), of: 128)
        }
        switch source {
        case .difficulty(let d):
            switch d {
            case .easy: return posterior(easyPrior, k: bin(easyHistogram), of: 16)
            case .hard: return posterior(hardPrior, k: bin(hardHistogram), of: 16)
            case .extremelyHard: return posterior(hardPrior, k: 0, of: 128)
            case .heteroDual:
                return rng.nextUniform() < 0.5 ? posterior(hardPrior, k: 0, of: 128) : avg128(moderateBin)
            case .heteroTri:
                let u = rng.nextUniform()
                return u < 0.5
                    ? posterior(hardPrior, k: 0, of: 128) : (u < 0.75 ? avg128(moderateBin) : avg128(highBin))
            }
        case .beta(let a, let b):
            return Beta(alpha: a, beta: b).sample(using: &rng)
        case .counts(let rates):
            let task = rates.tasks[Int(rng.next() % UInt64(rates.tasks.count))]
            return posterior(jeffreysPrior, k: task.successes, of: task.trials)
        }
    }
}
