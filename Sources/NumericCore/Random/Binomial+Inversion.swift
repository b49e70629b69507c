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
            while true {
                var u = generator.nextUniform()
                var k = 0
                var pk = massAtZero
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
