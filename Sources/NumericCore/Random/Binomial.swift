/// The binomial distribution: successes in `trials` independent Bernoulli(`probability`) trials.
///
/// Draws are exact (no normal or Poisson approximation) and take O(1) expected time for any n:
/// - for `p > 1/2` the draw is `n − X` with `X ~ Binomial(n, 1 − p)`, so the methods below see `p ≤ 1/2`;
/// - when `n·p < 10`, sequential inversion of the CDF from `q^n` (expected `n·p + 1` steps);
/// - otherwise Hörmann's BTRD, transformed rejection with decomposition (W. Hörmann, "The
///   generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993,
///   doi:10.1080/00949659308811496). Its set-up is one square root and a division, so it
///   suits the simulator's pattern of a different `p` on every draw; 66–79% of draws (more as
///   `n·p` grows) are accepted by the first test with a single uniform.
///
/// Every draw splits into a set-up that depends on `n` and `p` only (``Draw``) and the part
/// that consumes uniforms. ``sample(trials:probabilities:into:using:)`` computes the set-ups of
/// a block of draws before drawing any of them, so the square roots and divisions of many
/// draws overlap and a mispredicted acceptance branch no longer waits on them; it gives the
/// same draws, from the same uniforms, as one call per probability.
///
/// The same generator state gives the same draw on one platform (the rejection steps call
/// libm's `log`, whose last bit may differ between C libraries).
public struct Binomial: Sendable {
    public let trials: Int
    public let probability: Double

    /// - Precondition: `trials ≥ 0`, `0 ≤ probability ≤ 1`.
    public init(trials: Int, probability: Double) {
        precondition(trials >= 0, "Binomial trials must be ≥ 0, got \(trials)")
        precondition(
            probability >= 0 && probability <= 1, "Binomial probability must lie in [0, 1], got \(probability)")
        self.trials = trials
        self.probability = probability
    }

    @inlinable
    public func sample(using generator: inout some RandomNumberGenerator) -> Int {
        Binomial.sample(trials: trials, probability: probability, using: &generator)
    }

    /// One draw of `Binomial(trials, probability)` without building a distribution value.
    /// - Precondition: `trials ≥ 0`, `0 ≤ probability ≤ 1` (NaN traps).
    @inlinable
    public static func sample(
        trials n: Int, probability p: Double,
        using generator: inout some RandomNumberGenerator
    ) -> Int {
        Draw(trials: n, probability: p).sample(using: &generator)
    }

    /// One draw of `Binomial(trials, probabilities[i])` into `successes[i]` for every `i`: the
    /// form for hot loops where the probability changes on every draw (the simulator's groups,
    /// numpy's `binomial(n, p_array)`). The same draws as calling
    /// ``sample(trials:probability:using:)`` in order, faster.
    /// - Precondition: `trials ≥ 0`, every probability in `[0, 1]`,
    ///   `successes.count ≥ probabilities.count`.
    @inlinable
    public static func sample(
        trials n: Int, probabilities: UnsafeBufferPointer<Double>, into successes: UnsafeMutableBufferPointer<Int>,
        using generator: inout some RandomNumberGenerator
    ) {
        precondition(n >= 0, "Binomial trials must be ≥ 0, got \(n)")
        precondition(
            successes.count >= probabilities.count,
            "Binomial needs room for \(probabilities.count) draws, got \(successes.count)")
        if n >= 1 && n <= 16 {
            sampleFewTrials(n, probabilities: probabilities, into: successes, using: &generator)
            return
        }
        withUnsafeTemporaryAllocation(of: Draw.self, capacity: blockSize) { draws in
            var start = 0
            while start < probabilities.count {
                let count = min(blockSize, probabilities.count &- start)
                for j in 0..<count {
                    draws.initializeElement(at: j, to: Draw(trials: n, probability: probabilities[start &+ j]))
                }
                for j in 0..<count { successes[start &+ j] = draws[j].sample(using: &generator) }
                start &+= count
            }
        }
    }

    /// Draws whose set-ups are computed together: 64 set-ups are about 5 KB, well inside L1.
    @inlinable
    static var blockSize: Int { 64 }  // a constant, not a lazily initialised global

    /// The part of one draw that depends on `n` and `p` only: which half, which method, and the
    /// method's constants.
    @usableFromInline
    struct Draw {
        @usableFromInline
        enum Method {
            case zero
            case inversion(Inversion)
            case btrd(BTRD)
        }

        /// `p > 1/2`: the draw is `n − X` with `X ~ Binomial(n, 1 − p)`.
        @usableFromInline let flip: Bool
        @usableFromInline let trials: Int
        @usableFromInline let method: Method

        /// - Precondition: `trials ≥ 0`, `0 ≤ probability ≤ 1` (NaN traps).
        @inlinable
        init(trials n: Int, probability p: Double) {
            precondition(
                n >= 0 && p >= 0 && p <= 1, "Binomial needs trials ≥ 0 and probability in [0, 1], got (\(n), \(p))")
            // The flip as selects: when p changes on every draw, a branch on `p > 1/2` would be
            // mispredicted half of the time.
            flip = p > 0.5
            trials = n
            let lower = flip ? 1 - p : p
            if n == 0 || lower == 0 {
                method = .zero
            } else if Double(n) * lower < 10 {
                method = .inversion(Inversion(trials: n, probability: lower))
            } else {
                method = .btrd(BTRD(trials: n, probability: lower))
            }
        }

        @inlinable
        func sample(using generator: inout some RandomNumberGenerator) -> Int {
            let k: Int
            switch method {
            case .zero: k = 0
            case .inversion(let inversion): k = inversion.sample(using: &generator)
            case .btrd(let btrd): k = btrd.sample(using: &generator)
            }
            return flip ? trials &- k : k
        }
    }
}
