/// FNV-1a, 64 bits: a stable (process- and platform-independent) hash for content identities,
/// request hashes and deterministic random streams. Not cryptographic.
public enum StableHash {
    public static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    public static func fnv1a64(_ text: String) -> UInt64 { fnv1a64(text.utf8) }

    /// 16 lower-case hex digits.
    public static func hex(_ text: String) -> String {
        let value = fnv1a64(text)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
