/// Solves `A·x = b` for a small symmetric positive-definite `A` (p × p, column-major, p ≲ 10)
/// by an in-place Cholesky factorisation, without the LAPACK call overhead that dominates at
/// this size (a Levenberg–Marquardt step on 5 parameters). Returns `false` when a pivot is not
/// positive (the caller raises its damping).
///
/// `a` and `b` are overwritten (factor and solution).
@inline(__always)
func solveSmallPositiveDefinite(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ p: Int) -> Bool
{
    for j in 0..<p {
        var d = a[j + j * p]
        for k in 0..<j { d -= a[j + k * p] * a[j + k * p] }
        guard d > 0, d.isFinite else { return false }
        let l = d.squareRoot()
        a[j + j * p] = l
        for i in (j + 1)..<max(j + 1, p) {
            var s = a[i + j * p]
            for k in 0..<j { s -= a[i + k * p] * a[j + k * p] }
            a[i + j * p] = s / l
        }
    }
    for i in 0..<p {  // L·y = b
        var s = b[i]
        for k in 0..<i { s -= a[i + k * p] * b[k] }
        b[i] = s / a[i + i * p]
    }
    for i in stride(from: p - 1, through: 0, by: -1) {  // Lᵀ·x = y
        var s = b[i]
        for k in (i + 1)..<max(i + 1, p) { s -= a[k + i * p] * b[k] }
        b[i] = s / a[i + i * p]
    }
    return true
}
