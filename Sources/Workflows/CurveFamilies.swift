public import Domain
public import ScalingLaws

/// The curve families the CLI and the store know by name.
public enum CurveFamilies {
    /// The family `family` names (`scalerl` optionally with a fixed R0).
    public static func named(_ family: FitFamily, fixedR0: Double? = nil) -> any CurveFamily {
        switch family {
        case .scalerl: ScaleRLSigmoid(fixedR0: fixedR0)
        case .law: AllocationLaw()
        case .lawLinear: AllocationLaw(input: .linear)
        case .power: PowerLaw()
        case .chinchilla: ChinchillaLoss()
        }
    }
}
