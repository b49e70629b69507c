import Foundation
public import NumericCore

/// Chinchilla's parametric loss `L(N, D) = E + A/N^α + B/D^β` (Hoffmann et al. 2022, Approach 3),
/// fitted in log space: `log L̂ = LSE(a − α·log N, b − β·log D, e)` with `A = eᵃ`, `B = eᵇ`,
/// `E = eᵉ` (Epoch AI's replication, Besiroglu et al. 2024).
///
/// Parameters `[a, b, e, alpha, beta]`; inputs N (parameters) and D (tokens), both > 0;
/// residual space: `log L`. Each point's three terms are shifted by their largest, so one `exp` of
/// the three is 1 and the sum lies in [1, 3]; the exponentials and logarithms of all points run as
/// two vector calls (``VectorMath``), and the Jacobian is the softmax weights of the three terms,
/// from the same exponentials.
public struct ChinchillaLoss: CurveFamily {
    /// Where the exponentials and logarithms run: the widest vector unit by default.
    public let instructionSet: VectorMath.InstructionSet

    public init(instructionSet: VectorMath.InstructionSet = VectorMath.best) {
        self.instructionSet = instructionSet
    }

    public var name: String { "chinchilla" }
    public var inputCount: Int { 2 }
    public var parameterNames: [String] { ["a", "b", "e", "alpha", "beta"] }

    public func prepare(_ data: FitData) throws(FitError) -> FitData {
        try requireInputCount(data)
        for j in 0..<2 {
            if let index = data.input(j).firstIndex(where: { $0 <= 0 }) {
                throw .outOfDomain(family: name, detail: "\(j == 0 ? "N" : "D") must be > 0 (point \(index + 1))")
            }
        }
        if let index = data.targets.firstIndex(where: { $0 <= 0 }) {
            throw .outOfDomain(family: name, detail: "loss must be > 0 (point \(index + 1))")
        }
        let logs = Matrix(rows: data.count, columns: 2) { i, j in log(data.inputs[i, j]) }
        return try FitData(inputs: logs, targets: data.targets.map { log($0) }, weights: data.weights)
    }

    /// Works in the Jacobian's own columns (a scratch one when none is asked for): the shifted
    /// terms go into columns 0–2 and become their exponentials in one call; column 3 holds the
    /// sums and then their logarithms; the last pass writes the predictions and the weights.
    public func evaluate(
        _ p: [Double], on prepared: FitData, predictions: inout [Double],
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        let n = prepared.count
        guard let jac = jacobian else {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * n) { scratch in
                evaluate(p, on: prepared, predictions: &predictions, jacobian: scratch)
            }
            return
        }
        let (a, b, e, alpha, beta) = (p[0], p[1], p[2], p[3], p[4])
        prepared.inputs.withUnsafeBufferPointer { x in
            predictions.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let t1 = a - alpha * x[i]
                    let t2 = b - beta * x[i + n]
                    let top = max(t1, t2, e)
                    out[i] = top
                    jac[i] = t1 - top
                    jac[i + n] = t2 - top
                    jac[i + 2 * n] = e - top
                }
                VectorMath.exp(UnsafeMutableBufferPointer(rebasing: jac[0..<(3 * n)]), using: instructionSet)
                for i in 0..<n { jac[i + 3 * n] = jac[i] + jac[i + n] + jac[i + 2 * n] }
                VectorMath.log(UnsafeMutableBufferPointer(rebasing: jac[(3 * n)..<(4 * n)]), using: instructionSet)
                for i in 0..<n {
                    out[i] += jac[i + 3 * n]
                    let inv = 1 / (jac[i] + jac[i + n] + jac[i + 2 * n])
                    let w1 = jac[i] * inv
                    let w2 = jac[i + n] * inv
                    jac[i] = w1
                    jac[i + n] = w2
                    jac[i + 2 * n] *= inv
                    jac[i + 3 * n] = -w1 * x[i]
                    jac[i + 4 * n] = -w2 * x[i + n]
                }
            }
        }
    }

    /// The Hessian of the log-sum-exp from the Jacobian alone: with softmax weights `w` (the
    /// Jacobian's first three columns) and `A` mapping θ to the three terms,
    /// `∇²f = Aᵀ(diag w − w·wᵀ)A = D − J·Jᵀ`, where D couples only parameters of the same term:
    /// `(a, α)` with weight w₁ and coefficients `(1, −log N)`, `(b, β)` with w₂ and `(1, −log D)`,
    /// `e` with w₃.
    public func addSecondOrderTerms(
        on prepared: FitData, jacobian: UnsafeBufferPointer<Double>, pulls: [Double],
        into h: UnsafeMutableBufferPointer<Double>
    ) {
        let n = prepared.count
        let p = 5
        prepared.inputs.withUnsafeBufferPointer { x in
            for i in 0..<n {
                let s = pulls[i]
                if s == 0 { continue }
                let logN = x[i]
                let logD = x[i + n]
                let w1 = jacobian[i]
                let w2 = jacobian[i + n]
                let w3 = jacobian[i + 2 * n]
                // D entries (upper triangle): (0,0) w1, (0,3) −w1·logN, (3,3) w1·logN², (1,1) w2,
                // (1,4) −w2·logD, (4,4) w2·logD², (2,2) w3.
                h[0 + 0 * p] += s * w1
                h[0 + 3 * p] += s * (-w1 * logN)
                h[3 + 3 * p] += s * (w1 * logN * logN)
                h[1 + 1 * p] += s * w2
                h[1 + 4 * p] += s * (-w2 * logD)
                h[4 + 4 * p] += s * (w2 * logD * logD)
                h[2 + 2 * p] += s * w3
                for j in 0..<p {
                    let sj = s * jacobian[i + j * n]
                    for k in j..<p { h[j + k * p] -= sj * jacobian[i + k * n] }
                }
            }
        }
    }

    /// The loss `L(N, D)` for input `[N, D]`.
    public func value(_ p: [Double], at input: [Double]) -> Double {
        exp(p[2]) + exp(p[0]) * pow(input[0], -p[3]) + exp(p[1]) * pow(input[1], -p[4])
    }

    public func bounds(for prepared: FitData) -> (lower: [Double], upper: [Double]) {
        ([-20, -20, -10, 0, 0], [60, 60, 10, 5, 5])
    }

    /// Epoch AI's grid: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}
    /// (4,500 starts), ordered (a, b, e, α, β) with a outermost.
    public func initialGrid(for prepared: FitData) -> [[Double]] {
        let ab = linearlySpaced(0, 25, count: 6)
        let exponents = linearlySpaced(0, 2, count: 5)
        return cartesianGrid([ab, ab, linearlySpaced(-1, 1, count: 5), exponents, exponents])
    }
}
