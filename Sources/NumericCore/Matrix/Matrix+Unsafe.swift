internal import CLapack

// The one place (with the BLAS/LAPACK call sites) where matrix storage is reached through pointers.

extension Matrix {
    /// Calls `body` with a pointer to the column-major storage.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try _storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the column-major storage. The count cannot change.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try _storage.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }

    /// Leading dimension for BLAS/LAPACK: at least 1 even for an empty matrix.
    var leadingDimension: Int32 { Int32(Swift.max(1, rows)) }
}

/// Converts a dimension to the 32-bit integer BLAS and LAPACKE take, trapping if it does not fit.
@inline(__always)
func blasInt(_ value: Int) -> Int32 {
    precondition(value <= Int(Int32.max), "Dimension \(value) exceeds the 32-bit BLAS integer range")
    return Int32(value)
}
