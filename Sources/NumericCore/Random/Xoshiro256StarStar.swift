/// xoshiro256** 1.0 (Blackman & Vigna 2018, doi:10.1145/3460772): a fast, all-purpose 64-bit
/// generator with 256 bits of state and period 2²⁵⁶ − 1.
///
/// Seeding expands a 64-bit seed with ``SplitMix64``, as the authors recommend, so nearby seeds
/// give unrelated sequences. Two ways to get independent streams for parallel work:
/// - ``jump()`` advances by 2¹²⁸ draws; ``streams(_:)`` returns generators that far apart, so
///   their sequences provably never overlap in any feasible run;
/// - ``init(seed:stream:)`` hashes (seed, stream) into a fresh seed, O(1) for any stream index,
///   for sweeps whose cells each need their own reproducible generator.
///
/// The same seed gives the same sequence on every machine.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        // SplitMix64 never yields four zero words in a row, but guard the forbidden state anyway.
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The generator of stream `stream` under `seed`: the pair is hashed into one 64-bit seed,
    /// so the result depends only on (seed, stream), never on scheduling order.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed)
        let a = mixer.next()
        var streamMixer = SplitMix64(seed: stream ^ 0x6A09_E667_F3BC_C909)
        self.init(seed: a ^ streamMixer.next())
    }

    @inline(__always) @usableFromInline
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Advances the state by 2¹²⁸ draws. - Complexity: 256 steps of the generator.
    public mutating func jump() {
        jump(by: (0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C))
    }

    /// Advances the state by 2¹⁹² draws. - Complexity: 256 steps of the generator.
    public mutating func longJump() {
        jump(by: (0x76E1_5D3E_FEFD_CBBF, 0xC500_4E44_1C52_2FB3, 0x7771_0069_854E_E241, 0x3910_9BB0_2ACB_E635))
    }

    private mutating func jump(by polynomial: (UInt64, UInt64, UInt64, UInt64)) {
        var t0: UInt64 = 0
        var t1: UInt64 = 0
        var t2: UInt64 = 0
        var t3: UInt64 = 0
        for word in [polynomial.0, polynomial.1, polynomial.2, polynomial.3] {
            for bit: UInt64 in 0..<64 {
                if word & (1 &<< bit) != 0 {
                    t0 ^= s0
                    t1 ^= s1
                    t2 ^= s2
                    t3 ^= s3
                }
                _ = next()
            }
        }
        s0 = t0
        s1 = t1
        s2 = t2
        s3 = t3
    }

    /// `count` generators, each 2¹²⁸ draws after the previous one, starting with this one.
    public func streams(_ count: Int) -> [Xoshiro256StarStar] {
        var current = self
        var result: [Xoshiro256StarStar] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(current)
            current.jump()
        }
        return result
    }
}
