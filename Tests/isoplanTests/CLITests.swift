import Domain
import Foundation
import IsoplanTestSupport
import RunStore
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
        #expect(info.schemaVersion == 3)
        #expect(info.counts == ["run": 0, "point": 0, "fit": 0, "judgeTally": 0])
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
        #expect(result.stdout.contains("2 (v1-runs-and-points, v2-fits)"))
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
        #expect(result.stdout.contains("| schema | 2 (v1-runs-and-points, v2-fits) |"))
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

@Suite("isoplan fit")
struct FitCLITests {
    @Test func fitCurveOnEpochDataPrintsTheGoldenParameters() throws {
        let dir = try TemporaryDirectory()
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ScalingLawsTests/Golden/epoch_chinchilla_svg_extracted_data.csv").path
        let result = try CommandRunner.run([
            "fit", "curve", "--db", dir.path("f.sqlite"), "--family", "chinchilla", "--csv", csv, "--x", "Model Size",
            "--tokens-from-flops", "Training FLOP", "--y", "loss", "--drop-highest", "5", "--loss", "huber:1e-3", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        struct Output: Decodable {
            struct Fit: Decodable { let parameters: [Double]; let status: String; let starts: Int }
            let fit: Fit
            let storedID: Int64?
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.fit.starts == 4500)
        #expect(abs(exp(output.fit.parameters[2]) - 1.8172) < 5e-4)
        #expect(abs(output.fit.parameters[3] - 0.3473) < 5e-4)
        #expect(output.storedID == 1)
        let list = try CommandRunner.run(["fit", "list", "--db", dir.path("f.sqlite")])
        #expect(list.stdout.contains("chinchilla"))
    }

    @Test func badCurveInputExits65WithOneLine() throws {
        let dir = try TemporaryDirectory()
        let csv = dir.path("bad.csv")
        try "c,r\n1e5,0.3\n-2e5,0.4\n3e5,0.5\n4e5,0.6\n5e5,0.62\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["fit", "curve", "--db", dir.path("f.sqlite"), "--family", "scalerl", "--csv", csv,
                                            "--x", "c", "--y", "r"])
        #expect(result.status == 65)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("compute must be > 0"))
        let missing = try CommandRunner.run(["fit", "curve", "--db", dir.path("f.sqlite"), "--family", "scalerl",
                                             "--csv", dir.path("none.csv"), "--x", "c", "--y", "r"])
        #expect(missing.status == 66)
        let usage = try CommandRunner.run(["fit", "curve", "--family", "scalerl", "--csv", csv, "--x", "c", "--y", "r",
                                           "--loss", "cauchy"])
        #expect(usage.status == 64)
        // Failed fits leave no database behind.
        #expect(!FileManager.default.fileExists(atPath: dir.path("f.sqlite")))
    }

    @Test func fitFrontierOfStoredRunsPrintsTheLawAndStoresIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("runs.sqlite")
        let store = try Store(path: path)
        for n in SyntheticRuns.truth.keys.sorted() {
            try store.insert(Run(name: "sim-n\(n)", source: "sim", rolloutsPerProblem: n,
                                 problemsPerBatch: SyntheticRuns.problemsPerBatch, difficulty: "easy"),
                             points: SyntheticRuns.points(n: n).map {
                                 MetricPoint(step: $0.step, rollouts: $0.rollouts, metric: .validationReward, value: $0.value)
                             })
        }
        let result = try CommandRunner.run(["fit", "frontier", "--db", path, "--run-filter", "source=sim n>=8",
                                            "--bootstrap", "50", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Output: Decodable {
            struct Analysis: Decodable {
                struct Handover: Decodable { let toN: Int; let isCrossing: Bool }
                struct Law: Decodable { let parameterNames: [String]; let status: String }
                let handovers: [Handover]
                let law: Law?
            }
            let analysis: Analysis
            let runIDs: [Int64]
            let difficulty: String?
            let storedID: Int64?
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.runIDs.count == 4)
        #expect(output.difficulty == "easy")
        #expect(output.analysis.handovers.filter(\.isCrossing).map(\.toN) == [32, 128, 512])
        #expect(output.analysis.law?.parameterNames == ["L", "k", "log10_C0", "b"])
        #expect(output.storedID == 1)
        let table = try CommandRunner.run(["fit", "frontier", "--db", path, "--bootstrap", "0"])
        #expect(table.stdout.contains("handovers: n 8→32"))
        #expect(table.stdout.contains("stored as fit 2"))
    }

    @Test func fitFrontierRejectsABadFilter() throws {
        let dir = try TemporaryDirectory()
        let result = try CommandRunner.run(["fit", "frontier", "--db", dir.path("f.sqlite"), "--run-filter", "colour=red"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("colour"))
        let missing = try CommandRunner.run(["fit", "frontier", "--db", dir.path("f.sqlite"), "--run-filter", "source=sim"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no such database"))
        _ = try CommandRunner.run(["db", "info", "--db", dir.path("f.sqlite")])
        let none = try CommandRunner.run(["fit", "frontier", "--db", dir.path("f.sqlite"), "--run-filter", "source=sim"])
        #expect(none.status == 65)
        #expect(none.stderr.contains("no run matches"))
    }
}

@Suite("isoplan fit solve-rates")
struct SolveRatesCLITests {
    @Test func holdoutCheckPrintsPredictedAndMeasuredPerSystem() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PlannerTests/Fixtures/tbench_core011_task_success.csv").path
        let result = try CommandRunner.run(["fit", "solve-rates", file, "--holdout-check", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable {
            struct Holdout: Decodable { let predicted: Double; let measured: Double; let keptTrials: Int }
            let system: String?
            let holdout: Holdout?
        }
        let reports = try JSONDecoder().decode([Report].self, from: Data(result.stdout.utf8))
        #expect(reports.count == 7)
        for report in reports {
            let holdout = try #require(report.holdout)
            #expect(holdout.keptTrials == 3)
            #expect(abs(holdout.predicted - holdout.measured) <= 0.03, "\(report.system ?? "")")
        }
        let one = try CommandRunner.run(["fit", "solve-rates", file, "--system", "nobody"])
        #expect(one.status == 65)
        #expect(one.stderr.contains("no system named"))
    }
}
