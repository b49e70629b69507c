internal import CLapack

// LAPACK through LAPACKE (column-major). Each wrapper copies its inputs (LAPACK overwrites
// them), checks they are finite, and maps a positive `info` to a `LinearAlgebraError` once,
// here. A negative `info` means we passed an illegal argument: it traps, naming the routine.

/// Interprets a LAPACKE return code.
/// - Parameter positive: builds the error for `info > 0`.
@inline(__always)
private func check(
    _ info: lapack_int_t, _ routine: String,
    positive: (Int) -> LinearAlgebraError
) throws(LinearAlgebraError) {
    if info == 0 { return }
    if info > 0 { throw positive(Int(info)) }
    // LAPACKE reports a failed workspace allocation as LAPACK_WORK_MEMORY_ERROR (-1010) or
    // LAPACK_TRANSPOSE_MEMORY_ERROR (-1011).
    precondition(info > -1000, "\(routine): LAPACKE could not allocate workspace (info \(info))")
    preconditionFailure("\(routine): illegal value of argument \(-info) (a bug in NumericCore)")
}

private func requireFinite(_ matrices: Matrix..., routine: String) throws(LinearAlgebraError) {
    for m in matrices where !m.storage.allSatisfy(\.isFinite) {
        throw .nonFiniteInput(routine: routine)
    }
}

private let columnMajor = Int32(LAPACK_COL_MAJOR)

private func char(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

extension Matrix {
    /// Solves the square system `A·X = B` by LU with partial pivoting (LAPACK `dgesv`).
    ///
    /// - Parameter b: right-hand sides, `n × nrhs`.
    /// - Returns: `X`, `n × nrhs`.
    /// - Throws: `.singular(routine: "dgesv", pivot:)` when an exact zero pivot occurs.
    /// - Complexity: O(n³ + n²·nrhs).
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(isSquare, "solve: matrix is \(rows)×\(columns), not square")
        precondition(b.rows == rows, "solve: right-hand side has \(b.rows) rows, expected \(rows)")
        try requireFinite(self, b, routine: "dgesv")
        var a = self
        var x = b
        var pivots = [lapack_int_t](repeating: 0, count: rows)
        let lda = leadingDimension
        let ldx = x.leadingDimension
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dgesv(
                    columnMajor, blasInt(rows), blasInt(b.columns), ap.baseAddress, lda,
                    &pivots, xp.baseAddress, ldx)
            }
        }
        try check(info, "dgesv") { .singular(routine: "dgesv", pivot: $0) }
        return x
    }

    /// Least-squares solution of a full-rank system (LAPACK `dgels`, QR or LQ).
    ///
    /// For `m ≥ n` minimises `‖A·X − B‖₂`; for `m < n` returns the minimum-norm solution of the
    /// underdetermined system. Use ``minimumNormLeastSquares(_:rcond:)`` when `A` may be
    /// rank-deficient.
    ///
    /// - Parameter b: right-hand sides, `m × nrhs`.
    /// - Returns: `X`, `n × nrhs`.
    /// - Throws: `.rankDeficient(routine: "dgels", index:)` when `A` is exactly rank-deficient.
    /// - Complexity: O(m·n·min(m, n)).
    public func leastSquares(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(b.rows == rows, "leastSquares: right-hand side has \(b.rows) rows, expected \(rows)")
        try requireFinite(self, b, routine: "dgels")
        var a = self
        let nrhs = b.columns
        let ldb = Swift.max(1, rows, columns)
        var work = Matrix(rows: ldb, columns: nrhs)
        for j in 0..<nrhs { for i in 0..<rows { work._storage[i + j * ldb] = b.storage[i + j * rows] } }
        let info = a.withUnsafeMutableBufferPointer { ap in
            work.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dgels(
                    columnMajor, char("N"), blasInt(rows), blasInt(columns), blasInt(nrhs),
                    ap.baseAddress, leadingDimension, wp.baseAddress, blasInt(ldb))
            }
        }
        try check(info, "dgels") { .rankDeficient(routine: "dgels", index: $0) }
        return Matrix(rows: columns, columns: nrhs) { i, j in work.storage[i + j * ldb] }
    }

    /// The minimum-norm least-squares solution, valid for rank-deficient `A`
    /// (LAPACK `dgelsd`, divide-and-conquer SVD).
    ///
    /// Singular values `σᵢ ≤ rcond·σ₁` are treated as zero; the default (`rcond < 0`) uses
    /// machine precision. Among all minimisers of `‖A·X − B‖₂` the result has the least `‖X‖₂`.
    ///
    /// - Returns: the solution (`n × nrhs`), the effective rank, and the singular values of `A`
    ///   in decreasing order.
    /// - Throws: `.noConvergence(routine: "dgelsd", count:)`.
    /// - Complexity: O(m·n·min(m, n)).
    public func minimumNormLeastSquares(
        _ b: Matrix, rcond: Double = -1
    ) throws(LinearAlgebraError) -> (solution: Matrix, rank: Int, singularValues: [Double]) {
        precondition(b.rows == rows, "minimumNormLeastSquares: right-hand side has \(b.rows) rows, expected \(rows)")
        try requireFinite(self, b, routine: "dgelsd")
        var a = self
        let nrhs = b.columns
        let ldb = Swift.max(1, rows, columns)
        var work = Matrix(rows: ldb, columns: nrhs)
        for j in 0..<nrhs { for i in 0..<rows { work._storage[i + j * ldb] = b.storage[i + j * rows] } }
        var s = [Double](repeating: 0, count: Swift.min(rows, columns))
        var rank: lapack_int_t = 0
        let info = a.withUnsafeMutableBufferPointer { ap in
            work.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dgelsd(
                    columnMajor, blasInt(rows), blasInt(columns), blasInt(nrhs), ap.baseAddress,
                    leadingDimension, wp.baseAddress, blasInt(ldb), &s, rcond, &rank)
            }
        }
        try check(info, "dgelsd") { .noConvergence(routine: "dgelsd", count: $0) }
        let x = Matrix(rows: columns, columns: nrhs) { i, j in work.storage[i + j * ldb] }
        return (x, Int(rank), s)
    }

    /// The Cholesky factor `L` with `A = L·Lᵀ` (LAPACK `dpotrf`); the strict upper triangle is zero.
    ///
    /// Only the lower triangle of `A` is read.
    /// - Throws: `.notPositiveDefinite(routine: "dpotrf", minor:)`.
    /// - Complexity: O(n³/3).
    public func choleskyFactor() throws(LinearAlgebraError) -> Matrix {
        precondition(isSquare, "choleskyFactor: matrix is \(rows)×\(columns), not square")
        try requireFinite(self, routine: "dpotrf")
        var l = self
        let info = l.withUnsafeMutableBufferPointer { lp in
            LAPACKE_dpotrf(columnMajor, Triangle.lower.lapack, blasInt(rows), lp.baseAddress, leadingDimension)
        }
        try check(info, "dpotrf") { .notPositiveDefinite(routine: "dpotrf", minor: $0) }
        for j in 1..<Swift.max(1, columns) { for i in 0..<j { l._storage[i + j * rows] = 0 } }
        return l
    }

    /// Solves `A·X = B` for symmetric positive-definite `A` by Cholesky (LAPACK `dposv`).
    ///
    /// Only the lower triangle of `A` is read.
    /// - Throws: `.notPositiveDefinite(routine: "dposv", minor:)`.
    /// - Complexity: O(n³/3 + n²·nrhs).
    public func choleskySolve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(isSquare, "choleskySolve: matrix is \(rows)×\(columns), not square")
        precondition(b.rows == rows, "choleskySolve: right-hand side has \(b.rows) rows, expected \(rows)")
        try requireFinite(self, b, routine: "dposv")
        var a = self
        var x = b
        let lda = leadingDimension
        let ldx = x.leadingDimension
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(
                    columnMajor, Triangle.lower.lapack, blasInt(rows), blasInt(b.columns),
                    ap.baseAddress, lda, xp.baseAddress, ldx)
            }
        }
        try check(info, "dposv") { .notPositiveDefinite(routine: "dposv", minor: $0) }
        return x
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix
    /// (LAPACK `dsyev`). Only the lower triangle is read.
    ///
    /// - Throws: `.noConvergence(routine: "dsyev", count:)`.
    /// - Complexity: O(n³).
    public func symmetricEigen() throws(LinearAlgebraError) -> (values: [Double], vectors: Matrix) {
        precondition(isSquare, "symmetricEigen: matrix is \(rows)×\(columns), not square")
        try requireFinite(self, routine: "dsyev")
        var v = self
        var w = [Double](repeating: 0, count: rows)
        let info = v.withUnsafeMutableBufferPointer { vp in
            LAPACKE_dsyev(
                columnMajor, char("V"), Triangle.lower.lapack, blasInt(rows), vp.baseAddress,
                leadingDimension, &w)
        }
        try check(info, "dsyev") { .noConvergence(routine: "dsyev", count: $0) }
        return (w, v)
    }

    /// The thin singular value decomposition `A = U·diag(σ)·Vᵀ` (LAPACK `dgesvd`).
    ///
    /// With `k = min(m, n)`: `u` is m×k, `singularValues` has k values in decreasing order,
    /// `vt` is k×n.
    /// - Throws: `.noConvergence(routine: "dgesvd", count:)`.
    /// - Complexity: O(m·n·min(m, n)).
    public func singularValueDecomposition() throws(LinearAlgebraError)
        -> (u: Matrix, singularValues: [Double], vt: Matrix)
    {
        try requireFinite(self, routine: "dgesvd")
        let k = Swift.min(rows, columns)
        var a = self
        var u = Matrix(rows: rows, columns: k)
        var vt = Matrix(rows: k, columns: columns)
        var s = [Double](repeating: 0, count: k)
        var superb = [Double](repeating: 0, count: Swift.max(1, k - 1))
        let lda = leadingDimension
        let ldu = u.leadingDimension
        let ldvt = vt.leadingDimension
        let info = a.withUnsafeMutableBufferPointer { ap in
            u.withUnsafeMutableBufferPointer { up in
                vt.withUnsafeMutableBufferPointer { vp in
                    LAPACKE_dgesvd(
                        columnMajor, char("S"), char("S"), blasInt(rows), blasInt(columns),
                        ap.baseAddress, lda, &s, up.baseAddress, ldu,
                        vp.baseAddress, ldvt, &superb)
                }
            }
        }
        try check(info, "dgesvd") { .noConvergence(routine: "dgesvd", count: $0) }
        return (u, s, vt)
    }

    /// The singular values alone, in decreasing order (LAPACK `dgesvd` without vectors).
    public func singularValues() throws(LinearAlgebraError) -> [Double] {
        try requireFinite(self, routine: "dgesvd")
        let k = Swift.min(rows, columns)
        var a = self
        var s = [Double](repeating: 0, count: k)
        var superb = [Double](repeating: 0, count: Swift.max(1, k - 1))
        var unusedU = 0.0
        var unusedVT = 0.0
        let lda = leadingDimension
        let info = a.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dgesvd(
                columnMajor, char("N"), char("N"), blasInt(rows), blasInt(columns), ap.baseAddress,
                lda, &s, &unusedU, 1, &unusedVT, 1, &superb)
        }
        try check(info, "dgesvd") { .noConvergence(routine: "dgesvd", count: $0) }
        return s
    }

    /// The thin QR factorisation `A = Q·R` of an m×n matrix with `m ≥ n`
    /// (LAPACK `dgeqrf` then `dorgqr`): `q` is m×n with orthonormal columns, `r` is n×n upper
    /// triangular.
    /// - Complexity: O(m·n²).
    public func qrDecomposition() throws(LinearAlgebraError) -> (q: Matrix, r: Matrix) {
        precondition(rows >= columns, "qrDecomposition: needs rows ≥ columns, got \(rows)×\(columns)")
        try requireFinite(self, routine: "dgeqrf")
        var a = self
        var tau = [Double](repeating: 0, count: Swift.max(1, columns))
        let lda = leadingDimension
        let info = a.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dgeqrf(columnMajor, blasInt(rows), blasInt(columns), ap.baseAddress, lda, &tau)
        }
        try check(info, "dgeqrf") { _ in preconditionFailure("dgeqrf has no positive info") }
        let r = Matrix(rows: columns, columns: columns) { i, j in i <= j ? a.storage[i + j * rows] : 0 }
        let info2 = a.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dorgqr(columnMajor, blasInt(rows), blasInt(columns), blasInt(columns), ap.baseAddress, lda, &tau)
        }
        try check(info2, "dorgqr") { _ in preconditionFailure("dorgqr has no positive info") }
        return (a, r)
    }
}
