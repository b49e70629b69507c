/// A metric's name. Canonical names are the ones every module speaks; importers map framework
/// names (verl, TRL, W&B columns) onto them and keep the raw name beside the point.
public struct MetricName: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Mean validation reward over k samples per problem (avg@k): the metric frontiers are fitted on.
    public static let validationReward: MetricName = "val_reward"
    /// Mean training reward of the rollouts of a step.
    public static let trainReward: MetricName = "train_reward"
    /// Fraction of groups whose n rewards are all equal (zero standard deviation: no GRPO signal).
    public static let fractionZeroStd: MetricName = "frac_zero_std"
    /// Mean response length in tokens.
    public static let responseLength: MetricName = "response_length"

    /// Fraction of validation problems solved by at least one of k samples (`val_best@k`, coverage).
    public static func validationBest(at k: Int) -> MetricName {
        precondition(k >= 1, "best@k needs k ≥ 1")
        return MetricName(rawValue: "val_best@\(k)")
    }

    /// Fraction of validation problems solved by all k samples (`val_worst@k`, sharpening).
    public static func validationWorst(at k: Int) -> MetricName {
        precondition(k >= 1, "worst@k needs k ≥ 1")
        return MetricName(rawValue: "val_worst@\(k)")
    }

    /// Whether this is one of the canonical names (including any `val_best@k` / `val_worst@k`).
    public var isCanonical: Bool {
        if Self.fixedCanonical.contains(self) { return true }
        for prefix in ["val_best@", "val_worst@"] where rawValue.hasPrefix(prefix) {
            if let k = Int(rawValue.dropFirst(prefix.count)), k >= 1 { return true }
        }
        return false
    }

    /// The canonical names that take no parameter.
    public static let fixedCanonical: [MetricName] = [
        .validationReward, .trainReward, .fractionZeroStd, .responseLength,
    ]
}

extension MetricName: CustomStringConvertible {
    public var description: String { rawValue }
}
