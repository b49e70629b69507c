/// A value of a framework setting, kept typed so JSON and each syntax print it right.
public enum SettingValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    /// The value as Python and Hydra write it (`True`, `2.83e-06`).
    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .double(let value): "\(value)"
        case .bool(let value): value ? "True" : "False"
        case .string(let value): value
        }
    }

    /// The integer, when it is one.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }
}

/// A plan exported to one framework on one cluster: the setting its start-up checks accept, its
/// keys and values, and what moved from the plan and what that costs.
public struct FrameworkSettings: Encodable, Hashable, Sendable {
    /// One key of the framework's configuration and its value.
    public struct Entry: Codable, Hashable, Sendable {
        public var key: String
        public var value: SettingValue
    }

    public var framework: Framework
    public var shape: ClusterShape
    /// The exported n, B_p and micro batch.
    public var setting: BatchSetting
    /// Optimizer steps M the settings run.
    public var steps: Int
    /// Passes over the D train problems (nil when D is unknown).
    public var epochs: Int?
    public var learningRate: Double
    /// The framework's keys and values, in its own order.
    public var entries: [Entry]
    /// What moved from the plan, one sentence each; empty when the plan is exported exactly.
    public var adjustments: [String]
    /// What the adjustments cost (nil when there are none).
    public var cost: AdjustmentCost?
    /// Facts a user of these settings needs (how epochs were chosen, what D they assume).
    public var notes: [String]

    /// The value of `key`, if set.
    public subscript(key: String) -> SettingValue? { entries.first { $0.key == key }?.value }

    enum CodingKeys: String, CodingKey {
        case framework, shape, setting, steps, epochs, learningRate, settings, adjustments, cost, notes
    }

    /// `settings` is an object key → value; the rest as named.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(framework, forKey: .framework)
        try container.encode(shape, forKey: .shape)
        try container.encode(setting, forKey: .setting)
        try container.encode(steps, forKey: .steps)
        try container.encodeIfPresent(epochs, forKey: .epochs)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(
            Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }), forKey: .settings)
        try container.encode(adjustments, forKey: .adjustments)
        try container.encodeIfPresent(cost, forKey: .cost)
        try container.encode(notes, forKey: .notes)
    }

    /// `# `-prefixed lines: the notes, the adjustments and their cost (all three syntaxes take `#`).
    public var commentLines: [String] {
        let cost = self.cost.map { [$0.summary] } ?? []
        let changed = adjustments.isEmpty ? [] : ["adjusted for \(framework.displayName) on \(shape.gpus) GPUs:"]
        return (notes + changed + adjustments.map { "  " + $0 } + cost).map { "# " + $0 }
    }
}
