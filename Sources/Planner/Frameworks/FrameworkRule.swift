/// One start-up assertion of a training framework, as IsoPlan implements it, and where the
/// framework checks it (docs/FRAMEWORKS.md lists every rule under its id).
public struct FrameworkRule: Codable, Hashable, Sendable {
    /// A stable id, such as `verl-gpus`.
    public let id: String
    /// What the rule demands, in one line.
    public let summary: String
    /// The upstream check: `owner/repo@commit path:lines`.
    public let source: String

    public init(id: String, summary: String, source: String) {
        self.id = id
        self.summary = summary
        self.source = source
    }
}

/// A rule a setting breaks, with the numbers that break it.
public struct RuleViolation: Hashable, Sendable, CustomStringConvertible {
    public let rule: FrameworkRule
    public let detail: String

    public init(_ rule: FrameworkRule, _ detail: String) {
        self.rule = rule
        self.detail = detail
    }

    public var description: String { "\(rule.id): \(detail)" }
}

/// The numbers frameworks hold a batch against: n, B_p and the per-device micro batch.
public struct BatchSetting: Codable, Hashable, Sendable {
    public var rolloutsPerProblem: Int
    public var problemsPerBatch: Int
    public var microBatch: Int

    public init(rolloutsPerProblem: Int, problemsPerBatch: Int, microBatch: Int) {
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.microBatch = microBatch
    }

    /// Rollouts per step, B = B_p·n.
    public var batch: Int { rolloutsPerProblem * problemsPerBatch }
}
