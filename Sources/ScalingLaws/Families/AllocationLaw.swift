import Foundation
import NumericCore

/// The IsoCompute allocation law (Fig. 6 of the IsoCompute Playbook):
/// `log2 y(C) = L / (1 + exp(−k·(log10 C − log10 C0))) + b`, fitted to `(C, log2 n*)`.
///
/// Parameters `[L, k, log10_C0, b]`. Floor `2^b`, saturation `2^(b+L)`, midpoint at `C0`; k is
/// the steepness per decade. With ``Input/linear`` the input enters linearly, for the
/// fixed-batch laws `n*(M)` and `B_p*(M)` (Fig. 8), with parameters `[L, k, M0, b]`.
/// Residual space: `log2 y` (targets are given as `log2 n*`).
public struct AllocationLaw: CurveFamily {
    /// How the input enters the logistic.
    public enum Input: String, Sendable, Codable {
        /// `log10 C` (compute budgets).
        case log10
        /// The input itself (update steps M at a fixed batch).
        case linear
    }

    /// How the input enters the logistic.
    public var input: Input

    public init(input: Input = .log10) { self.input = input }

    public var name: String { input == .log10 ? "law" : "law-linear" }
    public var inputCount: Int { 1 }
    public var parameterNames: [String] { input == .log10 ? ["L", "k", "log10_C0", "b"] : ["L", "k", "M0", "b"] }

    public func prepare(_ data: FitData) throws(FitError) -> FitData {
        try requireInputCount(data)
        guard input == .log10 else { return data }
        if let index = data.input(0).firstIndex(where: { $0 <= 0 }) {
            throw .outOfDomain(
                family: name, detail: "compute must be > 0 (point \(index + 1) has \(data.inputs[index, 0]))")
        }
        return try FitData(x: data.input(0).map { log10($0) }, y: data.targets, weights: data.weights)
    }

    public func evaluate(
        _ p: [Double], on prepared: FitData, predictions: inout [Double],
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        let (l, k, u0, b) = (p[0], p[1], p[2], p[3])
        let n = prepared.count
        prepared.inputs.withUnsafeBufferPointer { x in
            predictions.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let d = x[i] - u0
                    let s = logistic(k * d)
                    out[i] = l * s + b
                    guard let jac = jacobian else { continue }
                    let ds = s * (1 - s)
                    jac[i] = s
                    jac[i + n] = l * ds * d
                    jac[i + 2 * n] = -l * ds * k
                    jac[i + 3 * n] = 1
                }
            }
        }
    }

    public func value(_ p: [Double], at input: [Double]) -> Double {
        let u = self.input == .log10 ? log10(input[0]) : input[0]
        return p[0] * logistic(p[1] * (u - p[2])) + p[3]
    }

    /// Defaults: `L ∈ [−15, 15]` (negative for decreasing laws such as `B_p*(M)`), `k ∈ [0, 50]`
    /// per decade (the bound the paper's Hard joint fit sits on) or `[0, 1]` per step, the
    /// midpoint within the data's range widened by its span, `b ∈ [−5, 15]`.
    public func bounds(for prepared: FitData) -> (lower: [Double], upper: [Double]) {
        let x = prepared.count > 0 ? prepared.input(0) : [0]
        let (lo, hi) = (x.min()!, x.max()!)
        let span = max(hi - lo, input == .log10 ? 1 : 10)
        let kMax = Self.steepnessCeiling(input)
        return ([-15, 0, lo - span, -5], [15, kMax, hi + span, 15])
    }

    /// k's upper bound: 50 per decade (the paper's Hard joint fit sits on it), 1 per step.
    public static func steepnessCeiling(_ input: Input) -> Double { input == .log10 ? 50 : 1 }

    public func initialGrid(for prepared: FitData) -> [[Double]] {
        let x = prepared.input(0)
        let y = prepared.targets
        guard let xMin = x.min(), let xMax = x.max(), let yMin = y.min(), let yMax = y.max() else { return [] }
        let rise = max(yMax - yMin, 0.5)
        let span = max(xMax - xMin, 1e-6)
        let ks = [0.5, 2, 8, 30].map { $0 / span }
        let (lower, upper) = bounds(for: prepared)
        return cartesianGrid([[rise, -rise], ks, linearlySpaced(xMin, xMax, count: 5), [yMin, yMax]])
            .map { clamp($0, lower, upper) }
    }
}
