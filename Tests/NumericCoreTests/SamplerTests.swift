import Foundation
import IsoplanTestSupport
import Testing

@testable import NumericCore

@Suite("Samplers")
struct SamplerTests {
    static let seeds: [UInt64] = [0, 1, 2, 3, 4]

    /// The grid n ∈ {1, 8, 64, 2048} × p ∈ {1e-4, 0.03, 0.5, 0.97}, plus cells just above
    /// the inversion/BTRD switch at n·p = 10 (BTRD's smallest means), a reflected inversion cell,
    /// and BTRD's two acceptance tests: the log-factorial table's last n and n past it.
    static let binomialCells: [(n: Int, p: Double)] =
        [1, 8, 64, 2048].flatMap { n in [1e-4, 0.03, 0.5, 0.97].map { (n, $0) } }
        + [(2048, 0.005), (20, 0.5), (40, 0.3), (15, 0.6), (4095, 0.4), (10_000, 0.3), (5000, 0.997)]

    /// `P(X = k)` for `X ~ Binomial(n, p)`, from log-space terms.
    static func binomialPMF(_ k: Int, n: Int, p: Double) -> Double {
        exp(logChoose(Double(n), Double(k)) + Double(k) * log(p) + Double(n - k) * log1p(-p))
    }

    /// Chi-square p-value of binomial counts against the exact pmf (bins pooled to expected ≥ 5).
    static func binomialChiSquare(_ counts: [Double], n: Int, p: Double) -> ChiSquareTest {
        let draws = counts.reduce(0, +)
        return ChiSquareTest(observed: counts, expected: (0...n).map { draws * binomialPMF($0, n: n, p: p) })
    }

    /// Standard error of the sample variance of N draws: `sqrt((μ₄ − σ⁴·(N − 3)/(N − 1))/N)`, exact
    /// (the first-order `μ₄ − σ⁴` vanishes for Bernoulli(½)).
    static func varianceStandardError(_ variance: Double, _ fourthCentral: Double, _ n: Double) -> Double {
        ((fourthCentral - variance * variance * (n - 3) / (n - 1)) / n).squareRoot()
    }

    /// 10⁶ draws of Binomial(n, p): chi-square against the exact pmf must give p ≥ 1e-4, and mean
    /// and variance must lie within 4 standard errors.
    @Test(arguments: binomialCells, seeds)
    func binomialIsExact(cell: (n: Int, p: Double), seed: UInt64) {
        let (n, p) = cell
        let draws = 1_000_000
        var rng = Xoshiro256StarStar(seed: seed)
        var counts = [Double](repeating: 0, count: n + 1)
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<draws {
            let k = Binomial.sample(trials: n, probability: p, using: &rng)
            counts[k] += 1
            sum += Double(k)
            sumSquares += Double(k) * Double(k)
        }
        let test = Self.binomialChiSquare(counts, n: n, p: p)
        #expect(test.pValue >= 1e-4, "χ²=\(test.statistic) df=\(test.degreesOfFreedom) p=\(test.pValue)")

        let q = 1 - p
        let nd = Double(n)
        let drawCount = Double(draws)
        let mean = nd * p
        let variance = nd * p * q
        let fourthCentral = variance * (1 + 3 * (nd - 2) * p * q)
        let sampleMean = sum / drawCount
        let sampleVariance = (sumSquares - drawCount * sampleMean * sampleMean) / (drawCount - 1)
        #expect(abs(sampleMean - mean) <= 4 * (variance / drawCount).squareRoot(), "mean")
        #expect(
            abs(sampleVariance - variance) <= 4 * Self.varianceStandardError(variance, fourthCentral, drawCount),
            "variance")
    }

    /// The simulator's pattern: a different p on every draw, crossing ½ and both methods. Draws
    /// are tallied per p, and each tally must match its own pmf.
    @Test(arguments: seeds)
    func binomialWithChangingProbability(seed: UInt64) {
        let n = 256
        let probabilities = [0.004, 0.03, 0.2, 0.5, 0.7, 0.97, 0.999]
        var counts = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: probabilities.count)
        var rng = Xoshiro256StarStar(seed: seed)
        var choice = SplitMix64(seed: seed)
        for _ in 0..<700_000 {
            let which = Int(choice.next() % UInt64(probabilities.count))
            counts[which][Binomial.sample(trials: n, probability: probabilities[which], using: &rng)] += 1
        }
        for (index, p) in probabilities.enumerated() {
            let test = Self.binomialChiSquare(counts[index], n: n, p: p)
            #expect(
                test.pValue >= 1e-4, "p=\(p): χ²=\(test.statistic) df=\(test.degreesOfFreedom) p-value=\(test.pValue)")
        }
    }

    /// Drawing a block of probabilities at once gives the draws one call per probability gives,
    /// in order, from the same generator state, for every method, both halves and the edges.
    @Test(arguments: [1, 8, 16, 17, 64, 2048, 10_000])
    func batchedBinomialMatchesOneAtATime(trials: Int) {
        var choice = SplitMix64(seed: UInt64(trials))
        let probabilities = (0..<1_000).map { i -> Double in
            switch i % 10 {
            case 0: 0
            case 1: 1
            case 2: Double(choice.next() >> 11) * 0x1.0p-53 * 1e-3
            default: Double(choice.next() >> 11) * 0x1.0p-53
            }
        }
        var batchRNG = Xoshiro256StarStar(seed: 11)
        var oneRNG = batchRNG
        var batched = [Int](repeating: -1, count: probabilities.count)
        probabilities.withUnsafeBufferPointer { ps in
            batched.withUnsafeMutableBufferPointer { out in
                Binomial.sample(trials: trials, probabilities: ps, into: out, using: &batchRNG)
            }
        }
        let oneAtATime = probabilities.map { Binomial.sample(trials: trials, probability: $0, using: &oneRNG) }
        #expect(batched == oneAtATime)
        #expect(batchRNG.next() == oneRNG.next(), "both consumed the same uniforms")
    }

    /// Both forms of the batch draws for `n ≤ 16` (AVX2 lanes where the CPU has them, the masked
    /// search in Swift) give the one-at-a-time draws.
    @Test(arguments: [1, 2, 8, 15, 16])
    func fewTrialsFormsMatchOneAtATime(trials: Int) {
        var choice = SplitMix64(seed: UInt64(trials) &+ 100)
        let probabilities = (0..<777).map { i -> Double in
            i % 13 == 0 ? Double(i % 2) : Double(choice.next() >> 11) * 0x1.0p-53
        }
        var oneRNG = Xoshiro256StarStar(seed: 5)
        let expected = probabilities.map { Binomial.sample(trials: trials, probability: $0, using: &oneRNG) }
        var forms: [(String, Bool)] = [("masked", true)]
        if VectorMath.best == .avx2 { forms.append(("lanes", false)) }
        for (name, masked) in forms {
            var rng = Xoshiro256StarStar(seed: 5)
            var found = [Int](repeating: -1, count: probabilities.count)
            probabilities.withUnsafeBufferPointer { ps in
                found.withUnsafeMutableBufferPointer { out in
                    if masked {
                        Binomial.sampleFewTrialsMasked(trials, probabilities: ps, into: out, using: &rng)
                    } else {
                        Binomial.sampleFewTrialsInLanes(trials, probabilities: ps, into: out, using: &rng)
                    }
                }
            }
            #expect(found == expected, "\(name), n = \(trials)")
            var after = oneRNG
            #expect(rng.next() == after.next(), "\(name) consumed the same uniforms")
        }
    }

    /// A generator that returns the given raw values in turn.
    struct ScriptedGenerator: RandomNumberGenerator {
        var values: [UInt64]
        var used = 0
        mutating func next() -> UInt64 {
            defer { used += 1 }
            return values[used]
        }
    }

    /// The inversion's search written out: the count for `p` from the uniform `u`, or −1 when the
    /// search runs past `k = n` (rounding left `u` above the summed mass).
    static func invert(trials n: Int, probability p: Double, uniform: Double) -> Int {
        let flip = p > 0.5
        let lower = flip ? 1 - p : p
        let odds = lower / (1 - lower)
        var (u, pk, k) = (uniform, Binomial.integerPower(1 - lower, n), 0)
        while u > pk {
            u -= pk
            k += 1
            if k > n { return -1 }
            pk *= odds * (Double(n - k + 1) / Double(k))
        }
        return flip ? n - k : k
    }

    /// The AVX2 kernel gives the written-out search's count for every lane, including the −1 of a
    /// search that runs past `k = n` (common with the largest uniform below 1), and the batch call
    /// redraws such a draw with the first uniform after its block's.
    @Test func inversionLanesMatchTheSearchAndRedrawRestarts() throws {
        try #require(VectorMath.best == .avx2, "no AVX2 on this CPU")
        var rng = Xoshiro256StarStar(seed: 31)
        let top = 1.0.nextDown
        for n in [1, 2, 8, 16] {
            let ps = (0..<203).map { _ in rng.nextUniform() }
            let us = ps.indices.map { $0 % 3 == 0 ? top : rng.nextUniform() }
            var found = [Int](repeating: 0, count: ps.count)
            ps.withUnsafeBufferPointer { p in
                us.withUnsafeBufferPointer { u in
                    found.withUnsafeMutableBufferPointer { Binomial.invertInLanes(n, p, uniforms: u, into: $0) }
                }
            }
            let expected = zip(ps, us).map { Self.invert(trials: n, probability: $0, uniform: $1) }
            #expect(found == expected, "n = \(n)")
        }
        // p = 0.4325880652116196 with n = 2 runs past k = n from the top uniform.
        let ps = [0.4325880652116196, 0.3, 0.7]
        #expect(Self.invert(trials: 2, probability: ps[0], uniform: top) == -1)
        let raw: (Double) -> UInt64 = { UInt64($0 * 0x1.0p53) << 11 }
        var scripted = ScriptedGenerator(values: [raw(top), raw(0.25), raw(0.5), raw(0.125)])
        var draws = [Int](repeating: -1, count: 3)
        ps.withUnsafeBufferPointer { p in
            draws.withUnsafeMutableBufferPointer {
                Binomial.sampleFewTrialsInLanes(2, probabilities: p, into: $0, using: &scripted)
            }
        }
        let redrawn = Self.invert(trials: 2, probability: ps[0], uniform: 0.125)
        #expect(
            draws == [
                redrawn, Self.invert(trials: 2, probability: 0.3, uniform: 0.25),
                Self.invert(trials: 2, probability: 0.7, uniform: 0.5),
            ])
        #expect(scripted.used == 4)
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

    /// Raw moments E[Xʳ], r = 1…4, of Beta(a, b): `Π_{i<r} (a + i)/(a + b + i)`.
    static func betaRawMoments(a: Double, b: Double) -> [Double] {
        var result: [Double] = []
        var product = 1.0
        for i in 0..<4 {
            product *= (a + Double(i)) / (a + b + Double(i))
            result.append(product)
        }
        return result
    }

    /// Raw moments E[Xʳ], r = 1…4, of Gamma(k, θ): `θʳ·k(k + 1)…(k + r − 1)`.
    static func gammaRawMoments(shape: Double, scale: Double) -> [Double] {
        var result: [Double] = []
        var product = 1.0
        for i in 0..<4 {
            product *= scale * (shape + Double(i))
            result.append(product)
        }
        return result
    }

    /// Central moments from raw moments `m₁…m₄`.
    static func centralMoments(_ m: [Double]) -> (mean: Double, variance: Double, fourth: Double) {
        let (m1, m2, m3, m4) = (m[0], m[1], m[2], m[3])
        return (m1, m2 - m1 * m1, m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1 * m1 * m1 * m1)
    }

    /// 10⁶ draws: moments within 4 standard errors and a Kolmogorov–Smirnov p ≥ 1e-4.
    static func checkContinuous(
        _ name: String, seed: UInt64, mean: Double, variance: Double, fourthCentral: Double,
        cdf: (Double) -> Double, draws: Int = 1_000_000, sample: (inout Xoshiro256StarStar) -> Double
    ) {
        var rng = Xoshiro256StarStar(seed: seed)
        let xs = (0..<draws).map { _ in sample(&rng) }
        let n = Double(draws)
        let m = xs.reduce(0, +) / n
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        #expect(abs(m - mean) <= 4 * (variance / n).squareRoot(), "\(name) mean: \(m) vs \(mean)")
        #expect(
            abs(v - variance) <= 4 * varianceStandardError(variance, fourthCentral, n),
            "\(name) variance: \(v) vs \(variance)")
        let ks = KolmogorovSmirnovTest(sample: xs, cdf: cdf)
        #expect(ks.pValue >= 1e-4, "\(name) KS: D=\(ks.statistic) p=\(ks.pValue)")
    }

    static let normalCases: [(mean: Double, sd: Double)] = [(0, 1), (-3, 0.25), (100, 20)]

    @Test(arguments: normalCases, seeds)
    func normal(parameters: (mean: Double, sd: Double), seed: UInt64) {
        let (mean, sd) = parameters
        let dist = Normal(mean: mean, standardDeviation: sd)
        Self.checkContinuous(
            "Normal(\(mean), \(sd))", seed: seed, mean: mean, variance: sd * sd,
            fourthCentral: 3 * pow(sd, 4), cdf: { standardNormalCDF(($0 - mean) / sd) },
            sample: { dist.sample(using: &$0) }
        )
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

    @Test(arguments: [0.05, 0.25, 1.0, 2.5, 30.0], seeds)
    func gamma(shape: Double, seed: UInt64) {
        let dist = Gamma(shape: shape, scale: 2)
        let (mean, variance, fourth) = Self.centralMoments(Self.gammaRawMoments(shape: shape, scale: 2))
        Self.checkContinuous(
            "Gamma(\(shape), 2)", seed: seed, mean: mean, variance: variance, fourthCentral: fourth,
            cdf: { regularizedGammaP(a: shape, x: max(0, $0) / 2) },
            sample: { dist.sample(using: &$0) }
        )
    }

    static let betaCases: [(a: Double, b: Double)] = [(0.25, 1), (0.5, 0.5), (2, 5), (30, 0.7)]

    @Test(arguments: betaCases, seeds)
    func beta(parameters: (a: Double, b: Double), seed: UInt64) {
        let (a, b) = parameters
        let dist = Beta(alpha: a, beta: b)
        let (mean, variance, fourth) = Self.centralMoments(Self.betaRawMoments(a: a, b: b))
        Self.checkContinuous(
            "Beta(\(a), \(b))", seed: seed, mean: mean, variance: variance, fourthCentral: fourth,
            cdf: { regularizedIncompleteBeta(x: min(1, max(0, $0)), a: a, b: b) },
            sample: { dist.sample(using: &$0) }
        )
    }

    @Test func momentFormulasMatchKnownCases() {
        // Beta(1, 1) is U(0, 1): μ₄ = 1/80; Beta(½, ½): μ₄ = 3/128.
        let uniform = Self.centralMoments((1...4).map { 1 / Double($0 + 1) })
        expectClose(uniform.fourth, 1.0 / 80, relative: 1e-12)
        let arcsine = Self.centralMoments(Self.betaRawMoments(a: 0.5, b: 0.5))
        expectClose(arcsine.fourth, 3.0 / 128, relative: 1e-12)
    }

    @Test(arguments: seeds)
    func bernoulliAndUniform(seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let draws = 400_000
        let hits = (0..<draws).reduce(0) { acc, _ in acc + (Bernoulli(probability: 0.3).sample(using: &rng) ? 1 : 0) }
        #expect(abs(Double(hits) / Double(draws) - 0.3) <= 4 * (0.21 / Double(draws)).squareRoot())
        Self.checkContinuous(
            "Uniform(-2, 6)", seed: seed, mean: 2, variance: 64.0 / 12, fourthCentral: pow(8, 4) / 80,
            cdf: { min(1, max(0, ($0 + 2) / 8)) },
            sample: { Uniform(lowerBound: -2, upperBound: 6).sample(using: &$0) }
        )
    }
}
