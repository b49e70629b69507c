/// A domain value breaks one of its invariants.
public enum DomainError: Error, Equatable, Sendable {
    /// `field` holds `value`, which breaks `reason`.
    case invalid(field: String, value: String, reason: String)
}

extension DomainError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalid(let field, let value, let reason):
            "\(field) \(reason) (found \"\(value)\")".escapingControlCharacters
        }
    }
}
