/// How a multi-start fit with many starts spends its descents (docs/SCALING_LAWS.md, "Start
/// screening").
///
/// With `.keepBest(count, afterIterations: k)` and more than `count` starts (and more than
/// ``CurveFitter/polishedCandidates``), every start first runs at most `k` Levenberg–Marquardt
/// iterations (accepted or rejected steps; a descent may stop sooner); only the `count` with the
/// lowest objectives then (ties: the earlier start) descend to the exploration tolerance, from
/// where they stand. On Epoch AI's Chinchilla data the three starts that end the exploration
/// nearest the optimum rank between 1 and 55 of 4,500 (counting from 0) after one to ten
/// iterations, and the starts that rank low after three end their descents more than 10× above
/// the best objective.
public enum StartScreening: Sendable, Equatable {
    /// Every start descends to the exploration tolerance.
    case off
    /// Every start takes `afterIterations` steps; the best `count` go on.
    case keepBest(Int, afterIterations: Int)

    /// 256 starts after 3 steps: for the Chinchilla grid, 5.7% of the starts and a margin of
    /// 4.6× over the worst rank a winning start had on Epoch's data; grids of 256 starts or
    /// fewer (every other family's) are not screened.
    public static let standard = StartScreening.keepBest(256, afterIterations: 3)

    /// Parses `off` or `KEEP:ITERATIONS` (e.g. `256:3`), both positive.
    public init?(parsing text: String) {
        if text.lowercased() == "off" {
            self = .off
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let keep = parts[0], let steps = parts[1], keep > 0, steps > 0 else { return nil }
        self = .keepBest(keep, afterIterations: steps)
    }
}

extension StartScreening: CustomStringConvertible {
    public var description: String {
        switch self {
        case .off: "off"
        case .keepBest(let count, let steps): "\(count):\(steps)"
        }
    }
}
