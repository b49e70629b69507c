import Foundation
import NumericCore

/// Seeded test matrices of stated condition number, built from our own samplers and QR.
enum TestMatrices {
    /// An m×m orthogonal matrix: Q of the QR of a standard-normal matrix, signs fixed so R has a
    /// positive diagonal (Haar-distributed).
    static func orthogonal(_ m: Int, using rng: inout Xoshiro256StarStar) -> Matrix {
        let g = Matrix(rows: m, columns: m) { _, _ in Normal.standard(using: &rng) }
        var (q, r) = try! g.qrDecomposition()
        for j in 0..<m where r[j, j] < 0 {
            for i in 0..<m { q[i, j] = -q[i, j] }
        }
        return q
    }

    /// `A = U·diag(s)·Vᵀ`, m×n, with singular values geometric from 1 down to `1/cond`, plus the factors.
    static func withCondition(rows m: Int, columns n: Int, cond: Double, seed: UInt64)
        -> (a: Matrix, u: Matrix, s: [Double], v: Matrix)
    {
        var rng = Xoshiro256StarStar(seed: seed)
        let k = min(m, n)
        let s = geometric(from: 1, to: 1 / cond, count: k)
        let u = orthogonal(m, using: &rng).leadingColumns(k)
        let v = orthogonal(n, using: &rng).leadingColumns(k)
        return (scaledProduct(u, s, v), u, s, v)
    }

    /// `U·diag(s)·Vᵀ`.
    static func scaledProduct(_ u: Matrix, _ s: [Double], _ v: Matrix) -> Matrix {
        var us = u
        for j in 0..<s.count { for i in 0..<u.rows { us[i, j] *= s[j] } }
        return us.multiplied(by: v, .transposed)
    }

    /// Symmetric positive definite, eigenvalues geometric from 1 down to `1/cond`.
    static func symmetricPositiveDefinite(_ n: Int, cond: Double, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        let q = orthogonal(n, using: &rng)
        let a = scaledProduct(q, geometric(from: 1, to: 1 / cond, count: n), q)
        // Exact symmetry, so LAPACK's one-triangle reads see the same matrix as our checks.
        return Matrix(rows: n, columns: n) { i, j in 0.5 * (a[i, j] + a[j, i]) }
    }

    static func geometric(from a: Double, to b: Double, count: Int) -> [Double] {
        guard count > 1 else { return [a] }
        let ratio = b / a
        return (0..<count).map { a * pow(ratio, Double($0) / Double(count - 1)) }
    }

    static func randomVector(_ n: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<n).map { _ in Normal.standard(using: &rng) }
    }

    /// A matrix of one column.
    static func columnMatrix(_ x: [Double]) -> Matrix { Matrix(rows: x.count, columns: 1, columnMajor: x) }
}
