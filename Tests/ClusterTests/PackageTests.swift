import Foundation
import IsoplanTestSupport
import Testing

@testable import Cluster

/// The pieces of the Ray engine that need no cluster: the packages Ray unpacks (read back by
/// Python's own `zipfile`, as Ray reads them), the driver's compressed outputs, addresses.
@Suite("Ray packages and addresses")
struct PackageTests {
    /// Runs `python3 -c script args…` and returns its stdout.
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func pythonsZipfileReadsEveryEntryWithItsBytesAndMode() throws {
        let directory = try TemporaryDirectory("isoplan-zip")
        var generator = SystemRandomNumberGenerator()
        let random = Data((0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let repetitive = Data(String(repeating: "isoplan ", count: 50_000).utf8)
        let entries: [ZipArchive.Entry] = [
            .init(path: "empty/__init__.py", bytes: Data()),
            .init(path: "bin/tool", bytes: repetitive, mode: 0o755),
            .init(path: "random.bin", bytes: random),
        ]
        let archive = ZipArchive(entries).data
        #expect(archive.count < random.count + repetitive.count / 10, "the repetitive file is deflated")
        let path = directory.path("p.zip")
        try archive.write(to: URL(fileURLWithPath: path))
        // Each entry's original bytes beside the archive, for Python to compare with what it unpacks.
        for (index, entry) in entries.enumerated() {
            try entry.bytes.write(to: URL(fileURLWithPath: directory.path("\(index)")))
        }
        let listing = try Self.python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                assert z.testzip() is None
                for index, info in enumerate(z.infolist()):
                    same = z.read(info) == open(f"{sys.argv[2]}/{index}", "rb").read()
                    print(info.filename, oct(info.external_attr >> 16 & 0o777), same)
            """, [path, directory.url.path])
        let expected = entries.map { "\($0.path) 0o\(String($0.mode, radix: 8)) True" }
        #expect(listing.split(separator: "\n").map(String.init) == expected)
        #expect(ZipArchive(entries).data == archive, "the same files make the same package (its name is its hash)")
    }

    @Test func theDriversCompressedOutputsInflate() throws {
        let text = String(repeating: "{\"step\": 1, \"value\": 0.25}", count: 2_000)
        let encoded = try Self.python(
            "import sys, zlib, base64; print(base64.b64encode(zlib.compress(sys.argv[1].encode(), 6)).decode())",
            [text]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let compressed = try #require(Data(base64Encoded: encoded))
        #expect(Deflate.inflate(compressed) == Data(text.utf8))
        #expect(Deflate.inflate(Data("not zlib".utf8)) == nil)
    }

    @Test func addressesFollowRaysConvention() throws {
        #expect(try RayEngine.address("127.0.0.1:8265").absoluteString == "http://127.0.0.1:8265")
        #expect(try RayEngine.address("https://head.example:443/").absoluteString == "https://head.example:443")
        #expect(throws: ClusterError.invalidAddress("ray://head:10001")) { try RayEngine.address("ray://head:10001") }
        #expect(throws: ClusterError.invalidAddress("")) { try RayEngine.address("") }
    }

    @Test func aMissingInterpreterIsNamedFromTheShellsMessage() {
        #expect(RaySession.missingInterpreter(in: "Running entrypoint\n/bin/sh: 1: python9: not found\n") == "python9")
        #expect(RaySession.missingInterpreter(in: "Traceback\nModuleNotFoundError: No module named 'x'\n") == nil)
        #expect(shellQuoted("/usr/bin/python3") == "/usr/bin/python3")
        #expect(shellQuoted("my python") == "'my python'")
    }
}
