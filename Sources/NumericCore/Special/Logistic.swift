#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// The logistic function `σ(x) = 1/(1 + e^(−x))`, evaluated so neither tail overflows:
/// `1/(1 + e^(−x))` for `x ≥ 0`, `e^x/(1 + e^x)` for `x < 0`. Keeps full relative accuracy in
/// the lower tail (`σ(−745) ≈ 5e-324`, not 0 from `1/(1 + ∞)`).
@inlinable
public func logistic(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
}

/// The logit `log(p/(1 − p))`, inverse of ``logistic(_:)``, as `log p − log1p(−p)` so `p` near 1
/// keeps its digits. `logit(0) = −∞`, `logit(1) = +∞`.
/// - Precondition: `0 ≤ p ≤ 1`.
@inlinable
public func logit(_ p: Double) -> Double {
    precondition(p >= 0 && p <= 1, "logit needs 0 ≤ p ≤ 1, got \(p)")
    return log(p) - log1p(-p)
}

/// `log σ(x) = −log(1 + e^(−x))`, exact in both tails (≈ `x` for very negative `x`).
@inlinable
public func logLogistic(_ x: Double) -> Double {
    -softplus(-x)
}

/// `softplus(x) = log(1 + e^x)` without overflow: `x + log1p(e^(−x))` for `x > 0`.
@inlinable
public func softplus(_ x: Double) -> Double {
    x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
}
