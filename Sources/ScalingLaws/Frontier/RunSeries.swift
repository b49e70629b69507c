/// One run's measurements of a metric against compute, as the frontier workflow consumes them.
public struct RunSeries: Sendable, Equatable {
    /// A label for reports (the run's name).
    public var label: String
    /// Rollouts per problem, n.
    public var rolloutsPerProblem: Int
    /// Problems per batch, B_p.
    public var problemsPerBatch: Int
    /// `(step, compute, value)` in log order; a repeated step keeps its last record.
    public var points: [(step: Int, compute: Double, value: Double)]
    /// Runs with the same configuration are seeds of one experiment: the frontier averages them
    /// before taking records, and their spread is the noise. Default: n and B_p.
    public var configuration: String

    public init(
        label: String, rolloutsPerProblem: Int, problemsPerBatch: Int,
        points: [(step: Int, compute: Double, value: Double)], configuration: String? = nil
    ) {
        self.label = label
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.points = points
        self.configuration = configuration ?? "n=\(rolloutsPerProblem) bp=\(problemsPerBatch)"
    }

    public static func == (lhs: RunSeries, rhs: RunSeries) -> Bool {
        lhs.label == rhs.label && lhs.rolloutsPerProblem == rhs.rolloutsPerProblem
            && lhs.problemsPerBatch == rhs.problemsPerBatch && lhs.configuration == rhs.configuration
            && lhs.points.elementsEqual(rhs.points) { $0 == $1 }
    }

    /// Points ordered by step, a repeated step keeping its later record, with positive compute.
    public func cleaned() -> [(step: Int, compute: Double, value: Double)] {
        var byStep: [Int: (step: Int, compute: Double, value: Double)] = [:]
        for point in points { byStep[point.step] = point }
        return byStep.values.filter { $0.compute > 0 }.sorted { $0.step < $1.step }
    }
}

/// Record-breaking points (isocompute-playbook.md §4.1): after optional EMA smoothing
/// `r̃ⱼ = β·r̃ⱼ₋₁ + (1 − β)·rⱼ` and optional bucketing to `⌊r/width⌋`, keep each point whose
/// (bucketed) value exceeds every cheaper point's — the first point of each new bucket.
///
/// Input must be ordered by compute; ties in compute keep the first record-breaker.
public func recordBreakingPoints(
    _ points: [(compute: Double, value: Double)], emaCoefficient: Double? = nil, bucketWidth: Double? = nil
) -> [(compute: Double, value: Double)] {
    var result: [(compute: Double, value: Double)] = []
    var smoothed: Double?
    var best = -Double.infinity
    for point in points {
        var value = point.value
        if let beta = emaCoefficient {
            value = smoothed.map { beta * $0 + (1 - beta) * value } ?? value
            smoothed = value
        }
        let level = bucketWidth.map { (value / $0).rounded(.down) } ?? value
        if level > best {
            best = level
            result.append((point.compute, value))
        }
    }
    return result
}
