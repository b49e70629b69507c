import Foundation

/// The runs of one configuration (seeds of the same n, B_p and recipe) combined into one curve
/// with the noise of its points, before record-breaking points are taken.
struct CombinedSeeds {
    /// `(compute, mean value)` on the union of the runs' compute values, ordered by compute.
    var points: [(compute: Double, value: Double)]
    /// Standard deviation of one point of the mean curve, or `nil` when it cannot be estimated
    /// (a single run of fewer than four points).
    var noise: Double?
    /// Runs combined.
    var seeds: Int

    /// Combines runs given as `(compute, value)` series ordered by compute.
    ///
    /// Each run is read at every compute value of any run inside its own range (linear
    /// interpolation between its neighbouring evaluations, so seeds evaluated at different
    /// intervals still line up), and the points are averaged over the runs that cover them.
    /// Noise: with two or more runs, the seeds' spread (the root mean square, over points covered
    /// by two or more runs, of the point's sample standard deviation over √(runs covering it)); with one run, the
    /// second differences of its values (``secondDifferenceNoise(_:)``), which a linear trend
    /// does not inflate.
    init(_ runs: [[(compute: Double, value: Double)]]) {
        let runs = runs.filter { !$0.isEmpty }
        seeds = runs.count
        let grid = Array(Set(runs.flatMap { $0.map(\.compute) })).sorted()
        var points: [(compute: Double, value: Double)] = []
        // Σ over points seen by two or more runs of (sample variance / runs seen there): the
        // squared noise of the mean at each point.
        var sumOfMeanVariances = 0.0
        var varianceCount = 0
        for x in grid {
            let values = runs.compactMap { Self.interpolate($0, at: x) }
            guard !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            points.append((x, mean))
            if values.count >= 2 {
                let sampleVariance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
                sumOfMeanVariances += sampleVariance / Double(values.count)
                varianceCount += 1
            }
        }
        self.points = points
        if runs.count >= 2, varianceCount > 0 {
            noise = (sumOfMeanVariances / Double(varianceCount)).squareRoot()
        } else {
            noise = Self.secondDifferenceNoise(points.map(\.value))
        }
    }

    /// The run's value at `x` by linear interpolation in compute, `nil` outside its range.
    static func interpolate(_ run: [(compute: Double, value: Double)], at x: Double) -> Double? {
        guard let first = run.first, let last = run.last, x >= first.compute, x <= last.compute else { return nil }
        var low = 0
        var high = run.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if run[middle].compute <= x { low = middle } else { high = middle }
        }
        let (a, b) = (run[low], run[high])
        guard b.compute > a.compute else { return x == b.compute ? b.value : a.value }
        return a.value + (b.value - a.value) * (x - a.compute) / (b.compute - a.compute)
    }

    /// Noise of a single series from its second differences `dᵢ = vᵢ₊₁ − 2vᵢ + vᵢ₋₁`
    /// (variance 6σ² for independent noise, and a linear trend cancels), estimated robustly as
    /// `1.4826·median|dᵢ|/√6`, so a collapse or a jump does not count as noise (`nil` below four
    /// points).
    static func secondDifferenceNoise(_ values: [Double]) -> Double? {
        guard values.count >= 4 else { return nil }
        let magnitudes = (1..<(values.count - 1)).map { i -> Double in
            let d: Double = values[i + 1] - 2 * values[i] + values[i - 1]
            return abs(d)
        }.sorted()
        let median = quantile(sorted: magnitudes, 0.5)
        return 1.4826 * median / 6.0.squareRoot()
    }
}
