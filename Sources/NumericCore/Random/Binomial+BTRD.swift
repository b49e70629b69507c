#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

extension Binomial {
    /// BTRD for `p ≤ 1/2`, `n·p ≥ 10` (Hörmann 1993): the set-up, the fast path (step 1, which
    /// accepts `0.86·v_r` of draws with one uniform: 66% at `n·p = 10`, 70% over the benchmark's
    /// p, towards 79% as `n·p` grows) and the rejection steps.
    ///
    /// The set-up keeps `1/v_r = b/(0.92·b − 4.2)`, so the set-up is one square root and one
    /// division and the fast path one division: the test `v ≤ u_r·v_r` becomes `v/v_r ≤ 0.86`.
    @usableFromInline
    struct BTRD {
        @usableFromInline let trials: Int
        @usableFromInline let probability: Double
        /// `√(n·p·q)`.
        @usableFromInline let spq: Double
        @usableFromInline let a: Double
        @usableFromInline let b: Double
        @usableFromInline let c: Double
        /// `1/v_r`.
        @usableFromInline let inverseVr: Double

        @inlinable
        init(trials n: Int, probability p: Double) {
            let nd = Double(n)
            trials = n
            probability = p
            spq = (nd * p * (1 - p)).squareRoot()
            b = 1.15 + 2.53 * spq
            a = -0.0873 + 0.0248 * b + 0.01 * p
            c = nd * p + 0.5
            inverseVr = b / (0.92 * b - 4.2)
        }

        @inlinable
        func sample(using generator: inout some RandomNumberGenerator) -> Int {
            let v = generator.nextUniform()
            let scaled = v * inverseVr
            if scaled <= 0.86 {
                // The box lies inside [0, n] (Hörmann 1993), so x ≥ 0 and truncation is a floor;
                // the guard only keeps a would-be bug from returning an impossible count.
                if let k = box(scaled) { return k }
                assertionFailure("BTRD step 1 left [0, n]: n=\(trials) p=\(probability)")
                return rejection(firstUniform: nil, using: &generator)
            }
            return rejection(firstUniform: v, using: &generator)
        }

        /// Step 1's draw from the box for `v/v_r ≤ 0.86`, or `nil` if it left `[0, n]`.
        @inlinable
        func box(_ scaledUniform: Double) -> Int? {
            let u = scaledUniform - 0.43
            let x = (2 * a / (0.5 - abs(u)) + b) * u + c
            return x >= 0 && x < Double(trials) + 1 ? Int(x) : nil
        }

        /// Steps 2–3.4, for the draws step 1 did not accept, by rejection; loops back to step 1
        /// with fresh uniforms on rejection. `firstUniform` is step 1's uniform when it fell
        /// outside the box, or `nil` to start at step 1.
        // length-exception: a transcription of Hörmann's BTRD steps 1–3, kept in the paper's order.
        @inlinable @inline(never)
        func rejection(firstUniform: Double?, using generator: inout some RandomNumberGenerator) -> Int {
            let (n, p) = (trials, probability)
            let nd = Double(n)
            let m = Int((nd + 1) * p)
            let r = p / (1 - p)
            let nr = (nd + 1) * r
            let npq = spq * spq
            let inverseB = 1 / b
            let vr = 0.92 - 4.2 * inverseB
            let alpha = (2.83 + 5.1 * inverseB) * spq
            var v = firstUniform ?? 0
            var fresh = firstUniform == nil
            while true {
                if fresh {
                    // Step 1 again.
                    v = generator.nextUniform()
                    let scaled = v * inverseVr
                    if scaled <= 0.86 {
                        if let k = box(scaled) { return k }
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
                let inverseUs = 1 / (0.5 - abs(u))
                let x = (2 * a * inverseUs + b) * u + c
                if !(x >= 0 && x < nd + 1) { continue }
                let k = Int(x)
                v = v * alpha / (a * inverseUs * inverseUs + b)
                if n < logFactorialCount {
                    // Steps 3.1–3.4 collapse to the exact test v ≤ f(k)/f(m), in logs from the table.
                    let logRatio =
                        logFactorials[m] + logFactorials[n &- m] - logFactorials[k] - logFactorials[n &- k]
                        + Double(k &- m) * log(r)  // here, not hoisted: most passes never get here
                    if log(v) <= logRatio { return k }
                    continue
                }
                if hormannAccepts(v: v, k: k, n: n, m: m, r: r, nr: nr, npq: npq) { return k }
            }
        }
    }

    /// Hörmann's steps 3.1–3.4 for `n` past the table, the acceptance test `v ≤ f(k)/f(m)`: for
    /// `|k − m| ≤ 15` by the recursion of the pmf, else a squeeze around the normal approximation
    /// and then the exact log ratio through Stirling's formula, stable for any n.
    @inlinable
    static func hormannAccepts(v: Double, k: Int, n: Int, m: Int, r: Double, nr: Double, npq: Double) -> Bool {
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
            return m < k ? v * denominator <= numerator : v * numerator <= denominator
        }
        // Step 3.2: squeeze on log f(k)/f(m) around the normal approximation.
        let logV = log(v)
        let kmd = Double(km)
        let rho = (kmd / npq) * (((kmd / 3 + 0.625) * kmd + 1.0 / 6.0) / npq + 0.5)
        let t = -kmd * kmd / (2 * npq)
        if logV < t - rho { return true }
        if logV > t + rho { return false }
        // Steps 3.3–3.4: the exact log ratio through Stirling's formula with corrections.
        let nd = Double(n)
        let kd = Double(k)
        let nm = nd - Double(m) + 1
        let h =
            (Double(m) + 0.5) * log((Double(m) + 1) / (r * nm))
            + stirlingCorrection(m) + stirlingCorrection(n &- m)
        let nk = nd - kd + 1
        let bound =
            h + (nd + 1) * log(nm / nk) + (kd + 0.5) * log(nk * r / (kd + 1))
            - stirlingCorrection(k) - stirlingCorrection(n &- k)
        return logV <= bound
    }

    /// `log k! − [(k + ½)·log(k + 1) − (k + 1) + ½·log 2π]`, the error of Stirling's formula
    /// for `log Γ(k + 2)/(k + 1)`: tabulated for k ≤ 9, else the series `1/12 − 1/360 + 1/1260` in
    /// `1/(k+1)`, accurate to below 1e-10 there.
    @inlinable
    static func stirlingCorrection(_ k: Int) -> Double {
        if k <= 9 {
            let kd = Double(k)
            return logFactorials[k] - ((kd + 0.5) * log(kd + 1) - (kd + 1) + 0.5 * log(2 * Double.pi))
        }
        let inv = 1 / Double(k &+ 1)
        let inv2 = inv * inv
        return (1.0 / 12.0 - (1.0 / 360.0 - inv2 / 1260.0) * inv2) * inv
    }

    /// `log k!` for `k < logFactorialCount`, from `logGamma` (absolute error about 1e-12 at the
    /// top): BTRD's exact acceptance test for `n < logFactorialCount` reads four entries instead
    /// of Hörmann's recursion, squeeze and Stirling series, and the Stirling corrections for
    /// `k ≤ 9` come from here. A raw pointer filled once and never freed: reading it costs no
    /// reference counting in the hot loop.
    @usableFromInline
    nonisolated(unsafe) static let logFactorials: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: logFactorialCount)
        for k in 0..<logFactorialCount { table[k] = logGamma(Double(k) + 1) }
        return UnsafePointer(table)
    }()

    /// Entries in ``logFactorials``: every `n ≤ 4,095` uses the table (32 KB, inside a core's L1/L2).
    @inlinable
    static var logFactorialCount: Int { 4_096 }  // a constant, not a lazily initialised global
}
