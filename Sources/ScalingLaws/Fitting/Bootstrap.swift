public import Domain
import Foundation
import NumericCore

/// Bootstrap uncertainty of a fit: quantiles and spread of the parameters over resamples.
public struct BootstrapSummary: Sendable, Codable, Equatable {
    /// Resamples drawn.
    public var resamples: Int
    /// The seed of the resampling.
    public var seed: UInt64
    /// Standard deviation of each parameter over the resamples (ddof = 1).
    public var standardErrors: [Double]
    /// 2.5% quantile of each parameter (linear interpolation between order statistics).
    public var lower95: [Double]
    /// 97.5% quantile of each parameter.
    public var upper95: [Double]
    /// Median of each parameter.
    public var medians: [Double]
    /// Resamples whose fit did not reach the gradient tolerance. `CurveFitter.bootstrap` keeps
    /// them in the quantiles; the frontier's pipeline bootstrap leaves them out (they failed).
    public var notConverged: Int
    /// The fitted parameters of every resample, one row each (for further summaries).
    public var samples: [[Double]]
}

extension CurveFitter {
    /// Bootstrap over points (Epoch AI's procedure): each resample draws `n` points with
    /// replacement and is fitted by one Levenberg–Marquardt descent warm-started from the
    /// full-data optimum `fit`, converged to the options' gradient tolerance (1e-10 by default).
    ///
    /// Resample `i` draws its indices from `Xoshiro256StarStar(seed: seed, stream: i)`, so the
    /// result does not depend on `workers` or scheduling. `indices`, when given, replaces the
    /// random draws (to reproduce a peer's resamples exactly).
    public static func bootstrap(
        _ family: any CurveFamily, data: FitData, fit: CurveFit, options: FitOptions = FitOptions(),
        resamples: Int, seed: UInt64 = 0, indices: [[Int]]? = nil, workers: Int? = nil,
        progress: any ProgressReporter = SilentProgress()
    ) throws(FitError) -> BootstrapSummary {
        precondition(resamples >= 2, "bootstrap needs at least 2 resamples")
        let problem = try Problem(family, data, options)
        let prepared = problem.prepared
        let n = prepared.count
        if let indices {
            guard indices.count == resamples, indices.allSatisfy({ $0.allSatisfy { (0..<n).contains($0) } }) else {
                throw .invalidStart("resample indices must be \(resamples) rows of indices in 0..<\(n)")
            }
        }
        let start = fit.parameters
        let threadCount = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        progress.begin("bootstrap", total: resamples)
        defer { progress.end() }
        let fits = parallelMap(count: resamples, workers: threadCount) { i in
            defer { progress.advance(by: 1) }
            let rows: [Int]
            if let indices {
                rows = indices[i]
            } else {
                var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(i))
                rows = (0..<n).map { _ in Int(rng.next() % UInt64(n)) }
            }
            let solver = LevenbergMarquardtSolver(
                family: problem.family, prepared: prepared.resampled(rows),
                lower: problem.lower, upper: problem.upper, options: problem.options)
            return solver.run(from: start)
        }
        return BootstrapSummary(
            samples: fits.map(\.parameters), seed: seed,
            notConverged: fits.filter { $0.status != .converged }.count)
    }
}

extension BootstrapSummary {
    /// Summarises resampled parameter vectors (one row per resample).
    init(samples: [[Double]], seed: UInt64, notConverged: Int) {
        let p = samples.first?.count ?? 0
        let columns = (0..<p).map { j in samples.map { $0[j] }.sorted() }
        self.init(
            resamples: samples.count, seed: seed, standardErrors: columns.map(standardDeviation),
            lower95: columns.map { quantile(sorted: $0, 0.025) }, upper95: columns.map { quantile(sorted: $0, 0.975) },
            medians: columns.map { quantile(sorted: $0, 0.5) }, notConverged: notConverged, samples: samples)
    }
}

/// The q-quantile of sorted values, linear between order statistics (numpy's default).
func quantile(sorted values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let position = q * Double(values.count - 1)
    let low = Int(position.rounded(.down))
    let high = min(low + 1, values.count - 1)
    return values[low] + (values[high] - values[low]) * (position - Double(low))
}

/// Sample standard deviation (ddof = 1).
func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
}
