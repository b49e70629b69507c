internal import CLapack

// Level-1 BLAS on plain `[Double]` vectors.

extension Array where Element == Double {
    /// The dot product `Σ xᵢ yᵢ` (BLAS `ddot`).
    /// - Precondition: equal counts.
    public func dot(_ other: [Double]) -> Double {
        precondition(count == other.count, "dot: counts differ (\(count) vs \(other.count))")
        return withUnsafeBufferPointer { x in
            other.withUnsafeBufferPointer { y in
                cblas_ddot(blasInt(count), x.baseAddress, 1, y.baseAddress, 1)
            }
        }
    }

    /// The Euclidean norm `sqrt(Σ xᵢ²)` (BLAS `dnrm2`, scaled so it neither overflows nor underflows).
    public var euclideanNorm: Double {
        withUnsafeBufferPointer { x in cblas_dnrm2(blasInt(count), x.baseAddress, 1) }
    }

    /// `self ← alpha · x + self` (BLAS `daxpy`).
    /// - Precondition: equal counts.
    public mutating func axpy(_ alpha: Double, _ x: [Double]) {
        precondition(count == x.count, "axpy: counts differ (\(count) vs \(x.count))")
        let n = blasInt(count)
        x.withUnsafeBufferPointer { xp in
            withUnsafeMutableBufferPointer { yp in
                cblas_daxpy(n, alpha, xp.baseAddress, 1, yp.baseAddress, 1)
            }
        }
    }

    /// `self ← alpha · self` (BLAS `dscal`).
    public mutating func scale(by alpha: Double) {
        let n = blasInt(count)
        withUnsafeMutableBufferPointer { p in cblas_dscal(n, alpha, p.baseAddress, 1) }
    }
}
