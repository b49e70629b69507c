import Domain
import Foundation
import GRDB
import IsoplanTestSupport
import RunStore
import Testing

@Suite("SQLite store")
struct StoreTests {
    static func sampleRun(_ name: String = "n16-bp64") -> Run {
        Run(
            name: name, source: .sim, rolloutsPerProblem: 16, problemsPerBatch: 64, learningRate: 1e-6,
            model: "Qwen2.5-7B", dataset: "math-easy", difficulty: .easy)
    }

    static func samplePoints(_ count: Int = 5) -> [MetricPoint] {
        (0..<count).map { step in
            MetricPoint(
                step: step, rollouts: Double(step * 1024), tokens: Double(step * 1024 * 700),
                metric: .validationReward, rawName: "val-core/math/reward/mean@4", value: 0.3 + 0.01 * Double(step))
        }
    }

    @Test func newDatabaseIsMigratedAndEmpty() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("new.sqlite"))
        let info = try store.info()
        #expect(info.schemaVersion == 9)
        #expect(
            info.migrations == [
                "v1-runs-and-points", "v2-fits", "v3-judge-tallies", "v4-run-sweeps", "v5-imported-files", "v6-plans",
                "v7-executor", "v8-point-wall-time", "v9-judge-tally-iteration",
            ])
        #expect(
            info.counts == ["run": 0, "point": 0, "fit": 0, "judgeTally": 0, "task": 0, "rollout": 0, "llmCall": 0])
        #expect(info.journalMode == "wal")
    }

    @Test func runsAndPointsRoundTripAcrossReopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("db.sqlite")
        let saved = try Store(path: path).insert(Self.sampleRun(), points: Self.samplePoints())
        #expect(saved.id != nil)
        let reopened = try Store(path: path)
        #expect(try reopened.runs() == [saved])
        #expect(try reopened.run(named: "n16-bp64") == saved)
        #expect(try reopened.points(ofRun: saved.id!) == Self.samplePoints())
        #expect(try reopened.points(ofRun: saved.id!, metric: .trainReward).isEmpty)
        try reopened.append([MetricPoint(step: 9, rollouts: 9216, metric: .trainReward, value: 0.5)], toRun: saved.id!)
        #expect(try reopened.info().counts["point"] == 6)
        #expect(try reopened.deleteRun(id: saved.id!))
        #expect(
            try reopened.info().counts == [
                "run": 0, "point": 0, "fit": 0, "judgeTally": 0, "task": 0, "rollout": 0, "llmCall": 0,
            ])
    }

    /// Reads inside `snapshot` see the store as it was when the snapshot began, whatever another
    /// connection commits meanwhile; the next read outside sees the commits.
    @Test func aSnapshotIgnoresCommitsMadeDuringIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("db.sqlite")
        let reader = try Store(path: path)
        let writer = try Store(path: path)
        let first = try writer.insert(Self.sampleRun("first"), points: Self.samplePoints())
        let seen = try reader.snapshot {
            let before = try reader.runs().map(\.name)
            let second = try writer.insert(Self.sampleRun("second"), points: Self.samplePoints())
            try writer.append([MetricPoint(step: 9, rollouts: 9, metric: .trainReward, value: 0.5)], toRun: first.id!)
            return (
                before, try reader.runs().map(\.name), try reader.points(ofRun: first.id!).count,
                try reader.points(ofRun: second.id!).count, try reader.info().counts["point"]
            )
        }
        #expect(seen.0 == ["first"] && seen.1 == ["first"])
        #expect(seen.2 == 5 && seen.3 == 0 && seen.4 == 5)
        #expect(try reader.runs().map(\.name) == ["first", "second"])
        #expect(try reader.info().counts["point"] == 11)
    }

    @Test func failedWritesLeaveNothingBehind() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("db.sqlite"))
        try store.insert(Self.sampleRun(), points: Self.samplePoints())

        #expect(throws: StoreError.duplicateRunName(path: store.path, name: "n16-bp64")) {
            try store.insert(Self.sampleRun(), points: Self.samplePoints(3))
        }
        var points = Self.samplePoints()
        points[3].value = .infinity
        #expect(throws: StoreError.self) { try store.insert(Self.sampleRun("other"), points: points) }
        #expect(throws: StoreError.runNotFound(path: store.path, id: 999)) {
            try store.append(Self.samplePoints(), toRun: 999)
        }
        #expect(
            try store.info().counts == [
                "run": 1, "point": 5, "fit": 0, "judgeTally": 0, "task": 0, "rollout": 0, "llmCall": 0,
            ])
    }

    /// A failure in the middle of the transaction (an SQLite trigger aborts the fourth point)
    /// must roll back the run row and the points already inserted.
    @Test func failureMidTransactionRollsBackEverything() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("db.sqlite")
        let store = try Store(path: path)
        try store.insert(Self.sampleRun(), points: Self.samplePoints())
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER abortOnStep3 BEFORE INSERT ON point WHEN NEW.step = 3
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
        }
        #expect {
            try store.insert(Self.sampleRun("second"), points: Self.samplePoints())
        } throws: { error in
            guard case .sqlite(let p, let message) = error as? StoreError else { return false }
            return p == path && message.contains("injected failure")
        }
        #expect(
            try store.info().counts == [
                "run": 1, "point": 5, "fit": 0, "judgeTally": 0, "task": 0, "rollout": 0, "llmCall": 0,
            ])
        #expect(try store.run(named: "second") == nil)
    }

    @Test func randomBytesAreRefusedAndLeftUntouched() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("noise.sqlite")
        var rng = SystemRandomNumberGenerator()
        let bytes = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &rng) })
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try Store(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(StoreError.notADatabase(path: path).isBadInput)
        #expect(String(describing: StoreError.notADatabase(path: path)).hasPrefix(path))
    }

    @Test func databaseOfAnotherApplicationIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("other.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        }
        #expect {
            try Store(path: path)
        } throws: { error in
            guard case .foreignDatabase(let p, let detail) = error as? StoreError else { return false }
            return p == path && detail.contains("invoice")
        }
        // Still in rollback-journal mode: nothing converted it to WAL.
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "delete")
    }

    @Test func databaseFromNewerVersionIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("newer.sqlite")
        _ = try Store(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        #expect(throws: StoreError.createdByNewerVersion(path: path, unknownMigrations: ["v99-from-the-future"])) {
            try Store(path: path)
        }
    }

    @Test func aRunWithAnUnknownSourceOrAPlanWithBadDetailsIsAnErrorNamingTableAndRow() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("runs.sqlite")
        let store = try Store(path: path)
        let run = try store.insert(
            Run(name: "r", source: .sim, rolloutsPerProblem: 8, problemsPerBatch: 32), points: [])
        let plan = try store.insert(
            Plan(
                budget: 1e6, unit: .rollouts, difficulty: .easy, rolloutsPerProblem: 8,
                problemsPerBatch: 32, steps: 10, learningRate: 1e-6, optimalRollouts: 8,
                lawSource: "preset", lawParameters: [], recipe: [:], rationale: ""))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE run SET source = 'slurm' WHERE id = ?", arguments: [run.id])
            try db.execute(
                sql: "UPDATE plan SET details = '{\"unit\": \"furlongs\"}' WHERE id = ?", arguments: [plan.id])
        }
        #expect(
            throws: StoreError.malformedRow(
                path: path, table: "run", row: run.id,
                detail: "source \"slurm\" is not known")
        ) {
            try store.runs()
        }
        #expect {
            try store.plans()
        } throws: { error in
            guard case .malformedRow(_, let table, let row, _) = error as? StoreError else { return false }
            return table == "plan" && row == plan.id
        }
    }

    @Test func aFitWithAnUnknownStatusIsAnErrorNamingTableAndRow() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("fits.sqlite")
        let store = try Store(path: path)
        let fit = try store.insert(
            Fit(
                kind: .curve, family: .power, parameterNames: ["E"], parameters: [1],
                objective: 0, status: .converged))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE fit SET status = 'wobbly' WHERE id = ?", arguments: [fit.id])
        }
        #expect(
            throws: StoreError.malformedRow(
                path: path, table: "fit", row: fit.id,
                detail: "status \"wobbly\" is not known")
        ) {
            try store.fits()
        }
    }

    @Test func fitsRoundTripAndTheLatestIsFound() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("fits.sqlite"))
        let older = Fit(
            kind: .frontier, family: .law, metric: .validationReward, difficulty: "easy", runFilter: "source=sim",
            runIDs: [1, 2], options: ["window": "5"], parameterNames: ["L", "k", "log10_C0", "b"],
            parameters: [6, 4.7, 5.8, 2.7], lower95: [5, 3, 5.5, 2.5], upper95: [7, 6, 6, 3],
            standardErrors: [0.5, 0.7, 0.1, 0.1], objective: 0.02, status: .converged, detailsJSON: "{\"x\":1}")
        let saved = try store.insert(older)
        var newer = older
        newer.parameters[0] = 6.1
        let savedNewer = try store.insert(newer)
        #expect(saved.id != nil && savedNewer.id! > saved.id!)
        var expected = older
        expected.id = saved.id
        #expect(try store.fits(kind: .frontier).last == expected)
        #expect(try store.latestFit(metric: .validationReward, difficulty: "easy")?.parameters[0] == 6.1)
        #expect(try store.latestFit(metric: .validationReward, difficulty: "hard") == nil)
        // A fit of unlabelled runs is found only by asking for no difficulty, and vice versa.
        #expect(try store.latestFit(metric: .validationReward, difficulty: nil) == nil)
        var unlabelled = older
        unlabelled.difficulty = nil
        try store.insert(unlabelled)
        #expect(try store.latestFit(metric: .validationReward, difficulty: nil)?.difficulty == nil)
        #expect(try store.latestFit(metric: .validationReward, difficulty: "easy")?.parameters[0] == 6.1)
        var bad = older
        bad.parameters = [1, 2]
        #expect(throws: StoreError.self) { try store.insert(bad) }
        #expect(try store.info().counts["fit"] == 3)
    }

    @Test func missingFolderCannotBeOpened() throws {
        let path = "/nonexistent-\(UUID().uuidString)/db.sqlite"
        #expect {
            try Store(path: path)
        } throws: { error in
            guard let storeError = error as? StoreError, case .missingFolder(path) = storeError else { return false }
            return !storeError.isBadInput && !FileManager.default.fileExists(atPath: path)
        }
    }

    @Test func committedVersion1FixtureStillOpens() throws {
        let fixture = try #require(
            Bundle.module.url(forResource: "v1", withExtension: "sqlite", subdirectory: "Fixtures"))
        let dir = try TemporaryDirectory()
        let path = dir.path("v1.sqlite")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        let store = try Store(path: path)
        // Opening migrates the version-1 file to the latest schema and keeps its rows.
        #expect(try store.info().schemaVersion == 9)
        let runs = try store.runs()
        #expect(runs.map(\.name) == ["fixture-n8-bp32"])
        let points = try store.points(ofRun: runs[0].id!)
        #expect(points.count == 3)
        #expect(points.map(\.step) == [0, 10, 20])
    }
}

@Suite("Judge tallies")
struct JudgeTallyStoreTests {
    @Test func totalsCountOnlyMixedGroupsAndLabels() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("db.sqlite"))
        try store.insert([
            JudgeTally(label: "run-a", taskID: "t1", groupSize: 2, passing: 1, votes: 8, correctVotes: 6),
            // Unmixed (both candidates pass): ignored.
            JudgeTally(label: "run-a", taskID: "t2", groupSize: 2, passing: 2, votes: 8, correctVotes: 8),
            JudgeTally(label: "run-b", taskID: "t1", groupSize: 4, passing: 1, votes: 8, correctVotes: 3),
        ])
        let all = try store.judgeVoteTotals()
        #expect(all.groups == 2 && all.votes == 16 && all.correctVotes == 9)
        expectClose(try #require(all.voteAccuracy), 9.0 / 16, absolute: 1e-15)
        #expect(try store.judgeVoteTotals(label: "run-b").correctVotes == 3)
        #expect(try store.judgeVoteTotals(label: "none").voteAccuracy == nil)
        #expect(try store.info().counts["judgeTally"] == 3)
    }

    @Test func totalsPerIteration() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("db.sqlite"))
        try store.insert([
            JudgeTally(label: "pdr", taskID: "t1", groupSize: 2, passing: 1, votes: 8, correctVotes: 6),
            JudgeTally(label: "pdr", taskID: "t1", iteration: 1, groupSize: 2, passing: 1, votes: 8, correctVotes: 3),
            JudgeTally(label: "pdr", taskID: "t2", iteration: 1, groupSize: 2, passing: 1, votes: 8, correctVotes: 4),
        ])
        #expect(try store.judgeVoteTotals(iteration: 0).correctVotes == 6)
        let refined = try store.judgeVoteTotals(label: "pdr", iteration: 1)
        #expect(refined.groups == 2 && refined.votes == 16 && refined.correctVotes == 7)
        #expect(try store.judgeVoteTotals(iteration: 2).groups == 0)
        #expect(throws: StoreError.self) {
            try store.insert([
                JudgeTally(
                    label: "pdr", taskID: "t3", iteration: -1, groupSize: 2, passing: 1, votes: 8, correctVotes: 1)
            ])
        }
    }

    @Test func anInvalidTallyWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("db.sqlite"))
        #expect(throws: StoreError.self) {
            try store.insert([
                JudgeTally(label: "run-a", taskID: "t1", groupSize: 2, passing: 1, votes: 8, correctVotes: 6),
                JudgeTally(label: "run-a", taskID: "t2", groupSize: 2, passing: 1, votes: 8, correctVotes: 9),
            ])
        }
        #expect(try store.judgeVoteTotals().groups == 0)
    }
}
