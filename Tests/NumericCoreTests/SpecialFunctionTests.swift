import Foundation
import IsoplanTestSupport
import NumericCore
import Testing

@Suite("Special functions and goodness-of-fit")
struct SpecialFunctionTests {
    struct Golden: Decodable {
        struct LogGammaCase: Decodable {
            let x: Double
            let value: Double
        }
        struct BetaCase: Decodable {
            let a: Double
            let b: Double
            let x: Double
            let value: Double
        }
        struct GammaCase: Decodable {
            let a: Double
            let x: Double
            let value: Double
        }
        let logGamma: [LogGammaCase]
        let incompleteBeta: [BetaCase]
        let gammaP: [GammaCase]
        let gammaQ: [GammaCase]
    }

    @Test func matchScipy() throws {
        let golden = try GoldenData.load("special", as: Golden.self)
        for c in golden.logGamma {
            expectClose(logGamma(c.x), c.value, relative: 1e-14, absolute: 1e-15, "lgamma(\(c.x))")
        }
        // Continued fractions converge to ~1e-15; the logBeta prefactor costs up to ~1e-12 at a + b ≈ 700.
        for c in golden.incompleteBeta {
            expectClose(
                regularizedIncompleteBeta(x: c.x, a: c.a, b: c.b), c.value, relative: 1e-10, absolute: 1e-14,
                "I_\(c.x)(\(c.a), \(c.b))")
        }
        for c in golden.gammaP {
            expectClose(
                regularizedGammaP(a: c.a, x: c.x), c.value, relative: 1e-10, absolute: 1e-14, "P(\(c.a), \(c.x))")
        }
        for c in golden.gammaQ {
            expectClose(
                regularizedGammaQ(a: c.a, x: c.x), c.value, relative: 1e-10, absolute: 1e-14, "Q(\(c.a), \(c.x))")
        }
    }

    @Test func binomialCoefficients() {
        expectClose(logChoose(10, 3), log(120), relative: 1e-14)
        expectClose(logBeta(2, 3), log(1.0 / 12.0), relative: 1e-14)
        #expect(logChoose(5, 6) == -.infinity)
        #expect(logChoose(7, 0) == 0)
    }

    @Test func logisticTailsAreStable() {
        expectClose(logistic(0), 0.5, relative: 1e-16)
        expectClose(logistic(-745), exp(-745), relative: 1e-10)
        #expect(logistic(800) == 1)
        #expect(logistic(-800) >= 0 && !logistic(-800).isNaN)
        // Round trip: the upper tail loses digits in 1 − σ(x) (≈ ulp/e^(−x) absolute at x = 10).
        for x in [-30.0, -2.5, 0.1, 4.0, 10.0] { expectClose(logit(logistic(x)), x, absolute: 1e-11) }
        expectClose(logLogistic(-800), -800, relative: 1e-15)
        expectClose(logLogistic(40), -exp(-40), relative: 1e-12)
        expectClose(softplus(1000), 1000, relative: 1e-15)
        #expect(logit(0) == -.infinity && logit(1) == .infinity)
    }

    @Test func goodnessOfFitStatistics() {
        // χ² with 2 df: survival is exp(−x/2).
        let test = ChiSquareTest(observed: [10, 20, 30], expected: [20, 20, 20])
        expectClose(test.statistic, 10, relative: 1e-15)
        #expect(test.degreesOfFreedom == 2)
        expectClose(test.pValue, exp(-5), relative: 1e-12)
        // Pooling merges small expected bins.
        #expect(ChiSquareTest(observed: [1, 1, 50, 48], expected: [2, 2, 48, 48]).degreesOfFreedom == 1)
        // Kolmogorov survival: Q_KS(1.36) ≈ 0.0494 (the classical 5% point).
        expectClose(KolmogorovSmirnovTest.survival(1.3581), 0.05, relative: 1e-3)
        #expect(KolmogorovSmirnovTest(sample: (0..<1000).map { Double($0) / 1000 }, cdf: { $0 }).pValue > 0.99)
        #expect(KolmogorovSmirnovTest(sample: (0..<1000).map { pow(Double($0) / 1000, 2) }, cdf: { $0 }).pValue < 1e-6)
    }
}

@Suite("Quantiles")
struct QuantileTests {
    enum Shape: CaseIterable {
        case uniform, ties, signed, saturated
    }

    /// Selection gives the same interpolated quantiles as a full sort (numpy's linear rule), on
    /// random data, with ties, with both signs and infinities, and with most values equal or
    /// packed just below 1 (a saturated population's pass rates); on tiny inputs too.
    @Test func selectionMatchesSortedInterpolation() {
        var rng = Xoshiro256StarStar(seed: 5)
        func draw(_ shape: Shape) -> Double {
            let u = rng.nextUniform()
            switch shape {
            case .uniform: return u
            case .ties: return Double(Int(u * 7))
            case .signed: return u < 0.01 ? -.infinity : u > 0.99 ? .infinity : (u - 0.5) * pow(10, 40 * u - 20)
            case .saturated: return u < 0.5 ? 1 : u < 0.9 ? 1 - pow(10, -16 * rng.nextUniform()) : u * 1e-300
            }
        }
        for count in [1, 2, 3, 10, 63, 64, 65, 101, 6000, 20_000] {
            for shape in Shape.allCases {
                let values = (0..<count).map { _ in draw(shape) }
                let qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]
                let sorted = values.sorted()
                let expected = qs.map { q -> Double in
                    let p = q * Double(count - 1)
                    let low = Int(p.rounded(.down))
                    let high = min(low + 1, count - 1)
                    return sorted[low] + (p - Double(low)) * (sorted[high] - sorted[low])
                }
                let found = quantiles(values, qs)
                let same = zip(found, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
                #expect(same, "count \(count) \(shape): \(found) vs \(expected)")
            }
        }
        // numpy.quantile([1, 2, 3, 4], [0.1, 0.5, 0.9]) = [1.3, 2.5, 3.7]
        let q = quantiles([4, 1, 3, 2], [0.1, 0.5, 0.9])
        for (a, b) in zip(q, [1.3, 2.5, 3.7]) { #expect(abs(a - b) < 1e-12) }
    }
}
