/// `Σ x[k]·y[k]` over `count` elements, for short vectors in hot loops where a BLAS call costs
/// more than the arithmetic (the simulator's 32-dimensional logits, once per sampled problem).
///
/// Eight partial sums in four two-lane vectors: a single running sum chains every addition on
/// the one before, which made the simulator's dot product latency-bound. The order of the
/// additions differs from a left-to-right sum, so the last bits of the result may too.
@inlinable
public func shortDotProduct(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
    var (s0, s1, s2, s3) = (SIMD2<Double>(), SIMD2<Double>(), SIMD2<Double>(), SIMD2<Double>())
    let (rx, ry) = (UnsafeRawPointer(x), UnsafeRawPointer(y))
    let stride = MemoryLayout<SIMD2<Double>>.stride
    var k = 0
    while k &+ 8 <= count {
        let offset = k &* MemoryLayout<Double>.stride
        s0 +=
            rx.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
            * ry.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
        s1 +=
            rx.loadUnaligned(fromByteOffset: offset &+ stride, as: SIMD2<Double>.self)
            * ry.loadUnaligned(fromByteOffset: offset &+ stride, as: SIMD2<Double>.self)
        s2 +=
            rx.loadUnaligned(fromByteOffset: offset &+ 2 &* stride, as: SIMD2<Double>.self)
            * ry.loadUnaligned(fromByteOffset: offset &+ 2 &* stride, as: SIMD2<Double>.self)
        s3 +=
            rx.loadUnaligned(fromByteOffset: offset &+ 3 &* stride, as: SIMD2<Double>.self)
            * ry.loadUnaligned(fromByteOffset: offset &+ 3 &* stride, as: SIMD2<Double>.self)
        k &+= 8
    }
    var total = ((s0 + s1) + (s2 + s3)).sum()
    while k < count {
        total += x[k] * y[k]
        k &+= 1
    }
    return total
}
