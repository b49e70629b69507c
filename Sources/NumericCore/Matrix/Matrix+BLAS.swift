internal import CLapack

// Level-2 and level-3 BLAS on `Matrix`. Results are compared with tolerances, never `==`:
// OpenBLAS picks CPU-specific kernels at run time, so the last bits can differ between machines.

/// Whether an operand enters a product as itself or transposed.
public enum Transpose: Sendable {
    case none, transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    var isTransposed: Bool { self == .transposed }
}

/// Which triangle of a symmetric result BLAS/LAPACK reads or writes.
public enum Triangle: Sendable {
    case upper, lower

    var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
    var lapack: CChar { CChar(UInt8(ascii: self == .upper ? "U" : "L")) }
}

extension Matrix {
    /// General matrix product `C ← α·op(A)·op(B) + β·C` (BLAS `dgemm`), in place on `c`.
    ///
    /// - Complexity: O(m·n·k) floating-point operations, `2·m·n·k` of them.
    /// - Precondition: shapes conform: `op(A)` is m×k, `op(B)` is k×n, `C` is m×n.
    public static func gemm(
        alpha: Double = 1, _ a: Matrix, transposeA: Transpose = .none,
        _ b: Matrix, transposeB: Transpose = .none,
        beta: Double = 0, into c: inout Matrix
    ) {
        let (m, k) = transposeA.isTransposed ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB.isTransposed ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        precondition(c.rows == m && c.columns == n, "gemm: result is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        guard m > 0, n > 0 else { return }
        let lda = a.leadingDimension
        let ldb = b.leadingDimension
        let ldc = c.leadingDimension
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(
                        CblasColMajor, transposeA.cblas, transposeB.cblas,
                        blasInt(m), blasInt(n), blasInt(k),
                        alpha, ap.baseAddress, lda, bp.baseAddress, ldb,
                        beta, cp.baseAddress, ldc)
                }
            }
        }
    }

    /// The product `op(self)·op(other)` (BLAS `dgemm`).
    /// - Complexity: O(m·n·k).
    public func multiplied(
        _ transposeSelf: Transpose = .none, by other: Matrix,
        _ transposeOther: Transpose = .none
    ) -> Matrix {
        let m = transposeSelf.isTransposed ? columns : rows
        let n = transposeOther.isTransposed ? other.rows : other.columns
        var result = Matrix(rows: m, columns: n)
        Matrix.gemm(self, transposeA: transposeSelf, other, transposeB: transposeOther, into: &result)
        return result
    }

    /// The matrix product `A·B` (BLAS `dgemm`).
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        lhs.multiplied(by: rhs)
    }

    /// Matrix–vector product `y ← α·op(A)·x + β·y` (BLAS `dgemv`), in place on `y`.
    /// - Complexity: O(m·n).
    public static func gemv(
        alpha: Double = 1, _ a: Matrix, transposeA: Transpose = .none,
        _ x: [Double], beta: Double = 0, into y: inout [Double]
    ) {
        let (outCount, inCount) = transposeA.isTransposed ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == inCount, "gemv: x has \(x.count) elements, expected \(inCount)")
        precondition(y.count == outCount, "gemv: y has \(y.count) elements, expected \(outCount)")
        guard outCount > 0 else { return }
        if inCount == 0 {
            y.scale(by: beta)
            return
        }
        let lda = a.leadingDimension
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(
                        CblasColMajor, transposeA.cblas, blasInt(a.rows), blasInt(a.columns),
                        alpha, ap.baseAddress, lda, xp.baseAddress, 1, beta, yp.baseAddress, 1)
                }
            }
        }
    }

    /// The product `op(A)·x` (BLAS `dgemv`).
    public func multiplied(_ transposeSelf: Transpose = .none, by x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: transposeSelf.isTransposed ? columns : rows)
        Matrix.gemv(self, transposeA: transposeSelf, x, into: &y)
        return y
    }

    /// The Gram matrix `AᵀA` (`.transposed`, n×n) or `AAᵀ` (`.none`, m×m) by BLAS `dsyrk`,
    /// with the triangle BLAS leaves untouched mirrored so the result is fully symmetric.
    ///
    /// Half the flops of `dgemm` for the same product: `m·n²` (or `n·m²`).
    public func gram(_ form: Transpose = .transposed) -> Matrix {
        // dsyrk computes C = α·A·Aᵀ (trans = N, A is n×k) or α·Aᵀ·A (trans = T, A is k×n).
        let size = form.isTransposed ? columns : rows
        let inner = form.isTransposed ? rows : columns
        var c = Matrix(rows: size, columns: size)
        guard size > 0 else { return c }
        let lda = leadingDimension
        let ldc = c.leadingDimension
        withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                cblas_dsyrk(
                    CblasColMajor, CblasUpper, form.isTransposed ? CblasTrans : CblasNoTrans,
                    blasInt(size), blasInt(inner), 1, ap.baseAddress, lda, 0, cp.baseAddress, ldc)
            }
        }
        c.mirrorTriangle(from: .upper)
        return c
    }

    /// Copies one triangle of a square matrix onto the other, making it symmetric.
    public mutating func mirrorTriangle(from source: Triangle) {
        precondition(isSquare, "mirrorTriangle needs a square matrix")
        let n = rows
        for j in 0..<n {
            for i in (j + 1)..<n {
                // (i, j) is below the diagonal, (j, i) above.
                if source == .upper {
                    _storage[i + j * n] = _storage[j + i * n]
                } else {
                    _storage[j + i * n] = _storage[i + j * n]
                }
            }
        }
    }
}
