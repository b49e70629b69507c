import Domain
import Foundation
import Testing

@Suite("Stable hash")
struct StableHashTests {
    /// FNV-1a 64 reference vectors (Fowler, Noll, Vo: `""`, `"a"`, `"foobar"`) in the stored format:
    /// 16 hex digits, a dash, the byte count in hex — what `importedFile.contentHash` holds, so a
    /// re-import of the same bytes finds its earlier import.
    @Test(arguments: [
        ("", "cbf29ce484222325-0"),
        ("a", "af63dc4c8601ec8c-1"),
        ("foobar", "85944171f73967e8-6"),
    ])
    func contentHashKeepsTheStoredFormat(text: String, expected: String) {
        #expect(StableHash.contentHash(Data(text.utf8)) == expected)
        #expect(StableHash.contentHash(Array(text.utf8)) == expected)
        let value = StableHash.fnv1a64(text)
        let legacy = String(format: "%016llx-%llx", value, UInt64(text.utf8.count))
        #expect(StableHash.contentHash(Data(text.utf8)) == legacy, "the format ImportWorkflow wrote before")
    }

    @Test func aLongerInputCountsItsBytesInHex() {
        let bytes = Data(repeating: 7, count: 300)
        #expect(StableHash.contentHash(bytes).hasSuffix("-12c"))
        #expect(StableHash.contentHash(bytes.prefix(255)).hasSuffix("-ff"))
        #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
    }
}
