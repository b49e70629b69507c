import Testing

@testable import NumericCore

@Suite("Random number generators")
struct RandomTests {
    struct XoshiroCase: Decodable {
        let seed: String
        let first: [String]
        let afterJump: [String]
        let afterLongJump: [String]
    }

    @Test func xoshiroMatchesReferenceAlgorithm() throws {
        let cases = try GoldenData.load("xoshiro", as: [XoshiroCase].self)
        #expect(cases.count == 3)
        for c in cases {
            var g = Xoshiro256StarStar(seed: UInt64(c.seed)!)
            #expect((0..<8).map { _ in g.next() } == c.first.map { UInt64($0)! })
            g.jump()
            #expect((0..<4).map { _ in g.next() } == c.afterJump.map { UInt64($0)! })
            g.longJump()
            #expect((0..<4).map { _ in g.next() } == c.afterLongJump.map { UInt64($0)! })
        }
    }

    @Test func sameSeedSameSequenceAndStreamsDiffer() {
        var a = Xoshiro256StarStar(seed: 7)
        var b = Xoshiro256StarStar(seed: 7)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        let streams = Xoshiro256StarStar(seed: 7).streams(4)
        let heads = streams.map { s -> UInt64 in
            var s = s
            return s.next()
        }
        #expect(Set(heads).count == 4)
        var s0 = Xoshiro256StarStar(seed: 7, stream: 0)
        var s1 = Xoshiro256StarStar(seed: 7, stream: 1)
        var s0again = Xoshiro256StarStar(seed: 7, stream: 0)
        #expect(s0.next() != s1.next())
        _ = s0again.next()
        #expect(s0.next() == s0again.next())
    }

    @Test func uniformsStayInRange() {
        var g = Xoshiro256StarStar(seed: 3)
        var minimum = 1.0
        var maximum = 0.0
        var sum = 0.0
        let count = 200_000
        for _ in 0..<count {
            let u = g.nextUniform()
            let o = g.nextOpenUniform()
            #expect(u >= 0 && u < 1)
            #expect(o > 0 && o < 1)
            minimum = min(minimum, u)
            maximum = max(maximum, u)
            sum += u
        }
        // Mean of U(0,1): SE = sqrt(1/12/N) ≈ 6.5e-4; 4 SE.
        #expect(abs(sum / Double(count) - 0.5) < 4 * (1.0 / 12.0 / Double(count)).squareRoot())
        #expect(minimum < 1e-4 && maximum > 1 - 1e-4)
    }

    /// The shuffle's permutation is the `next() % (i + 1)` form's, from the same draws, for sizes
    /// around the edges and the simulator's 6,000.
    @Test(arguments: [0, 1, 2, 3, 64, 6_000])
    func shuffleMatchesTheModuloForm(count: Int) {
        let shuffle = FisherYatesShuffle(count: count)
        var expected = Array(0..<count)
        var found = expected
        var reference = Xoshiro256StarStar(seed: 21)
        var rng = reference
        for _ in 0..<3 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                expected.swapAt(i, Int(reference.next() % UInt64(i + 1)))
            }
            found.withUnsafeMutableBufferPointer { shuffle.shuffle($0, using: &rng) }
            #expect(found == expected, "count \(count)")
        }
        #expect(rng.next() == reference.next())
    }

    /// The multiplication's remainder is `%`'s for every divisor up to 7,000 and 64-bit values
    /// across the range, the extremes included.
    @Test func remainderByMultiplicationIsExact() {
        var rng = Xoshiro256StarStar(seed: 22)
        var mismatches = 0
        for d in UInt64(2)...7_000 {
            let reciprocal = UInt128.max / UInt128(d) &+ 1
            let values = (0..<200).map { _ in rng.next() } + [0, 1, d - 1, d, d + 1, .max, .max - 1, .max / d * d]
            for x in values where FisherYatesShuffle.remainder(x, dividedBy: d, reciprocal: reciprocal) != x % d {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }
}
