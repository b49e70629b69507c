#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The standard normal CDF `Φ(x) = ½·erfc(−x/√2)`, accurate in both tails.
public func standardNormalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x / 2.0.squareRoot())
}

/// Pearson's chi-square test of observed counts against expected counts.
public struct ChiSquareTest: Sendable {
    /// `Σ (Oᵢ − Eᵢ)²/Eᵢ` over the pooled bins.
    public let statistic: Double
    /// Pooled bins − 1 − `estimatedParameters`.
    public let degreesOfFreedom: Int
    /// `P(χ²_df ≥ statistic) = Q(df/2, statistic/2)`.
    public let pValue: Double

    /// Pools adjacent bins, left to right, until each pooled bin expects at least
    /// `minimumExpected` (a leftover tail merges into the last pooled bin), then computes
    /// the statistic.
    ///
    /// - Parameters:
    ///   - observed: counts per bin.
    ///   - expected: expected counts per bin (same length; the totals should agree).
    ///   - estimatedParameters: parameters fitted from the same data (reduce the df).
    /// - Precondition: equal lengths, at least two pooled bins.
    public init(observed: [Double], expected: [Double], minimumExpected: Double = 5, estimatedParameters: Int = 0) {
        precondition(observed.count == expected.count, "ChiSquareTest: observed and expected differ in length")
        var pooled: [(o: Double, e: Double)] = []
        var o = 0.0
        var e = 0.0
        for (oi, ei) in zip(observed, expected) {
            o += oi
            e += ei
            if e >= minimumExpected {
                pooled.append((o, e))
                o = 0
                e = 0
            }
        }
        if e > 0 || o > 0 {
            if pooled.isEmpty {
                pooled.append((o, e))
            } else {
                pooled[pooled.count - 1].o += o
                pooled[pooled.count - 1].e += e
            }
        }
        precondition(pooled.count >= 2, "ChiSquareTest needs at least two bins after pooling")
        statistic = pooled.reduce(0) { $0 + ($1.o - $1.e) * ($1.o - $1.e) / $1.e }
        degreesOfFreedom = pooled.count - 1 - estimatedParameters
        pValue = regularizedGammaQ(a: Double(degreesOfFreedom) / 2, x: statistic / 2)
    }
}

/// The one-sample Kolmogorov–Smirnov test of a sample against a continuous CDF.
public struct KolmogorovSmirnovTest: Sendable {
    /// `D = sup |F_n(x) − F(x)|`.
    public let statistic: Double
    /// The asymptotic p-value `Q_KS((√n + 0.12 + 0.11/√n)·D)` (Stephens 1970), good for n ≥ 35.
    public let pValue: Double

    /// - Complexity: O(n log n) for the sort.
    public init(sample: [Double], cdf: (Double) -> Double) {
        precondition(!sample.isEmpty, "KolmogorovSmirnovTest needs a sample")
        let sorted = sample.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
        }
        statistic = d
        let sqrtN = n.squareRoot()
        pValue = KolmogorovSmirnovTest.survival((sqrtN + 0.12 + 0.11 / sqrtN) * d)
    }

    /// `Q_KS(λ) = 2·Σ_{k≥1} (−1)^(k−1)·e^(−2k²λ²)`, the Kolmogorov distribution's survival function.
    public static func survival(_ lambda: Double) -> Double {
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let term = sign * exp(-2 * Double(k * k) * lambda * lambda)
            sum += term
            if abs(term) < 1e-16 * abs(sum) { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }
}
