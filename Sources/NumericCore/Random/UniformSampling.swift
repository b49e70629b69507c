extension RandomNumberGenerator {
    /// A uniform `Double` in `[0, 1)`: the top 53 bits of one draw, scaled by 2⁻⁵³.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() &>> 11) * 0x1.0p-53
    }

    /// A uniform `Double` in the open interval `(0, 1)`, safe to pass to `log`:
    /// `(k + 0.5)·2⁻⁵²` for a uniform 52-bit `k`.
    @inlinable
    public mutating func nextOpenUniform() -> Double {
        (Double(next() &>> 12) + 0.5) * 0x1.0p-52
    }
}

/// The continuous uniform distribution on `[lowerBound, upperBound)`.
public struct Uniform: Sendable {
    public let lowerBound: Double
    public let upperBound: Double

    /// - Precondition: finite bounds with `lowerBound < upperBound`.
    public init(lowerBound: Double = 0, upperBound: Double = 1) {
        precondition(
            lowerBound.isFinite && upperBound.isFinite && lowerBound < upperBound,
            "Uniform needs finite lowerBound < upperBound, got [\(lowerBound), \(upperBound))")
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    @inlinable
    public func sample(using generator: inout some RandomNumberGenerator) -> Double {
        lowerBound + (upperBound - lowerBound) * generator.nextUniform()
    }
}

/// The Bernoulli distribution: `true` with probability `probability`.
public struct Bernoulli: Sendable {
    public let probability: Double

    /// - Precondition: `0 ≤ probability ≤ 1`.
    public init(probability: Double) {
        precondition(
            probability >= 0 && probability <= 1, "Bernoulli probability must lie in [0, 1], got \(probability)")
        self.probability = probability
    }

    /// One draw; exact for `probability` 0 and 1.
    @inlinable
    public func sample(using generator: inout some RandomNumberGenerator) -> Bool {
        generator.nextUniform() < probability
    }
}
