/// Selects runs: whitespace-separated terms `key OP value`, all of which must hold.
///
/// Keys: `id`, `name`, `source`, `n` (rollouts per problem), `bp` (problems per batch), `lr`,
/// `seed`, `batch` (a fixed-batch sweep's B), `model`, `dataset`, `difficulty`, `sweep`, `preset`.
/// Operators: `=` and `!=` for every key (a comma-separated value list means "any of":
/// `n=8,32,128`); `<`, `<=`, `>`, `>=` for the numeric keys `id`, `n`, `bp`, `lr`, `seed`,
/// `batch`; `~` for "contains" on text keys. Example: `source=sim difficulty=easy n>=32`.
/// The empty filter selects every run.
public struct RunFilter: Sendable, Equatable, CustomStringConvertible {
    /// A comparison operator.
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case contains = "~"
    }

    /// One `key OP value` term.
    public struct Term: Sendable, Equatable {
        /// The field, lower-cased.
        public var key: String
        public var op: Operator
        /// One value, or several for `=`/`!=` ("any of").
        public var values: [String]

        public init(key: String, op: Operator, values: [String]) {
            self.key = key
            self.op = op
            self.values = values
        }
    }

    public static let textKeys = ["name", "source", "model", "dataset", "difficulty", "sweep", "preset"]
    public static let numericKeys = ["id", "n", "bp", "lr", "seed", "batch"]

    public let terms: [Term]
    /// The filter as written.
    public let description: String

    /// Parses a filter expression.
    /// - Throws: ``DomainError/invalid(field:value:reason:)`` naming the bad term.
    public init(_ expression: String) throws(DomainError) {
        var terms: [Term] = []
        for token in expression.split(whereSeparator: \.isWhitespace).map(String.init) {
            // The earliest operator in the token, the longest one at that position (`>=`, not `>`),
            // so a value may itself contain operator characters (`name~lr=1e-6`).
            let found = Operator.allCases.compactMap { op in token.firstRange(of: op.rawValue).map { (op, $0) } }
            guard
                let (op, range) = found.min(by: { a, b in
                    a.1.lowerBound != b.1.lowerBound
                        ? a.1.lowerBound < b.1.lowerBound : a.0.rawValue.count > b.0.rawValue.count
                })
            else {
                throw .invalid(
                    field: "run filter", value: token,
                    reason: "needs key OP value, e.g. n>=32 (operators: = != < <= > >= ~)")
            }
            let key = String(token[..<range.lowerBound]).lowercased()
            let value = String(token[range.upperBound...])
            guard Self.textKeys.contains(key) || Self.numericKeys.contains(key) else {
                throw .invalid(
                    field: "run filter", value: token,
                    reason:
                        "unknown key \"\(key)\" (keys: \((Self.numericKeys + Self.textKeys).joined(separator: ", ")))")
            }
            guard !value.isEmpty else { throw .invalid(field: "run filter", value: token, reason: "has no value") }
            let values = value.split(separator: ",").map(String.init)
            let numeric = Self.numericKeys.contains(key)
            if numeric, let bad = values.first(where: { Double($0) == nil }) {
                throw .invalid(field: "run filter", value: token, reason: "\(key) needs a number, got \"\(bad)\"")
            }
            if !numeric, [Operator.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op) {
                throw .invalid(field: "run filter", value: token, reason: "\(key) is text: use =, != or ~")
            }
            if numeric, op == .contains {
                throw .invalid(field: "run filter", value: token, reason: "~ applies to text keys only")
            }
            if values.count > 1, op != .equal, op != .notEqual {
                throw .invalid(field: "run filter", value: token, reason: "a value list needs = or !=")
            }
            terms.append(Term(key: key, op: op, values: values))
        }
        self.terms = terms
        self.description = expression.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `run` satisfies every term (a missing optional field satisfies only `!=`).
    public func matches(_ run: Run) -> Bool {
        terms.allSatisfy { term in
            if Self.numericKeys.contains(term.key) {
                let field: Double? =
                    switch term.key {
                    case "id": run.id.map(Double.init)
                    case "n": Double(run.rolloutsPerProblem)
                    case "bp": Double(run.problemsPerBatch)
                    case "seed": run.seed.map(Double.init)
                    case "batch": run.fixedBatch.map(Double.init)
                    default: run.learningRate
                    }
                let targets = term.values.compactMap(Double.init)
                guard let field else { return term.op == .notEqual }
                switch term.op {
                case .equal: return targets.contains(field)
                case .notEqual: return !targets.contains(field)
                case .less: return field < targets[0]
                case .lessOrEqual: return field <= targets[0]
                case .greater: return field > targets[0]
                case .greaterOrEqual: return field >= targets[0]
                case .contains: return false
                }
            }
            let field: String? =
                switch term.key {
                case "name": run.name
                case "source": run.source.rawValue
                case "model": run.model
                case "dataset": run.dataset
                case "sweep": run.sweepID
                case "preset": run.preset
                default: run.difficulty?.rawValue
                }
            guard let field else { return term.op == .notEqual }
            switch term.op {
            case .equal: return term.values.contains(field)
            case .notEqual: return !term.values.contains(field)
            case .contains: return field.contains(term.values[0])
            default: return false
            }
        }
    }
}
