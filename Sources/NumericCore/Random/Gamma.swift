#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// The gamma distribution with `shape` k and `scale` θ: mean kθ, variance kθ².
///
/// Method: Marsaglia & Tsang (2000, doi:10.1145/358407.358414), a squeeze-accelerated
/// transformed rejection from a normal draw; for `shape < 1`, `Gamma(k) = Gamma(k + 1)·U^(1/k)`.
/// For very small shapes (below about 0.01) the result can underflow to 0, as the true value
/// then often lies below the smallest double.
public struct Gamma: Sendable {
    public let shape: Double
    public let scale: Double

    /// - Precondition: finite `shape > 0` and `scale > 0`.
    public init(shape: Double, scale: Double = 1) {
        precondition(
            shape.isFinite && shape > 0 && scale.isFinite && scale > 0,
            "Gamma needs finite shape > 0 and scale > 0, got (\(shape), \(scale))")
        self.shape = shape
        self.scale = scale
    }

    @inlinable
    public func sample(using generator: inout some RandomNumberGenerator) -> Double {
        scale * Gamma.standard(shape: shape, using: &generator)
    }

    /// One draw of `Gamma(shape, 1)`.
    @inlinable
    public static func standard(shape: Double, using generator: inout some RandomNumberGenerator) -> Double {
        if shape < 1 {
            let boosted = standard(shape: shape + 1, using: &generator)
            return boosted * exp(log(generator.nextOpenUniform()) / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = Normal.standard(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = generator.nextOpenUniform()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v }
        }
    }
}

/// The beta distribution on [0, 1] with shapes α and β: mean α/(α+β).
///
/// Method: for α, β ≤ 1, Jöhnk's algorithm (1964) with a log-space fallback so tiny powers do
/// not underflow to 0/0; otherwise `X/(X + Y)` with `X ~ Gamma(α)`, `Y ~ Gamma(β)`.
public struct Beta: Sendable {
    public let alpha: Double
    public let beta: Double

    /// - Precondition: finite `alpha > 0`, `beta > 0`.
    public init(alpha: Double, beta: Double) {
        precondition(
            alpha.isFinite && alpha > 0 && beta.isFinite && beta > 0,
            "Beta needs finite alpha > 0 and beta > 0, got (\(alpha), \(beta))")
        self.alpha = alpha
        self.beta = beta
    }

    @inlinable
    public func sample(using generator: inout some RandomNumberGenerator) -> Double {
        if alpha <= 1 && beta <= 1 {
            while true {
                let u = generator.nextOpenUniform()
                let v = generator.nextOpenUniform()
                let x = pow(u, 1 / alpha)
                let y = pow(v, 1 / beta)
                let sum = x + y
                guard sum <= 1 else { continue }
                if x > 0 && y > 0 { return x / sum }
                // A power underflowed: take the ratio in log space.
                var logX = log(u) / alpha
                var logY = log(v) / beta
                let logMax = max(logX, logY)
                logX -= logMax
                logY -= logMax
                return exp(logX - log(exp(logX) + exp(logY)))
            }
        }
        let x = Gamma.standard(shape: alpha, using: &generator)
        let y = Gamma.standard(shape: beta, using: &generator)
        return x / (x + y)
    }
}
