import Foundation

/// Runs whose reward follows known per-n ScaleRL sigmoids, for frontier tests of the store, the
/// workflow and the CLI. `R(C) = R0 + (A − R0)/(1 + 10^(B·(m − log10 C)))` with [R0, A, m, B].
public enum SyntheticRuns {
    public static let truth: [Int: [Double]] = [
        8: [0.3, 0.50, 5.0, 1.5], 32: [0.3, 0.58, 5.6, 1.5], 128: [0.3, 0.65, 6.1, 1.5], 512: [0.3, 0.74, 6.4, 1.5],
    ]
    public static let problemsPerBatch = 32

    public static func reward(n: Int, compute: Double) -> Double {
        let p = truth[n]!
        return p[0] + (p[1] - p[0]) / (1 + pow(10, p[3] * (p[2] - log10(compute))))
    }

    /// `(step, cumulative rollouts, reward)` at ~`count` log-spaced steps from compute 1e4 (or one
    /// step) to 1e7.
    public static func points(n: Int, count: Int = 80) -> [(step: Int, rollouts: Double, value: Double)] {
        let batch = Double(n * problemsPerBatch)
        let steps = Set(
            (0..<count).map { i in max(1, Int((pow(10, 4 + 3 * Double(i) / Double(count - 1)) / batch).rounded())) }
        ).sorted()
        return steps.map { (step: $0, rollouts: Double($0) * batch, value: reward(n: n, compute: Double($0) * batch)) }
    }
}
