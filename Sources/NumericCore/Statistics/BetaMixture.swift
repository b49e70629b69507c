#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A finite mixture of Beta distributions, `p ~ Σ wᵢ·Beta(αᵢ, βᵢ)`: the form every population of
/// per-problem success rates takes here (a named population's posterior bins, one posterior per
/// task of a counts file, or a single Beta).
public struct BetaMixture: Sendable, Hashable, Codable {
    /// One component: its weight (the weights sum to 1) and shape.
    public struct Component: Sendable, Hashable, Codable {
        public var weight: Double
        public var alpha: Double
        public var beta: Double

        public init(weight: Double, alpha: Double, beta: Double) {
            self.weight = weight
            self.alpha = alpha
            self.beta = beta
        }
    }

    public var components: [Component]

    /// The mixture of `components`, their weights normalised to sum to 1.
    /// - Precondition: at least one component; weights ≥ 0 with a positive sum; shapes > 0.
    public init(_ components: [Component]) {
        let total = components.reduce(0) { $0 + $1.weight }
        precondition(
            !components.isEmpty && total > 0 && components.allSatisfy { $0.weight >= 0 && $0.alpha > 0 && $0.beta > 0 },
            "a Beta mixture needs components with weights ≥ 0 (sum > 0) and positive shapes")
        self.components = components.map { Component(weight: $0.weight / total, alpha: $0.alpha, beta: $0.beta) }
    }

    /// The single Beta(α, β).
    public static func beta(alpha: Double, beta: Double) -> BetaMixture {
        BetaMixture([Component(weight: 1, alpha: alpha, beta: beta)])
    }

    /// `E[p]`.
    public var mean: Double { components.reduce(0) { $0 + $1.weight * $1.alpha / ($1.alpha + $1.beta) } }

    /// `P(0 < X < n)` for X ~ BetaBinomial(n; αᵢ, βᵢ) mixed: the chance that n Bernoulli draws
    /// of one p are not all equal, `1 − E[pⁿ] − E[(1 − p)ⁿ]`, summed over the middle counts
    /// where that difference would cancel (a component with over 99% of its mass at all-equal).
    public func mixedOutcomeProbability(_ n: Int) -> Double {
        guard n >= 2 else { return 0 }
        return components.reduce(0) { sum, c in
            let equal = Self.rising(c.alpha, over: c.alpha + c.beta, n) + Self.rising(c.beta, over: c.alpha + c.beta, n)
            guard equal > 0.99 else { return sum + c.weight * (1 - equal) }
            let base = logBeta(c.alpha, c.beta)
            let middle = (1..<n).reduce(0.0) { total, k in
                total
                    + exp(
                        logChoose(Double(n), Double(k)) + logBeta(c.alpha + Double(k), c.beta + Double(n - k)) - base)
            }
            return sum + c.weight * min(middle, 1)
        }
    }

    /// `Πⱼ₍ⱼ<ₖ₎ (a + j)/(s + j)`: `E[pᵏ]` of Beta(a, s − a) as a product, not a ratio of Beta
    /// functions, so that any shape keeps full relative accuracy; stops once it underflows.
    static func rising(_ a: Double, over s: Double, _ k: Int) -> Double {
        var product = 1.0
        for j in 0..<k {
            product *= (a + Double(j)) / (s + Double(j))
            if product < 1e-300 { return 0 }
        }
        return product
    }
}
