import Foundation
import IsoplanTestSupport
import Testing

@Suite("isoplan command line")
struct CLITests {
    struct Info: Decodable {
        let schemaVersion: Int
        let counts: [String: Int]
        let journalMode: String
        let path: String
    }

    @Test func dbInfoCreatesDatabaseAndPrintsJSON() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("fresh.sqlite")
        let result = try CommandRunner.run(["--db", path, "db", "info", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let info = try JSONDecoder().decode(Info.self, from: Data(result.stdout.utf8))
        #expect(info.schemaVersion == 1)
        #expect(info.counts == ["run": 0, "point": 0])
        #expect(info.journalMode == "wal")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(result.stderr.isEmpty)
    }

    @Test func globalOptionsWorkBeforeOrAfterTheSubcommand() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("g.sqlite")
        let after = try CommandRunner.run(["db", "info", "--db", path, "--json"])
        #expect(after.status == 0)
        #expect(try JSONDecoder().decode(Info.self, from: Data(after.stdout.utf8)).path == path)
        let mixed = try CommandRunner.run(["--json", "db", "info", "--db", path])
        #expect(mixed.status == 0)
        #expect(try JSONDecoder().decode(Info.self, from: Data(mixed.stdout.utf8)).path == path)
        let fromEnv = try CommandRunner.run(["db", "info", "--json"], environment: ["ISOPLAN_DB": dir.path("env.sqlite")])
        #expect(try JSONDecoder().decode(Info.self, from: Data(fromEnv.stdout.utf8)).path == dir.path("env.sqlite"))
        let defaulted = try CommandRunner.run(["db", "info", "--json"], currentDirectory: dir.url)
        #expect(defaulted.status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.path("isoplan.sqlite")))
    }

    @Test func humanTableByDefault() throws {
        let dir = try TemporaryDirectory()
        let result = try CommandRunner.run(["db", "info", "--db", dir.path("t.sqlite")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("schema"))
        #expect(result.stdout.contains("run rows"))
        #expect(result.stdout.contains("1 (v1-runs-and-points)"))
    }

    @Test func randomBytesExit65WithOneLineNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("random.bin")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: path))
        let result = try CommandRunner.run(["--db", path, "db", "info", "--json"])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(path) == true)
    }

    @Test func markdownFormat() throws {
        let dir = try TemporaryDirectory()
        let result = try CommandRunner.run(["db", "info", "--db", dir.path("m.sqlite"), "--format", "markdown"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("| field | value |\n|---|---|\n"))
        #expect(result.stdout.contains("| schema | 1 (v1-runs-and-points) |"))
    }

    @Test func emptyDatabasePathIsAUsageError() throws {
        let result = try CommandRunner.run(["db", "info", "--db", ""])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--db"))
    }

    @Test func conflictingFormatIsAUsageError() throws {
        let result = try CommandRunner.run(["version", "--json", "--format", "table"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--json"))
    }

    @Test func versionReportsOpenBLAS() throws {
        struct Version: Decodable {
            struct BLAS: Decodable { let configuration: String; let coreName: String; let threads: Int }
            let isoplan: String
            let openblas: BLAS
        }
        let result = try CommandRunner.run(["version", "--json"], environment: ["OPENBLAS_NUM_THREADS": "1"])
        #expect(result.status == 0)
        let version = try JSONDecoder().decode(Version.self, from: Data(result.stdout.utf8))
        #expect(version.openblas.configuration.hasPrefix("OpenBLAS"))
        #expect(!version.openblas.coreName.isEmpty)
        #expect(version.openblas.threads == 1)
        let text = try CommandRunner.run(["version"])
        #expect(text.stdout.contains(version.openblas.configuration))
    }

    @Test func helpListsGroupsAndGlobalOptions() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        for needle in ["--db", "--json", "db", "version", "ISOPLAN_DB"] {
            #expect(result.stdout.contains(needle), "help lacks \(needle)")
        }
        let unknown = try CommandRunner.run(["frobnicate"])
        #expect(unknown.status == 64)
    }
}
