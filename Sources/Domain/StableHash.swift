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
    public static func hex(_ text: String) -> String { sixteenHexDigits(fnv1a64(text)) }

    /// The identity of a file's content, the one content hash of IsoPlan: `fnv1a64(bytes)` as 16
    /// lower-case hex digits, a dash, and the byte count in lower-case hex (`cbf29ce484222325-0`
    /// for no bytes). O(count).
    ///
    /// The store holds it in `importedFile.contentHash`, which a re-import compares, so this is
    /// that column's format, unchanged. `fit.inputHash` held the bare FNV-1a in unpadded hex
    /// before; nothing compares that column, so fits stored since use this format and older
    /// rows stay as they are.
    public static func contentHash(_ bytes: some Collection<UInt8>) -> String {
        sixteenHexDigits(fnv1a64(bytes)) + "-" + String(bytes.count, radix: 16)
    }

    private static func sixteenHexDigits(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
