public import ScalingLaws

/// The curve families the CLI and the store know by name.
public enum CurveFamilies {
    /// Names accepted by `--family`.
    public static let names = ["scalerl", "law", "law-linear", "power", "chinchilla"]

    /// The family named `name` (`scalerl` optionally with a fixed R0).
    /// - Throws: ``FitError/unknownFamily(_:known:)``.
    public static func named(_ name: String, fixedR0: Double? = nil) throws(FitError) -> any CurveFamily {
        switch name.lowercased() {
        case "scalerl": ScaleRLSigmoid(fixedR0: fixedR0)
        case "law": AllocationLaw()
        case "law-linear": AllocationLaw(input: .linear)
        case "power": PowerLaw()
        case "chinchilla": ChinchillaLoss()
        default: throw .unknownFamily(name, known: names)
        }
    }
}
