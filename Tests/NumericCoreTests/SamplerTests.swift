import Foundation
import IsoplanTestSupport
import NumericCore
import Testing

@Suite("Samplers")
struct SamplerTests {
    static let binomialTrials = [1, 8, 64, 2048]
    static let binomialProbabilities = [1e-4, 0.03, 0.5, 0.97]
    static let seeds: [UInt64] = [0, 1, 2, 3, 4]

    /// `P(X = k)` for `X ~ Binomial(n, p)`, from log-space terms.
    static func binomialPMF(_ k: Int, n: Int, p: Double) -> Double {
        exp(logChoose(Double(n), Double(k)) + Double(k) * log(p) + Double(n - k) * log1p(-p))
    }

    /// 10⁶ draws of Binomial(n, p): chi-square against the exact pmf (bins pooled to expected ≥ 5)
    /// must give p ≥ 1e-4, and mean and variance must lie within 4 standard errors.
    @Test(arguments: binomialTrials, binomialProbabilities)
    func binomialIsExact(n: Int, p: Double) {
        let draws = 1_000_000
        for seed in Self.seeds {
            var rng = Xoshiro256StarStar(seed: seed)
            var counts = [Double](repeating: 0, count: n + 1)
            var sum = 0.0, sumSquares = 0.0
            for _ in 0..<draws {
                let k = Binomial.sample(trials: n, probability: p, using: &rng)
                counts[k] += 1
                sum += Double(k)
                sumSquares += Double(k) * Double(k)
            }
            let expected = (0...n).map { Double(draws) * Self.binomialPMF($0, n: n, p: p) }
            let test = ChiSquareTest(observed: counts, expected: expected)
            #expect(test.pValue >= 1e-4, "n=\(n) p=\(p) seed=\(seed): χ²=\(test.statistic) df=\(test.degreesOfFreedom) p=\(test.pValue)")

            let q = 1 - p, nd = Double(n), N = Double(draws)
            let mean = nd * p, variance = nd * p * q
            let fourthCentral = variance * (1 + 3 * (nd - 2) * p * q)
            let sampleMean = sum / N
            let sampleVariance = (sumSquares - N * sampleMean * sampleMean) / (N - 1)
            #expect(abs(sampleMean - mean) <= 4 * (variance / N).squareRoot(), "mean, n=\(n) p=\(p) seed=\(seed)")
            #expect(abs(sampleVariance - variance) <= 4 * Self.varianceStandardError(variance, fourthCentral, N),
                    "variance, n=\(n) p=\(p) seed=\(seed)")
        }
    }

    /// Standard error of the sample variance of N draws: `sqrt((μ₄ − σ⁴·(N − 3)/(N − 1))/N)`, exact
    /// (the first-order `μ₄ − σ⁴` vanishes for Bernoulli(½)).
    static func varianceStandardError(_ variance: Double, _ fourthCentral: Double, _ n: Double) -> Double {
        ((fourthCentral - variance * variance * (n - 3) / (n - 1)) / n).squareRoot()
    }

    @Test func binomialEdgeCases() {
        var rng = Xoshiro256StarStar(seed: 9)
        #expect(Binomial.sample(trials: 0, probability: 0.3, using: &rng) == 0)
        #expect(Binomial.sample(trials: 50, probability: 0, using: &rng) == 0)
        #expect(Binomial.sample(trials: 50, probability: 1, using: &rng) == 50)
        let big = Binomial(trials: 1 << 40, probability: 0.25)
        let draw = Double(big.sample(using: &rng))
        // Mean 2^38, SD ≈ 4.5e5: 10 SD.
        #expect(abs(draw - Double(1 << 38)) < 10 * (Double(1 << 40) * 0.25 * 0.75).squareRoot())
    }

    /// Moments within 4 standard errors and a Kolmogorov–Smirnov p ≥ 1e-4, for seeds 0–4.
    static func checkContinuous(
        _ name: String, mean: Double, variance: Double, fourthCentral: Double,
        cdf: (Double) -> Double, draws: Int = 200_000, sample: (inout Xoshiro256StarStar) -> Double
    ) {
        for seed in seeds {
            var rng = Xoshiro256StarStar(seed: seed)
            let xs = (0..<draws).map { _ in sample(&rng) }
            let n = Double(draws)
            let m = xs.reduce(0, +) / n
            let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
            #expect(abs(m - mean) <= 4 * (variance / n).squareRoot(), "\(name) mean, seed \(seed): \(m) vs \(mean)")
            #expect(abs(v - variance) <= 4 * varianceStandardError(variance, fourthCentral, n),
                    "\(name) variance, seed \(seed): \(v) vs \(variance)")
            let ks = KolmogorovSmirnovTest(sample: xs, cdf: cdf)
            #expect(ks.pValue >= 1e-4, "\(name) KS, seed \(seed): D=\(ks.statistic) p=\(ks.pValue)")
        }
    }

    @Test(arguments: [(0.0, 1.0), (-3.0, 0.25), (100.0, 20.0)])
    func normal(mean: Double, sd: Double) {
        let dist = Normal(mean: mean, standardDeviation: sd)
        Self.checkContinuous("Normal(\(mean), \(sd))", mean: mean, variance: sd * sd, fourthCentral: 3 * pow(sd, 4),
                             cdf: { standardNormalCDF(($0 - mean) / sd) }) { dist.sample(using: &$0) }
    }

    @Test func normalTailBeyondZigguratBase() {
        // P(|Z| > 3.5) = 4.65e-4: the tail sampler must deliver it (4 SE on 2e6 draws).
        var rng = Xoshiro256StarStar(seed: 5)
        let draws = 2_000_000
        var beyond = 0
        for _ in 0..<draws where abs(Normal.standard(using: &rng)) > 3.5 { beyond += 1 }
        let p = 2 * standardNormalCDF(-3.5)
        #expect(abs(Double(beyond) / Double(draws) - p) <= 4 * (p * (1 - p) / Double(draws)).squareRoot())
    }

    @Test(arguments: [0.05, 0.25, 1.0, 2.5, 30.0])
    func gamma(shape: Double) {
        let dist = Gamma(shape: shape, scale: 2)
        // Scale θ: mean kθ, variance kθ², fourth central moment 3k(k + 2)θ⁴.
        Self.checkContinuous("Gamma(\(shape), 2)", mean: 2 * shape, variance: 4 * shape,
                             fourthCentral: 3 * shape * (shape + 2) * 16,
                             cdf: { regularizedGammaP(a: shape, x: max(0, $0) / 2) }) { dist.sample(using: &$0) }
    }

    @Test(arguments: [(0.25, 1.0), (0.5, 0.5), (2.0, 5.0), (30.0, 0.7)])
    func beta(a: Double, b: Double) {
        let dist = Beta(alpha: a, beta: b)
        let s = a + b
        let mean = a / s
        let variance = a * b / (s * s * (s + 1))
        // Fourth central moment of Beta(a, b).
        let fourth = 3 * a * b * (a * b * (s - 2) + 2 * s * s) / (s * s * s * s * (s + 1) * (s + 2) * (s + 3))
        Self.checkContinuous("Beta(\(a), \(b))", mean: mean, variance: variance, fourthCentral: fourth,
                             cdf: { regularizedIncompleteBeta(x: min(1, max(0, $0)), a: a, b: b) }) {
            dist.sample(using: &$0)
        }
    }

    @Test func bernoulliAndUniform() {
        var rng = Xoshiro256StarStar(seed: 11)
        let draws = 400_000
        let hits = (0..<draws).reduce(0) { acc, _ in acc + (Bernoulli(probability: 0.3).sample(using: &rng) ? 1 : 0) }
        #expect(abs(Double(hits) / Double(draws) - 0.3) <= 4 * (0.21 / Double(draws)).squareRoot())
        Self.checkContinuous("Uniform(-2, 6)", mean: 2, variance: 64.0 / 12, fourthCentral: pow(8, 4) / 80,
                             cdf: { min(1, max(0, ($0 + 2) / 8)) }) { Uniform(lowerBound: -2, upperBound: 6).sample(using: &$0) }
    }
}
