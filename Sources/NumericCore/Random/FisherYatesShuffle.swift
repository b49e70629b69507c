/// Fisher–Yates shuffles of a fixed number of elements in the classic form: for `i` from
/// `count − 1` down to 1, swap element `i` with element `next() % (i + 1)`.
///
/// The remainders come from a multiplication by a precomputed reciprocal instead of a 64-bit
/// division (D. Lemire, O. Kaser, N. Kurz, "Faster remainder by direct computation", Software:
/// Practice and Experience 49(6), 2019, doi:10.1002/spe.2689): with `M = ⌊(2¹²⁸ − 1)/d⌋ + 1`,
/// `x mod d` is the high 64 bits of `(M·x mod 2¹²⁸)·d`, exact for every 64-bit `x`, so a shuffle
/// gives the same permutation, from the same generator draws, as the `%` form. The division was
/// the simulator's most expensive instruction per sampled problem. One value serves every
/// shuffle of `count` elements (16 bytes per element).
public struct FisherYatesShuffle: Sendable {
    public let count: Int
    /// `M` for the divisors `d = 2…count`, at `d − 2`.
    @usableFromInline let reciprocals: [UInt128]

    public init(count: Int) {
        precondition(count >= 0, "a shuffle needs count ≥ 0, got \(count)")
        self.count = count
        reciprocals = count < 2 ? [] : (2...count).map { UInt128.max / UInt128($0) &+ 1 }
    }

    /// Shuffles `elements` (exactly `count` of them) in place.
    @inlinable
    public func shuffle<Element>(
        _ elements: UnsafeMutableBufferPointer<Element>, using generator: inout some RandomNumberGenerator
    ) {
        precondition(elements.count == count, "this shuffle is for \(count) elements, got \(elements.count)")
        reciprocals.withUnsafeBufferPointer { reciprocals in
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Self.remainder(generator.next(), dividedBy: UInt64(i + 1), reciprocal: reciprocals[i - 1])
                elements.swapAt(i, Int(truncatingIfNeeded: j))
            }
        }
    }

    /// `x mod d` for `d ≥ 2` from `M = ⌊(2¹²⁸ − 1)/d⌋ + 1`.
    @inlinable
    static func remainder(_ x: UInt64, dividedBy d: UInt64, reciprocal: UInt128) -> UInt64 {
        let fraction = reciprocal &* UInt128(x)
        let low = UInt128(UInt64(truncatingIfNeeded: fraction)) &* UInt128(d)
        let high = UInt128(UInt64(truncatingIfNeeded: fraction >> 64)) &* UInt128(d)
        return UInt64(truncatingIfNeeded: (high &+ (low >> 64)) >> 64)
    }
}
