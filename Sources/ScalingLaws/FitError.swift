/// A fit could not be attempted or produced no usable answer.
public enum FitError: Error, Equatable, Sendable {
    /// The data are malformed: lengths differ, a value is not finite, a weight is negative.
    case invalidData(String)
    /// A family's domain is violated (e.g. non-positive compute for a log-compute family).
    case outOfDomain(family: String, detail: String)
    /// Fewer points than free parameters.
    case tooFewPoints(family: String, points: Int, parameters: Int)
    /// Starts or bounds do not match the family's parameters.
    case invalidStart(String)
    /// No start produced a finite objective.
    case noFiniteStart(family: String)
}

extension FitError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidData(let detail): "invalid data: \(detail)"
        case .outOfDomain(let family, let detail): "\(family): \(detail)"
        case .tooFewPoints(let family, let points, let parameters):
            "\(family) has \(parameters) free parameters but only \(points) points were given"
        case .invalidStart(let detail): "invalid start: \(detail)"
        case .noFiniteStart(let family): "\(family): no start gave a finite objective"
        }
    }
}
