#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `P(X = k)` for `X ~ Binomial(n, p)`, in log space so large `n` neither overflows nor
/// underflows early; exact 0/1 at `p = 0` and `p = 1`.
/// - Precondition: `0 ≤ p ≤ 1`.
public func binomialProbability(trials n: Int, successes k: Int, probability p: Double) -> Double {
    precondition(p >= 0 && p <= 1, "probability must lie in [0, 1], got \(p)")
    if k < 0 || k > n { return 0 }
    if p == 0 { return k == 0 ? 1 : 0 }
    if p == 1 { return k == n ? 1 : 0 }
    return exp(logChoose(Double(n), Double(k)) + Double(k) * log(p) + Double(n - k) * log1p(-p))
}

/// `P(X = k)` for `X ~ Hypergeometric`: `k` successes among `draws` items taken without
/// replacement from `population` items of which `successes` are successes.
public func hypergeometricProbability(population: Int, successes: Int, draws: Int, observed k: Int) -> Double {
    precondition(
        successes >= 0 && successes <= population && draws >= 0 && draws <= population,
        "need 0 ≤ successes, draws ≤ population")
    if k < max(0, draws - (population - successes)) || k > min(draws, successes) { return 0 }
    return exp(
        logChoose(Double(successes), Double(k)) + logChoose(Double(population - successes), Double(draws - k))
            - logChoose(Double(population), Double(draws)))
}
