#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// The binomial distribution: successes in `trials` independent Bernoulli(`probability`) trials.
///
/// Draws are exact (no normal or Poisson approximation) and take O(1) expected time for any n:
/// - for `p > 1/2` the draw is `n − X` with `X ~ Binomial(n, 1 − p)`, so the methods below see `p ≤ 1/2`;
/// - when `n·p < 10`, sequential inversion of the CDF from `q^n` (expected `n·p + 1` steps);
/// - otherwise Hörmann's BTRD, transformed rejection with decomposition (W. Hörmann, "The
///   generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993,
///   doi:10.1080/00949659308811496). Its set-up is one square root and a few divisions, so it
///   suits the simulator's pattern of a different `p` on every draw; about 86% of draws are
///   accepted by the first test with a single uniform, and logarithms appear only in the rare
///   final acceptance step.
///
/// The same generator state gives the same draw on one platform (the rare rejection steps call
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

    /// One draw of `Binomial(trials, probability)` without building a distribution value —
    /// the form for hot loops where `probability` changes on every draw.
    /// - Precondition: `trials ≥ 0`, `0 ≤ probability ≤ 1` (NaN traps).
    @inlinable
    public static func sample(
        trials n: Int, probability p: Double,
        using generator: inout some RandomNumberGenerator
    ) -> Int {
        precondition(
            n >= 0 && p >= 0 && p <= 1, "Binomial needs trials ≥ 0 and probability in [0, 1], got (\(n), \(p))")
        // One call site for both halves, with the flip as selects: when p changes on every draw,
        // a branch on `p > 1/2` would be mispredicted half of the time.
        let flip = p > 0.5
        let k = sampleLowerHalf(n: n, p: flip ? 1 - p : p, using: &generator)
        return flip ? n &- k : k
    }

    /// `p ≤ 1/2`.
    @inlinable
    static func sampleLowerHalf(n: Int, p: Double, using generator: inout some RandomNumberGenerator) -> Int {
        if n == 0 || p == 0 { return 0 }
        if Double(n) * p < 10 { return inversion(n: n, p: p, using: &generator) }
        return btrd(n: n, p: p, using: &generator)
    }

    /// Sequential search of the CDF: `P(0) = qⁿ`, `P(k) = P(k−1)·(n−k+1)/k·p/q`.
    ///
    /// `qⁿ` is multiplied out by squaring for `n ≤ 64` (at most 12 products; relative error at
    /// most about `(2n − 1)·ε/2` with the rounding of `q`, 1.4e-14, 8.3e-15 the largest seen over
    /// 200,000 random cases), else `exp(n·log1p(−p))`: the
    /// simulator's small-n groups draw here on every call, and the two libm calls were most of
    /// a draw's cost.
    @inlinable
    static func inversion(n: Int, p: Double, using generator: inout some RandomNumberGenerator) -> Int {
        let q = 1 - p
        let odds = p / q
        let p0 = n <= 64 ? integerPower(q, n) : exp(Double(n) * log1p(-p))
        while true {
            var u = generator.nextUniform()
            var k = 0
            var pk = p0
            // Rounding can leave u above the summed mass; past k = n the mass is 0, so restart.
            while u > pk {
                u -= pk
                k &+= 1
                if k > n { break }
                pk *= odds * Double(n &- k &+ 1) / Double(k)
            }
            if k <= n { return k }
        }
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

    /// BTRD for `p ≤ 1/2`, `n·p ≥ 10` (Hörmann 1993): the set-up the fast path needs, and the
    /// fast path itself (step 1), which accepts about 86% of draws with one uniform.
    ///
    /// The set-up and test are rearranged to need one square root and two divisions in all:
    /// with `D = v_r·b = 0.92·b − 4.2`, the test `v ≤ u_r·v_r` becomes `v·b ≤ 0.86·D` and
    /// `v/v_r` becomes `v·b/D`.
    @inlinable
    static func btrd(n: Int, p: Double, using generator: inout some RandomNumberGenerator) -> Int {
        let nd = Double(n)
        let spq = (nd * p * (1 - p)).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let vrTimesB = 0.92 * b - 4.2
        let v = generator.nextUniform()
        if v * b <= 0.86 * vrTimesB {
            let u = v * b / vrTimesB - 0.43
            let x = (2 * a / (0.5 - abs(u)) + b) * u + c
            // The box lies inside [0, n] (Hörmann 1993), so x ≥ 0 and truncation is a floor; the
            // guard only keeps a would-be bug from returning an impossible count.
            if x >= 0 && x < nd + 1 { return Int(x) }
            assertionFailure("BTRD step 1 left [0, n]: n=\(n) p=\(p) x=\(x)")
            return btrdRejection(n: n, p: p, spq: spq, a: a, b: b, c: c, firstUniform: nil, using: &generator)
        }
        return btrdRejection(n: n, p: p, spq: spq, a: a, b: b, c: c, firstUniform: v, using: &generator)
    }

    /// BTRD steps 2–3.4: the remaining ~14% of draws, by rejection (logarithms only in the
    /// last squeeze); loops back to step 1 with fresh uniforms on rejection. `firstUniform` is
    /// step 1's uniform when it fell outside the box, or `nil` to start at step 1.
    // length-exception: a transcription of Hörmann's BTRD steps 2–3.4, kept in the paper's order.
    @inlinable @inline(never)
    static func btrdRejection(
        n: Int, p: Double, spq: Double, a: Double, b: Double, c: Double,
        firstUniform: Double?, using generator: inout some RandomNumberGenerator
    ) -> Int {
        let nd = Double(n)
        let q = 1 - p
        let m = Int((nd + 1) * p)
        let r = p / q
        let nr = (nd + 1) * r
        let npq = spq * spq
        let vr = 0.92 - 4.2 / b
        let urvr = 0.86 * vr
        let alpha = (2.83 + 5.1 / b) * spq
        var v = firstUniform ?? 0
        var fresh = firstUniform == nil
        while true {
            if fresh {
                // Step 1 again.
                v = generator.nextUniform()
                if v <= urvr {
                    let u = v / vr - 0.43
                    let x = (2 * a / (0.5 - abs(u)) + b) * u + c
                    if x >= 0 && x < nd + 1 { return Int(x) }
                    continue
                }
            }
            fresh = true
            // Step 2: a point in the region outside the box.
            var u: Double
            if v >= vr {
                u = generator.nextUniform() - 0.5
            } else {
                u = v / vr - 0.93
                u = (u < 0 ? -0.5 : 0.5) - u
                v = generator.nextUniform() * vr
            }
            // Step 3.0.
            let us = 0.5 - abs(u)
            let x = (2 * a / us + b) * u + c
            if !(x >= 0 && x < nd + 1) { continue }
            let k = Int(x)
            let kd = Double(k)
            v = v * alpha / (a / (us * us) + b)
            let km = abs(k &- m)
            if km <= 15 {
                // Step 3.1: f(k)/f(m) by the recursion f(i)/f(i−1) = nr/i − r = (nr − r·i)/i, with
                // numerator and denominator multiplied separately (one division instead of ≤ 15;
                // at most 15 factors below (n + 1)·r each, far from overflow).
                var numerator = 1.0
                var denominator = 1.0
                let (low, high) = m < k ? (m, k) : (k, m)
                var i = low
                while i < high {
                    i &+= 1
                    let id = Double(i)
                    numerator *= nr - r * id
                    denominator *= id
                }
                // m < k: accept when v ≤ f(k)/f(m); m > k: when v·f(m)/f(k) ≤ 1.
                if m < k ? v * denominator <= numerator : v * numerator <= denominator { return k }
                continue
            }
            // Step 3.2: squeeze on log f(k)/f(m) around the normal approximation.
            v = log(v)
            let kmd = Double(km)
            let rho = (kmd / npq) * (((kmd / 3 + 0.625) * kmd + 1.0 / 6.0) / npq + 0.5)
            let t = -kmd * kmd / (2 * npq)
            if v < t - rho { return k }
            if v > t + rho { continue }
            // Steps 3.3–3.4: the exact log ratio through Stirling's formula with corrections.
            let nm = nd - Double(m) + 1
            let h =
                (Double(m) + 0.5) * log((Double(m) + 1) / (r * nm))
                + stirlingCorrection(m) + stirlingCorrection(n &- m)
            let nk = nd - kd + 1
            let bound =
                h + (nd + 1) * log(nm / nk) + (kd + 0.5) * log(nk * r / (kd + 1))
                - stirlingCorrection(k) - stirlingCorrection(n &- k)
            if v <= bound { return k }
        }
    }

    /// `log k! − [(k + ½)·log(k + 1) − (k + 1) + ½·log 2π]`, the error of Stirling's formula
    /// for `log Γ(k + 2)/(k + 1)`: tabulated for k ≤ 9, else the series `1/12 − 1/360 + 1/1260` in
    /// `1/(k+1)`, accurate to below 1e-10 there.
    @inlinable
    static func stirlingCorrection(_ k: Int) -> Double {
        if k <= 9 { return stirlingCorrectionTable[k] }
        let inv = 1 / Double(k &+ 1)
        let inv2 = inv * inv
        return (1.0 / 12.0 - (1.0 / 360.0 - inv2 / 1260.0) * inv2) * inv
    }

    /// The Stirling corrections for k = 0…9, computed from `logGamma` (not typed by hand).
    @usableFromInline
    static let stirlingCorrectionTable: [Double] = (0...9).map { k in
        let kd = Double(k)
        return logGamma(kd + 1) - ((kd + 0.5) * log(kd + 1) - (kd + 1) + 0.5 * log(2 * Double.pi))
    }
}
