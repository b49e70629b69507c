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

    /// `E[pᵏ]` (`k ≥ 0`): `Σ wᵢ·B(αᵢ + k, βᵢ)/B(αᵢ, βᵢ)`.
    public func moment(_ k: Int) -> Double {
        components.reduce(0) { sum, c in
            sum + c.weight * exp(logBeta(c.alpha + Double(k), c.beta) - logBeta(c.alpha, c.beta))
        }
    }

    /// `E[(1 − p)ᵏ]` (`k ≥ 0`).
    public func complementMoment(_ k: Int) -> Double {
        components.reduce(0) { sum, c in
            sum + c.weight * exp(logBeta(c.alpha, c.beta + Double(k)) - logBeta(c.alpha, c.beta))
        }
    }
}
