import Foundation
import NumericCore

/// A power law with offset, `y = E + A·x^(−α)` (x > 0).
///
/// Parameters `[E, A, alpha]`; residual space: y. `A ≥ 0` and `α ∈ [0, 10]` by default, so
/// the curve decreases towards its floor E.
public struct PowerLaw: CurveFamily {
    public init() {}

    public var name: String { "power" }
    public var inputCount: Int { 1 }
    public var parameterNames: [String] { ["E", "A", "alpha"] }

    public func prepare(_ data: FitData) throws(FitError) -> FitData {
        try requireInputCount(data)
        if let index = data.input(0).firstIndex(where: { $0 <= 0 }) {
            throw .outOfDomain(family: name, detail: "x must be > 0 (point \(index + 1) has \(data.inputs[index, 0]))")
        }
        // Work with log x so x^(−α) = exp(−α·log x) costs one exp.
        return try FitData(x: data.input(0).map { log($0) }, y: data.targets, weights: data.weights)
    }

    public func evaluate(
        _ p: [Double], on prepared: FitData, predictions: inout [Double],
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        let (e, a, alpha) = (p[0], p[1], p[2])
        let n = prepared.count
        prepared.inputs.withUnsafeBufferPointer { logX in
            predictions.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let power = exp(-alpha * logX[i])
                    out[i] = e + a * power
                    guard let jac = jacobian else { continue }
                    jac[i] = 1
                    jac[i + n] = power
                    jac[i + 2 * n] = -a * power * logX[i]
                }
            }
        }
    }

    public func value(_ p: [Double], at input: [Double]) -> Double {
        p[0] + p[1] * pow(input[0], -p[2])
    }

    public func bounds(for prepared: FitData) -> (lower: [Double], upper: [Double]) {
        let y = prepared.targets
        let span = max((y.max() ?? 1) - (y.min() ?? 0), 1e-12)
        return ([(y.min() ?? 0) - 10 * span, 0, 0], [(y.max() ?? 1) + 10 * span, .greatestFiniteMagnitude, 10])
    }

    public func initialGrid(for prepared: FitData) -> [[Double]] {
        let y = prepared.targets
        let logX = prepared.input(0)
        guard let yMin = y.min(), let yMax = y.max(), let lxMin = logX.min() else { return [] }
        let span = max(yMax - yMin, 1e-6)
        let alphas = [0.1, 0.3, 0.6, 1.0, 2.0]
        // A chosen so that the curve spans the data at the smallest x for each α.
        return cartesianGrid([[yMin - 0.1 * span, yMin - span], alphas]).map { start in
            let (e, alpha) = (start[0], start[1])
            return [e, max(yMax - e, 1e-12) * exp(alpha * lxMin), alpha]
        }
    }
}
