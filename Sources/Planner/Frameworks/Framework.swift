public import Domain

/// A training framework IsoPlan exports plans to.
public enum Framework: String, CaseIterable, Codable, Sendable {
    case verl, trl, openrlhf

    /// The framework's name as people write it.
    public var displayName: String {
        switch self {
        case .verl: "verl"
        case .trl: "TRL"
        case .openrlhf: "OpenRLHF"
        }
    }
}

extension Framework {
    /// The exporter of this framework.
    var exporter: any FrameworkExporter.Type {
        switch self {
        case .verl: VerlExport.self
        case .trl: TRLExport.self
        case .openrlhf: OpenRLHFExport.self
        }
    }

    /// Every start-up rule IsoPlan checks for this framework.
    public var rules: [FrameworkRule] { exporter.rules }

    /// The rules `setting` breaks on `shape`.
    public func violations(of setting: BatchSetting, on shape: ClusterShape, problems: Int?) -> [RuleViolation] {
        exporter.violations(of: setting, on: shape, problems: problems)
    }

    /// The plan's settings on `shape` (see ``FrameworkExporter/export(_:on:)``).
    public func export(_ plan: Plan, on shape: ClusterShape) throws(DomainError) -> FrameworkSettings {
        try exporter.export(plan, on: shape)
    }

    /// Paste-ready text: the settings, then the notes, adjustments and cost as `#` comments.
    public func render(_ settings: FrameworkSettings) -> String { exporter.render(settings) }
}
