/// One measurement of a run: a metric's value at an update step, with the sampling compute
/// spent up to that step.
public struct MetricPoint: Codable, Hashable, Sendable {
    /// The update step, `M` so far (0 = before training).
    public var step: Int
    /// Cumulative rollouts sampled up to this step, `C = B_p·n·step` for a plain run.
    public var rollouts: Double
    /// Cumulative generated tokens up to this step, when known.
    public var tokens: Double?
    /// The canonical metric name.
    public var metric: MetricName
    /// The name the metric had in the source log, when it differs from the canonical one.
    public var rawName: String?
    /// The measured value.
    public var value: Double
    /// When the value was logged, in seconds since the Unix epoch, for logs that record it
    /// (TensorBoard event files).
    public var wallTime: Double?

    public init(
        step: Int, rollouts: Double, tokens: Double? = nil, metric: MetricName, rawName: String? = nil,
        value: Double, wallTime: Double? = nil
    ) {
        self.step = step
        self.rollouts = rollouts
        self.tokens = tokens
        self.metric = metric
        self.rawName = rawName
        self.value = value
        self.wallTime = wallTime
    }

    /// Checks the invariants every stored point holds.
    /// - Throws: ``DomainError/invalid(field:value:reason:)`` naming the first field that fails.
    public func validate() throws(DomainError) {
        if step < 0 { throw .invalid(field: "step", value: String(step), reason: "must be ≥ 0") }
        if !(rollouts.isFinite && rollouts >= 0) {
            throw .invalid(field: "rollouts", value: String(rollouts), reason: "must be finite and ≥ 0")
        }
        if let tokens, !(tokens.isFinite && tokens >= 0) {
            throw .invalid(field: "tokens", value: String(tokens), reason: "must be finite and ≥ 0")
        }
        if metric.rawValue.isEmpty { throw .invalid(field: "metric", value: "", reason: "must not be empty") }
        if !value.isFinite { throw .invalid(field: "value", value: String(value), reason: "must be finite") }
        if let wallTime, !wallTime.isFinite {
            throw .invalid(field: "wallTime", value: String(wallTime), reason: "must be finite")
        }
    }
}
