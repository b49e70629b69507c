import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import Testing

/// `--engine ray` against a real Ray cluster on loopback (`Tests/Ray/cluster.sh`, started by
/// `make test`): the same runs as the local engine, point for point; a killed worker and a killed
/// isoplan process; the cluster's missing requirements. Serialized: they share the cluster's
/// two CPUs, and each uses its own request so no test re-attaches to another's job.
@Suite(
    "isoplan --engine ray", .serialized,
    .enabled(
        if: ExternalPrerequisite.shouldRun(available: LocalRayCluster.address != nil),
        "no Ray test cluster: run the tests under Tests/Ray/cluster.sh (make test does)"))
struct RayEngineTests {
    static func address() throws -> String { try #require(LocalRayCluster.address, "no Ray test cluster") }

    static func sweep(_ db: String, seeds: Int, budget: String? = nil, engine: [String] = []) -> [String] {
        ["simulate", "sweep", "--db", db, "--preset", "isocompute-q1-easy", "--seeds", String(seeds), "--json"]
            + (budget.map { ["--budget", $0] } ?? []) + engine
    }

    static func ray() throws -> [String] { ["--engine", "ray", "--ray-address", try address()] }

    /// Every point of a store as `export --csv` writes it, without the store's row ids, sorted.
    static func exportedPoints(_ db: String, _ directory: TemporaryDirectory) throws -> [Substring] {
        let folder = directory.path("export-" + URL(fileURLWithPath: db).lastPathComponent)
        let export = try CommandRunner.run(["export", "--db", db, "--csv", folder])
        try #require(export.status == 0, "\(export.stderr)")
        let text = try String(contentsOfFile: folder + "/points.csv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.drop { $0 != "," } }.sorted()
    }

    static func runNames(_ db: String) throws -> [String] {
        try Store(path: db, createIfMissing: false).runs().map(\.name)
    }

    @Test func aSweepOnRayStoresTheSameRunsPointForPointAsLocal() throws {
        let directory = try TemporaryDirectory("isoplan-ray-same")
        let local = try CommandRunner.run(Self.sweep(directory.path("local.sqlite"), seeds: 3))
        try #require(local.status == 0, "\(local.stderr)")
        let ray = try CommandRunner.run(Self.sweep(directory.path("ray.sqlite"), seeds: 3, engine: try Self.ray()))
        try #require(ray.status == 0, "\(ray.stderr)")
        #expect(ray.stderr.contains("117 shards submitted"), "\(ray.stderr)")
        let localNames = try Self.runNames(directory.path("local.sqlite")).sorted()
        #expect(localNames.count == 117)
        #expect(try Self.runNames(directory.path("ray.sqlite")).sorted() == localNames)
        let localPoints = try Self.exportedPoints(directory.path("local.sqlite"), directory)
        #expect(localPoints.count > 117 * 100)
        #expect(try Self.exportedPoints(directory.path("ray.sqlite"), directory) == localPoints)

        // Everything stored: a rerun submits nothing and stores nothing again.
        let rerun = try CommandRunner.run(Self.sweep(directory.path("ray.sqlite"), seeds: 3, engine: try Self.ray()))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(!rerun.stderr.contains("Ray job"), "\(rerun.stderr)")
        #expect(try Self.runNames(directory.path("ray.sqlite")).count == 117)
    }

    @Test func aWorkerKilledMidShardIsRetriedAndEveryRunIsStoredOnce() throws {
        let directory = try TemporaryDirectory("isoplan-ray-worker")
        let db = directory.path("ray.sqlite")
        let process = try CommandRunner.start(Self.sweep(db, seeds: 1, budget: "1e8", engine: try Self.ray()))
        // SIGKILL the first worker seen running a shard.
        var killed: pid_t?
        let deadline = Date().addingTimeInterval(120)
        while killed == nil && process.isRunning && Date() < deadline {
            if let worker = LocalRayCluster.processes(named: "ray::run_binary").first {
                kill(worker, SIGKILL)
                killed = worker
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        #expect(killed != nil, "no worker was seen running a shard")
        #expect(process.terminationStatus == 0)
        #expect(try Self.runNames(db).count == 39)
    }

    @Test func aKilledIsoplanRerunReattachesAndStoresNothingTwice() throws {
        let directory = try TemporaryDirectory("isoplan-ray-reattach")
        let db = directory.path("ray.sqlite")
        let arguments = Self.sweep(db, seeds: 1, budget: "9e7", engine: try Self.ray())
        let process = try CommandRunner.start(arguments)
        let deadline = Date().addingTimeInterval(120)
        var storedBeforeKill = 0
        while process.isRunning && Date() < deadline {
            storedBeforeKill = (try? Self.runNames(db).count) ?? 0
            if storedBeforeKill >= 2 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(process.terminationReason == .uncaughtSignal, "the sweep ended before it was killed")
        let stored = try Self.runNames(db)
        #expect(stored.count < 39)

        let rerun = try CommandRunner.run(arguments)
        try #require(rerun.status == 0, "\(rerun.stderr)")
        struct Result: Decodable {
            struct RunSummary: Decodable { var name: String, alreadyStored: Bool }
            struct Engine: Decodable {
                struct Submission: Decodable { var reattached: Bool, shardsSubmitted: Int }
                var submissions: [Submission]
            }
            var runs: [RunSummary]
            var engine: Engine?
        }
        let result = try JSONDecoder().decode(Result.self, from: Data(rerun.stdout.utf8))
        // The rerun re-attached to the job the killed process submitted, and submitted no shard
        // of a run stored before the kill (a new attempt, if any, holds only runs not stored).
        let submissions = try #require(result.engine?.submissions)
        #expect(submissions.first?.reattached == true)
        #expect(submissions.dropFirst().allSatisfy { !$0.reattached && $0.shardsSubmitted <= 39 - stored.count })
        #expect(Set(result.runs.filter(\.alreadyStored).map(\.name)) == Set(stored))
        #expect(try Self.runNames(db).count == 39, "every run stored, none twice (names are unique)")
    }

    @Test func aClusterWithoutRayOrAWorkingBinaryOrAFailingShardIsAOneLineError() throws {
        let directory = try TemporaryDirectory("isoplan-ray-requirements")
        let db = directory.path("ray.sqlite")
        let noRay = try CommandRunner.run(
            Self.sweep(
                db, seeds: 1, budget: "2e6",
                engine: try Self.ray() + ["--ray-python", LocalRayCluster.pythonWithoutRay()]))
        #expect(noRay.status == 69)
        #expect(noRay.stderr.hasPrefix("error: the Ray cluster lacks the Python package ray"), "\(noRay.stderr)")
        let badBinary = try CommandRunner.run(
            Self.sweep(db, seeds: 1, budget: "2e6", engine: try Self.ray() + ["--ray-binary", "/etc/hostname"]))
        #expect(badBinary.status == 69)
        #expect(
            badBinary.stderr.hasPrefix("error: the isoplan binary cannot run on the Ray cluster: /etc/hostname"),
            "\(badBinary.stderr)")
        // A binary that runs but fails its shard: the shard's failure, after Ray's retries of lost workers only.
        let failing = try CommandRunner.run(
            Self.sweep(db, seeds: 1, budget: "2e6", engine: try Self.ray() + ["--ray-binary", "/bin/false"]))
        #expect(failing.status == 1)
        #expect(failing.stderr.hasPrefix("error: shard "), "\(failing.stderr)")
        #expect(failing.stderr.contains("failed on the Ray cluster: exit status 1"), "\(failing.stderr)")
        for result in [noRay, badBinary, failing] {
            // One line: the error and nothing else (the progress bar draws only on a terminal).
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(try Self.runNames(db).isEmpty, "nothing stored")
    }
}

@Suite("isoplan --engine ray without a cluster")
struct RayEngineAddressTests {
    @Test func anUnreachableAddressExits75WithOneLine() throws {
        let directory = try TemporaryDirectory("isoplan-ray-unreachable")
        let result = try CommandRunner.run([
            "simulate", "sweep", "--db", directory.path("x.sqlite"), "--preset", "isocompute-q1-easy", "--seeds", "1",
            "--engine", "ray", "--ray-address", "http://127.0.0.1:9",
        ])
        #expect(result.status == 75)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix("error: no Ray dashboard answers at http://127.0.0.1:9") == true, "\(result.stderr)")
    }

    @Test func rayWithoutAnAddressIsAUsageError() throws {
        let result = try CommandRunner.run(
            ["simulate", "sweep", "--preset", "isocompute-q1-easy", "--engine", "ray"],
            environment: ["RAY_ADDRESS": nil])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--engine ray needs --ray-address or RAY_ADDRESS"), "\(result.stderr)")
    }
}
