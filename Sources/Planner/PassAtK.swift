/// The unbiased pass@k estimator of Chen et al. (2021) for one task with `samples` attempts of
/// which `correct` succeeded: `1 − C(n − c, k)/C(n, k)`, evaluated as the running product
/// `1 − Π_{i=n−c+1}^{n} (1 − k/i)` (no binomial coefficients, no overflow); 1 when `n − c < k`.
/// - Precondition: `1 ≤ k ≤ n`, `0 ≤ c ≤ n`.
public func passAtK(samples n: Int, correct c: Int, k: Int) -> Double {
    precondition(k >= 1 && k <= n, "pass@k needs 1 ≤ k ≤ n (k = \(k), n = \(n))")
    precondition(c >= 0 && c <= n, "pass@k needs 0 ≤ c ≤ n (c = \(c), n = \(n))")
    if n - c < k { return 1 }
    var product = 1.0
    for i in (n - c + 1)...max(n - c + 1, n) where c > 0 { product *= 1 - Double(k) / Double(i) }
    return 1 - product
}
