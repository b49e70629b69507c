import Foundation
import NumericCore
import Testing

@Suite("Vector exp and log")
struct VectorMathTests {
    static let supported = VectorMath.InstructionSet.allCases.filter(\.isSupported)

    /// Distance from libm's value in units of its last place (libm's own error is under 1 ULP).
    func ulps(_ value: Double, _ reference: Double) -> Double {
        value == reference ? 0 : abs(value - reference) / reference.ulp
    }

    func applying(_ function: (UnsafeMutableBufferPointer<Double>) -> Void, to values: [Double]) -> [Double] {
        var out = values
        out.withUnsafeMutableBufferPointer { function($0) }
        return out
    }

    @Test func scalarIsAlwaysSupportedAndBestIsSupported() {
        #expect(VectorMath.InstructionSet.scalar.isSupported)
        #expect(VectorMath.best.isSupported)
    }

    /// Over the range the fits use (shifted log-sum-exp terms ≤ 0, down to underflow) and the
    /// positive range up to overflow: within 4 ULP of libm (libmvec's documented bound), exact at 0.
    @Test(arguments: supported) func expIsWithinFourULPOfLibm(_ set: VectorMath.InstructionSet) {
        let xs = (0...20_000).map { -708 + 1416 * Double($0) / 20_000 } + [0, -1e-300, 1e-17, -0.5, 1]
        let ys = applying({ VectorMath.exp($0, using: set) }, to: xs)
        let worst = zip(xs, ys).map { ulps($1, exp($0)) }.max()!
        #expect(worst <= 4, "\(set): \(worst) ULP")
        #expect(ys[20_001] == 1, "exp(0) must be exactly 1")
    }

    /// Over sums of one to three exponentials (the fits' [1, 3]) and the whole positive range.
    @Test(arguments: supported) func logIsWithinFourULPOfLibm(_ set: VectorMath.InstructionSet) {
        let dense = (0...20_000).map { 1 + 2 * Double($0) / 20_000 }
        let wide = (0...2_000).map { pow(10, -300 + 600 * Double($0) / 2_000) }
        let xs = dense + wide
        let ys = applying({ VectorMath.log($0, using: set) }, to: xs)
        let worst = zip(xs, ys).map { ulps($1, log($0)) }.max()!
        #expect(worst <= 4, "\(set): \(worst) ULP")
        #expect(ys[0] == 0, "log(1) must be exactly 0")
    }

    /// An element's result is the same wherever it sits and whatever the buffer's length (the
    /// tail goes through a padded vector, not a different routine).
    @Test(arguments: supported) func resultsDoNotDependOnPosition(_ set: VectorMath.InstructionSet) {
        let xs = (0..<11).map { -3.7 + 0.61 * Double($0) }
        let whole = applying({ VectorMath.exp($0, using: set) }, to: xs)
        for i in xs.indices {
            #expect(applying({ VectorMath.exp($0, using: set) }, to: [xs[i]]) == [whole[i]])
            #expect(applying({ VectorMath.exp($0, using: set) }, to: Array(xs[i...])) == Array(whole[i...]))
        }
        let positive = xs.map { $0 + 4 }
        let logs = applying({ VectorMath.log($0, using: set) }, to: positive)
        for i in positive.indices {
            #expect(applying({ VectorMath.log($0, using: set) }, to: Array(positive[..<(i + 1)])) == Array(logs[...i]))
        }
    }
}

@Suite("Short dot product and vector logistic")
struct ShortKernelTests {
    /// Every length from 0 to 40 (the unrolled part, the tail, both): within a few ULP of the
    /// sum's magnitude of a left-to-right sum.
    @Test func shortDotProductMatchesTheSum() {
        var rng = Xoshiro256StarStar(seed: 11)
        for count in 0...40 {
            let x = (0..<count).map { _ in rng.nextUniform() - 0.5 }
            let y = (0..<count).map { _ in rng.nextUniform() * 4 - 2 }
            let reference = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
            let magnitude = zip(x, y).reduce(0) { $0 + abs($1.0 * $1.1) }
            let found = x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in shortDotProduct(xs.baseAddress!, ys.baseAddress!, count: count) }
            }
            #expect(abs(found - reference) <= 8 * Double.ulpOfOne * max(magnitude, 1e-300), "count \(count)")
        }
    }

    /// Dot products with gathered rows are `shortDotProduct`'s bit for bit on every instruction
    /// set, for row lengths through the unrolled part and the tail, rows in any order and repeated.
    @Test(arguments: VectorMathTests.supported)
    func gatheredDotProductsAreShortDotProducts(_ set: VectorMath.InstructionSet) {
        var rng = Xoshiro256StarStar(seed: 12)
        for length in [0, 1, 7, 8, 9, 16, 31, 32, 33, 100] {
            let rowCount = 50
            let matrix = (0..<(rowCount * length)).map { _ in rng.nextUniform() * 2 - 1 }
            let vector = (0..<length).map { _ in rng.nextUniform() * 6 - 3 }
            let rows = (0..<40).map { _ in Int(rng.next() % UInt64(rowCount)) }
            var found = [Double](repeating: .nan, count: rows.count)
            matrix.withUnsafeBufferPointer { m in
                vector.withUnsafeBufferPointer { v in
                    rows.withUnsafeBufferPointer { r in
                        found.withUnsafeMutableBufferPointer { out in
                            VectorMath.dotProducts(
                                rows: r, of: m.baseAddress!, rowLength: length, with: v.baseAddress!, into: out,
                                using: set)
                        }
                    }
                    let expected = rows.map { row in
                        shortDotProduct(m.baseAddress! + row * length, v.baseAddress!, count: length)
                    }
                    #expect(found.map(\.bitPattern) == expected.map(\.bitPattern), "\(set), length \(length)")
                }
            }
        }
    }

    /// A weighted sum of gathered rows is the plain loop's, bit for bit, on every instruction set.
    @Test(arguments: VectorMathTests.supported)
    func accumulatedRowsAreThePlainLoop(_ set: VectorMath.InstructionSet) {
        var rng = Xoshiro256StarStar(seed: 13)
        for length in [0, 1, 7, 8, 9, 32, 33] {
            let rowCount = 20
            let matrix = (0..<(rowCount * length)).map { _ in rng.nextUniform() * 2 - 1 }
            let rows = (0..<30).map { _ in Int(rng.next() % UInt64(rowCount)) }
            let weights = rows.map { _ in rng.nextUniform() }
            let start = (0..<length).map { _ in rng.nextUniform() - 0.5 }
            var expected = start
            for (row, weight) in zip(rows, weights) {
                for k in 0..<length { expected[k] += weight * matrix[row * length + k] }
            }
            var found = start
            matrix.withUnsafeBufferPointer { m in
                rows.withUnsafeBufferPointer { r in
                    weights.withUnsafeBufferPointer { w in
                        found.withUnsafeMutableBufferPointer { out in
                            VectorMath.accumulate(
                                rows: r, weights: w, of: m.baseAddress!, rowLength: length, into: out, using: set)
                        }
                    }
                }
            }
            #expect(found.map(\.bitPattern) == expected.map(\.bitPattern), "\(set), length \(length)")
        }
    }

    /// The buffer form agrees with the scalar logistic within a few ULP across both tails,
    /// including where `exp` underflows, on every instruction set (the odd count leaves a tail).
    @Test(arguments: VectorMathTests.supported)
    func vectorLogisticMatchesTheScalarOne(_ set: VectorMath.InstructionSet) {
        let z = (0...4_000).map { -800 + 1_600 * Double($0) / 4_000 } + [0, -0.0, 37, -37, 745, -745]
        var p = [Double](repeating: .nan, count: z.count)
        z.withUnsafeBufferPointer { zs in
            p.withUnsafeMutableBufferPointer { VectorMath.logistic(zs, into: $0, using: set) }
        }
        for (value, found) in zip(z, p) {
            let expected = logistic(value)
            let tolerance = 8 * max(expected.ulp, Double.leastNonzeroMagnitude)
            #expect(abs(found - expected) <= tolerance, "z = \(value): \(found) vs \(expected)")
        }
        #expect(p[z.count - 6] == 0.5)
        // Bit for bit the earlier Swift form: exp(−|z|) from the same instruction set, then the
        // select and the division.
        var e = z.map { -abs($0) }
        e.withUnsafeMutableBufferPointer { VectorMath.exp($0, using: set) }
        let earlier = zip(z, e).map { $0 >= 0 ? 1 / (1 + $1) : $1 / (1 + $1) }
        #expect(p.map(\.bitPattern) == earlier.map(\.bitPattern))
    }
}
