import Foundation
import NumericCore

/// The ScaleRL compute sigmoid (Khatri et al. 2025):
/// `R(C) = R0 + (A − R0) / (1 + (C_mid / C)^B)`.
///
/// Parameters `[R0, A, log10 C_mid, B]` (or `[A, log10 C_mid, B]` with R0 fixed). C is compute
/// (rollouts, tokens or GPU-hours; > 0). Evaluated as a logistic of `z = B·ln 10·(log10 C −
/// log10 C_mid)`, so a tiny C cannot overflow `(C_mid/C)^B`. Residual space: R itself. A is the
/// asymptote, B the efficiency exponent, C_mid the compute at half the gain.
public struct ScaleRLSigmoid: CurveFamily {
    /// R0 held fixed, or `nil` to fit it.
    public var fixedR0: Double?

    public init(fixedR0: Double? = nil) { self.fixedR0 = fixedR0 }

    public var name: String { "scalerl" }
    public var inputCount: Int { 1 }
    public var parameterNames: [String] {
        fixedR0 == nil ? ["R0", "A", "log10_C_mid", "B"] : ["A", "log10_C_mid", "B"]
    }

    public func prepare(_ data: FitData) throws(FitError) -> FitData {
        try requireInputCount(data)
        if let index = data.input(0).firstIndex(where: { $0 <= 0 }) {
            throw .outOfDomain(
                family: name, detail: "compute must be > 0 (point \(index + 1) has \(data.inputs[index, 0]))")
        }
        let x = data.input(0).map { log10($0) }
        return try FitData(x: x, y: data.targets, weights: data.weights)
    }

    /// Splits parameters into (R0, A, m = log10 C_mid, B).
    @inline(__always)
    func unpack(_ p: [Double]) -> (r0: Double, a: Double, m: Double, b: Double) {
        if let fixedR0 { return (fixedR0, p[0], p[1], p[2]) }
        return (p[0], p[1], p[2], p[3])
    }

    public func evaluate(
        _ parameters: [Double], on prepared: FitData, predictions: inout [Double],
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        let (r0, a, m, b) = unpack(parameters)
        let n = prepared.count
        let ln10 = M_LN10
        let offset = fixedR0 == nil ? 0 : -1  // column shift when R0 is not a parameter
        prepared.inputs.withUnsafeBufferPointer { x in
            predictions.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let d = x[i] - m
                    let s = logistic(b * ln10 * d)
                    out[i] = r0 + (a - r0) * s
                    guard let jac = jacobian else { continue }
                    let slope = (a - r0) * s * (1 - s) * ln10
                    if offset == 0 { jac[i] = 1 - s }
                    jac[i + (1 + offset) * n] = s
                    jac[i + (2 + offset) * n] = -slope * b
                    jac[i + (3 + offset) * n] = slope * d
                }
            }
        }
    }

    public func value(_ parameters: [Double], at input: [Double]) -> Double {
        let (r0, a, m, b) = unpack(parameters)
        return r0 + (a - r0) * logistic(b * M_LN10 * (log10(input[0]) - m))
    }

    public func bounds(for prepared: FitData) -> (lower: [Double], upper: [Double]) {
        let y = prepared.targets
        let (lo, hi) = (y.min() ?? 0, y.max() ?? 1)
        let span = max(hi - lo, 1e-12)
        // Rewards in [0, 1] keep R0 and A there; other metrics get a band around the data.
        let (levelLow, levelHigh) = lo >= 0 && hi <= 1 ? (0.0, 1.0) : (lo - 2 * span, hi + 2 * span)
        let x = prepared.targets.isEmpty ? [0.0] : prepared.input(0)
        let (xLow, xHigh) = (x.min()! - 3, x.max()! + 3)
        let lower = [levelLow, levelLow, xLow, 0.01]
        let upper = [levelHigh, levelHigh, xHigh, 20]
        return fixedR0 == nil ? (lower, upper) : (Array(lower.dropFirst()), Array(upper.dropFirst()))
    }

    public func initialGrid(for prepared: FitData) -> [[Double]] {
        let x = prepared.input(0)
        let y = prepared.targets
        guard let xMin = x.min(), let xMax = x.max(), let yMin = y.min(), let yMax = y.max() else { return [] }
        let span = max(yMax - yMin, 1e-6)
        let r0s = [yMin, yMin - 0.25 * span]
        let amplitudes = [yMax, yMax + 0.25 * span, yMax + span]
        let mids = linearlySpaced(xMin, xMax, count: 4)
        let slopes = [0.5, 1.5, 4]
        let (lower, upper) = bounds(for: prepared)
        let axes = fixedR0 == nil ? [r0s, amplitudes, mids, slopes] : [amplitudes, mids, slopes]
        return cartesianGrid(axes).map { clamp($0, lower, upper) }
    }
}
