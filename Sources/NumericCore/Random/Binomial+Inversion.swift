internal import CVectorMath

#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

extension Binomial {
    /// Sequential search of the CDF for `p ≤ 1/2`, `n·p < 10`: `P(0) = qⁿ`,
    /// `P(k) = P(k−1)·(n−k+1)/k·p/q`, expected `n·p + 1` steps.
    ///
    /// `qⁿ` is multiplied out by squaring for `n ≤ 64` (at most 12 products; relative error at
    /// most about `(2n − 1)·ε/2` with the rounding of `q`, 1.4e-14, 8.3e-15 the largest seen over
    /// 200,000 random cases), else `exp(n·log1p(−p))`: the simulator's small-n groups draw here
    /// on every call, and the two libm calls were most of a draw's cost.
    @usableFromInline
    struct Inversion {
        @usableFromInline let trials: Int
        @usableFromInline let odds: Double
        @usableFromInline let massAtZero: Double

        @inlinable
        init(trials n: Int, probability p: Double) {
            trials = n
            odds = p / (1 - p)
            massAtZero = n <= 64 ? integerPower(1 - p, n) : exp(Double(n) * log1p(-p))
        }

        @inlinable
        func sample(using generator: inout some RandomNumberGenerator) -> Int {
            let n = trials
            if n <= stepRatioTrials {
                // The same ratios from a table: the division no longer delays the loop's exit.
                let (table, row): (UnsafePointer<Double>, Int) = (stepRatios, (n &* (n &- 1)) / 2 &- 1)
                return search(using: &generator) { table[row &+ $0] }  // ratio k at row + k ≥ 0
            }
            return search(using: &generator) { Double(n &- $0 &+ 1) / Double($0) }
        }

        /// The search with the step ratio `(n − k + 1)/k` from `ratio(k)`.
        @inlinable @inline(__always)
        func search(using generator: inout some RandomNumberGenerator, ratio: (Int) -> Double) -> Int {
            let n = trials
            while true {
                var u = generator.nextUniform()
                var k = 0
                var pk = massAtZero
                // Rounding can leave u above the summed mass; past k = n the mass is 0, so restart.
                while u > pk {
                    u -= pk
                    k &+= 1
                    if k > n { break }
                    pk *= odds * ratio(k)
                }
                if k <= n { return k }
            }
        }
    }

    /// `(n − k + 1)/k` for `1 ≤ k ≤ n ≤ stepRatioTrials`, row `n` from offset `n(n − 1)/2`: the
    /// values the search would divide out, filled once (16 KB) and never freed.
    @usableFromInline
    nonisolated(unsafe) static let stepRatios: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: stepRatioTrials * (stepRatioTrials + 1) / 2)
        for n in 1...stepRatioTrials {
            for k in 1...n { table[n * (n - 1) / 2 + k - 1] = Double(n - k + 1) / Double(k) }
        }
        return UnsafePointer(table)
    }()

    @inlinable
    static var stepRatioTrials: Int { 64 }  // a constant, not a lazily initialised global

    /// The batch call for `n ≤ 16`, where every draw inverts (`n·p ≤ 8`): each draw runs all `n`
    /// steps of the search with the exit as a mask instead of a branch, with the step ratios
    /// `(n − k + 1)/k` computed once per call. The exit of a search over a few steps is a branch
    /// no predictor learns, and it cost about as much as the rest of the draw. The arithmetic is
    /// ``Inversion``'s step for step, so the draws are the same.
    @inlinable
    static func sampleFewTrials(
        _ n: Int, probabilities: UnsafeBufferPointer<Double>, into successes: UnsafeMutableBufferPointer<Int>,
        using generator: inout some RandomNumberGenerator
    ) {
        if VectorMath.best == .avx2 {
            sampleFewTrialsInLanes(n, probabilities: probabilities, into: successes, using: &generator)
        } else {
            sampleFewTrialsMasked(n, probabilities: probabilities, into: successes, using: &generator)
        }
    }

    /// ``sampleFewTrials(_:probabilities:into:using:)`` one draw at a time, on any CPU.
    @inlinable
    static func sampleFewTrialsMasked(
        _ n: Int, probabilities: UnsafeBufferPointer<Double>, into successes: UnsafeMutableBufferPointer<Int>,
        using generator: inout some RandomNumberGenerator
    ) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n + 1) { ratios in
            for k in 1...n { ratios[k] = Double(n &- k &+ 1) / Double(k) }
            for i in 0..<probabilities.count {
                let p = probabilities[i]
                precondition(p >= 0 && p <= 1, "Binomial needs a probability in [0, 1], got \(p)")
                let flip = p > 0.5
                let lower = flip ? 1 - p : p
                var k = 0
                // As ``Draw``: no uniform for a certain outcome.
                if lower != 0 {
                    let odds = lower / (1 - lower)
                    let massAtZero = integerPower(1 - lower, n)
                    var searching = true
                    while searching {
                        var u = generator.nextUniform()
                        var pk = massAtZero
                        k = 0
                        searching = u > pk
                        for step in 1...n {
                            let (nextU, nextPk) = (u - pk, pk * (odds * ratios[step]))
                            u = searching ? nextU : u
                            pk = searching ? nextPk : pk
                            k &+= searching ? 1 : 0
                            searching = searching && u > pk
                        }
                        // Still searching past k = n: rounding left u above the mass; restart.
                    }
                }
                successes[i] = flip ? n &- k : k
            }
        }
    }

    /// ``sampleFewTrials(_:probabilities:into:using:)`` four draws at a time in AVX2 lanes
    /// (`CVectorMath`): the uniforms of a block are drawn first, in order, then searched together.
    /// The draws are the same as one at a time, except after a search that runs past `k = n`
    /// (which needs a uniform within about `n·ε` of 1; never seen): that draw is made again at the
    /// block's end, with the next uniform.
    @inlinable
    static func sampleFewTrialsInLanes(
        _ n: Int, probabilities: UnsafeBufferPointer<Double>, into successes: UnsafeMutableBufferPointer<Int>,
        using generator: inout some RandomNumberGenerator
    ) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: blockSize) { uniforms in
            var start = 0
            while start < probabilities.count {
                let count = min(blockSize, probabilities.count &- start)
                let block = UnsafeBufferPointer(rebasing: probabilities[start..<(start &+ count)])
                for j in 0..<count {
                    let p = block[j]
                    precondition(p >= 0 && p <= 1, "Binomial needs a probability in [0, 1], got \(p)")
                    // As ``Draw``: no uniform for a certain outcome.
                    uniforms[j] = p == 0 || p == 1 ? 0 : generator.nextUniform()
                }
                let out = UnsafeMutableBufferPointer(rebasing: successes[start..<(start &+ count)])
                invertInLanes(n, block, uniforms: UnsafeBufferPointer(rebasing: uniforms[0..<count]), into: out)
                for j in 0..<count where out[j] < 0 {
                    out[j] = Draw(trials: n, probability: block[j]).sample(using: &generator)
                }
                start &+= count
            }
        }
    }

    /// The AVX2 kernel of ``sampleFewTrialsInLanes(_:probabilities:into:using:)``.
    @usableFromInline
    static func invertInLanes(
        _ n: Int, _ probabilities: UnsafeBufferPointer<Double>, uniforms: UnsafeBufferPointer<Double>,
        into successes: UnsafeMutableBufferPointer<Int>
    ) {
        guard let ps = probabilities.baseAddress, let us = uniforms.baseAddress, let out = successes.baseAddress
        else { return }
        let ran = isoplan_binomial_inversion(VectorMath.InstructionSet.avx2.isa, n, ps, us, probabilities.count, out)
        precondition(ran != 0, "Binomial: the AVX2 inversion kernel needs 1 ≤ n ≤ 16 and AVX2")
    }

    /// `x` to the power `n ≥ 0` by binary exponentiation.
    @inlinable
    static func integerPower(_ x: Double, _ n: Int) -> Double {
        var (result, base, e) = (1.0, x, n)
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
