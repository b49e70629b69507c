import Domain
import Foundation
import Ingest
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
        #expect(info.schemaVersion == 9)
        #expect(
            info.counts == ["run": 0, "point": 0, "fit": 0, "judgeTally": 0, "task": 0, "rollout": 0, "llmCall": 0])
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
        let fromEnv = try CommandRunner.run(
            ["db", "info", "--json"], environment: ["ISOPLAN_DB": dir.path("env.sqlite")])
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
        #expect(
            result.stdout.contains(
                "9 (v1-runs-and-points, v2-fits, v3-judge-tallies, v4-run-sweeps, v5-imported-files, v6-plans, v7-executor, v8-point-wall-time, v9-judge-tally-iteration)"
            ))
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
        #expect(
            result.stdout.contains(
                "| schema | 9 (v1-runs-and-points, v2-fits, v3-judge-tallies, v4-run-sweeps, v5-imported-files, v6-plans, v7-executor, v8-point-wall-time, v9-judge-tally-iteration) |"
            ))
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
            struct BLAS: Decodable {
                let configuration: String
                let coreName: String
                let threads: Int
            }
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
        let csv = SharedFixture.path("epoch_chinchilla_svg_extracted_data.csv")
        let result = try CommandRunner.run([
            "fit", "curve", "--db", dir.path("f.sqlite"), "--family", "chinchilla", "--csv", csv, "--x", "Model Size",
            "--tokens-from-flops", "Training FLOP", "--y", "loss", "--drop-highest", "5", "--loss", "huber:1e-3",
            "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        struct Output: Decodable {
            struct Fit: Decodable {
                let parameters: [Double]
                let status: String
                let starts: Int
                let candidatesAtOptimum: Int?
            }
            let fit: Fit
            let storedID: Int64?
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.fit.starts == 4500)
        #expect(output.fit.candidatesAtOptimum ?? 0 >= 3)
        #expect(abs(exp(output.fit.parameters[2]) - 1.8172) < 5e-4)
        #expect(abs(output.fit.parameters[3] - 0.3473) < 5e-4)
        #expect(output.storedID == 1)
        let list = try CommandRunner.run(["fit", "list", "--db", dir.path("f.sqlite")])
        #expect(list.stdout.contains("chinchilla"))
        // Huber 1e-4: the optimum was reached by one candidate, and the table says so.
        let chaotic = try CommandRunner.run([
            "fit", "curve", "--db", dir.path("f.sqlite"), "--family", "chinchilla", "--csv", csv, "--x", "Model Size",
            "--tokens-from-flops", "Training FLOP", "--y", "loss", "--drop-highest", "5", "--loss", "huber:1e-4",
        ])
        #expect(chaotic.status == 0, "\(chaotic.stderr)")
        #expect(chaotic.stdout.contains("warning: only 1 of the polished candidates reached this optimum"))
    }

    @Test func badCurveInputExits65WithOneLine() throws {
        let dir = try TemporaryDirectory()
        let csv = dir.path("bad.csv")
        try "c,r\n1e5,0.3\n-2e5,0.4\n3e5,0.5\n4e5,0.6\n5e5,0.62\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run([
            "fit", "curve", "--db", dir.path("f.sqlite"), "--family", "scalerl", "--csv", csv,
            "--x", "c", "--y", "r",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("compute must be > 0"))
        let missing = try CommandRunner.run([
            "fit", "curve", "--db", dir.path("f.sqlite"), "--family", "scalerl",
            "--csv", dir.path("none.csv"), "--x", "c", "--y", "r",
        ])
        #expect(missing.status == 66)
        let usage = try CommandRunner.run([
            "fit", "curve", "--family", "scalerl", "--csv", csv, "--x", "c", "--y", "r",
            "--loss", "cauchy",
        ])
        #expect(usage.status == 64)
        for screening in ["256", "0:3", "256:0", "all"] {
            let bad = try CommandRunner.run([
                "fit", "curve", "--family", "scalerl", "--csv", csv, "--x", "c", "--y", "r", "--screen-starts",
                screening,
            ])
            #expect(bad.status == 64, "--screen-starts \(screening)")
            #expect(bad.stderr.contains("'\(screening)' is invalid for '--screen-starts <keep:steps|off>'"))
        }
        let family = try CommandRunner.run(["fit", "curve", "--family", "cubic", "--csv", csv, "--x", "c", "--y", "r"])
        #expect(family.status == 64)
        #expect(family.stderr.contains("'cubic' is invalid for '--family <family>'"))
        let help = try CommandRunner.run(["fit", "curve", "--help"]).stdout.split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        #expect(help.contains("(values: scalerl, law, law-linear, power, chinchilla)"))
        // Failed fits leave no database behind.
        #expect(!FileManager.default.fileExists(atPath: dir.path("f.sqlite")))
    }

    @Test func fitFrontierOfStoredRunsPrintsTheLawAndStoresIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("runs.sqlite")
        let store = try Store(path: path)
        for n in SyntheticRuns.truth.keys.sorted() {
            try store.insert(
                Run(
                    name: "sim-n\(n)", source: .sim, rolloutsPerProblem: n,
                    problemsPerBatch: SyntheticRuns.problemsPerBatch, difficulty: .easy),
                points: SyntheticRuns.points(n: n).map {
                    MetricPoint(step: $0.step, rollouts: $0.rollouts, metric: .validationReward, value: $0.value)
                })
        }
        let result = try CommandRunner.run([
            "fit", "frontier", "--db", path, "--run-filter", "source=sim n>=8",
            "--bootstrap", "50", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        struct Output: Decodable {
            struct Analysis: Decodable {
                struct Handover: Decodable {
                    let toN: Int
                    let isCrossing: Bool
                }
                struct Law: Decodable {
                    let parameterNames: [String]
                    let status: String
                }
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
        let result = try CommandRunner.run([
            "fit", "frontier", "--db", dir.path("f.sqlite"), "--run-filter", "colour=red",
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("colour"))
        let missing = try CommandRunner.run([
            "fit", "frontier", "--db", dir.path("f.sqlite"), "--run-filter", "source=sim",
        ])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no such database"))
        _ = try CommandRunner.run(["db", "info", "--db", dir.path("f.sqlite")])
        let none = try CommandRunner.run([
            "fit", "frontier", "--db", dir.path("f.sqlite"), "--run-filter", "source=sim",
        ])
        #expect(none.status == 65)
        #expect(none.stderr.contains("no run matches"))
    }
}

@Suite("isoplan fit solve-rates")
struct SolveRatesCLITests {
    @Test func holdoutCheckPrintsPredictedAndMeasuredPerSystem() throws {
        let file = SharedFixture.path("tbench_core011_task_success.csv")
        let result = try CommandRunner.run(["fit", "solve-rates", file, "--holdout-check", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable {
            struct Holdout: Decodable {
                let predicted: Double
                let measured: Double
                let keptTrials: Int
            }
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

@Suite("isoplan plan tts")
struct PlanTTSCLITests {
    static let counts = SharedFixture.path("tbench_core011_task_success.csv")

    struct Plan: Decodable {
        struct Choice: Decodable {
            struct Pipeline: Decodable {
                struct Configuration: Decodable { let rollouts, groupSize, votes, priors, iterations: Int }
                let configuration: Configuration
                let selection: String
            }
            struct Prediction: Decodable {
                struct Iteration: Decodable {
                    let passAt1: Double
                    let priorsPassAt1: Double?
                    let passingDistribution: [Double]
                }
                let accuracy: Double
                let iterations: [Iteration]
            }
            struct Interval: Decodable { let lower, upper: Double }
            struct Cost: Decodable { let rollouts, summaries, judgeCalls, sequentialRounds: Int }
            let pipeline: Pipeline
            let prediction: Prediction
            let interval: Interval
            let cost: Cost
            let totalCost, dollarsPerTask: Double
            let pairAccuracies: [Double]
        }
        struct Judge: Decodable {
            let voteAccuracy: Double
            let source: String
        }
        struct Point: Decodable { let budget, accuracy: Double }
        struct Sensitivity: Decodable { let concentration, recommendedAccuracy: Double }
        let mode: String
        let tasks: Int
        let recommendation: Choice
        let judges: [Judge]
        let curve: [Point]
        let sensitivity: [Sensitivity]
        let notes: [String]
    }

    @Test func budgetRecommendationFitsTheBudget() throws {
        let result = try CommandRunner.run([
            "plan", "tts", "--solve-rates", Self.counts, "--system", "20250711_openhands_claude-4-sonnet",
            "--judge-vote-accuracy", "0.66", "--budget", "500", "--unit", "usd", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        #expect(plan.mode == "budget" && plan.tasks == 80)
        let r = plan.recommendation
        #expect(r.totalCost <= 500 && r.totalCost > 250)
        expectClose(r.dollarsPerTask * 80, r.totalCost, relative: 1e-12)
        #expect(r.interval.lower < r.prediction.accuracy && r.prediction.accuracy < r.interval.upper)
        // Better than one rollout (the population's pass@1 is 0.42) and never above the curve.
        #expect(r.prediction.accuracy > 0.42)
        #expect(
            zip(plan.curve, plan.curve.dropFirst()).allSatisfy { $0.accuracy <= $1.accuracy && $0.budget < $1.budget })
        let table = try CommandRunner.run([
            "plan", "tts", "--solve-rates", Self.counts, "--system", "20250711_openhands_claude-4-sonnet",
            "--judge-vote-accuracy", "0.66", "--budget", "500",
        ])
        #expect(table.status == 0)
        for heading in [
            "Recommendation for a budget of $500.00 over 80 tasks", "Cost per task", "judge calls",
            "Accuracy vs budget",
        ] {
            #expect(table.stdout.contains(heading), "\(heading)")
        }
    }

    @Test func passAt1AloneAssumesAShapeAndShowsSensitivity() throws {
        let result = try CommandRunner.run([
            "plan", "tts", "--pass-at-1", "0.45", "--judge-vote-accuracy", "0.8",
            "--target-accuracy", "0.55", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        #expect(plan.mode == "target" && plan.tasks == 100)
        #expect(plan.recommendation.prediction.accuracy >= 0.55)
        #expect(plan.sensitivity.map(\.concentration) == [0.27, 0.41, 0.87, 2.0])
        #expect(plan.notes.contains { $0.contains("assumed") })
    }

    @Test func fixedConfigurationPredictsTheReferenceDefault() throws {
        let result = try CommandRunner.run([
            "plan", "tts", "--solve-rates", Self.counts, "--system", "20250829_goose_claude-4-opus",
            "--judge-pair-accuracy", "0.8", "--config", "N=16,G=2,V=8,K=4,T=2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        let c = plan.recommendation
        #expect(plan.mode == "fixed" && c.pipeline.configuration.priors == 4 && c.pipeline.selection == "select")
        #expect(
            c.cost.rollouts == 32 && c.cost.summaries == 32 && c.cost.judgeCalls == 216 && c.cost.sequentialRounds == 10
        )
        #expect(plan.judges.count == 1 && plan.judges[0].source.contains("pairwise"))
    }

    @Test func judgeFromStoreUsesTheMeasuredAccuracy() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("judge.sqlite")
        let store = try Store(path: path)
        try store.insert([
            JudgeTally(label: "exec-1", taskID: "t1", groupSize: 2, passing: 1, votes: 100, correctVotes: 70)
        ])
        let result = try CommandRunner.run([
            "plan", "tts", "--db", path, "--pass-at-1", "0.4", "--judge-from-store",
            "--config", "N=8,G=2,V=8", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        #expect(plan.judges.count == 1)
        expectClose(plan.judges[0].voteAccuracy, 0.7, absolute: 1e-12)
        let empty = try CommandRunner.run([
            "plan", "tts", "--db", path, "--judge-label", "other", "--pass-at-1", "0.4",
            "--judge-from-store", "--config", "N=8",
        ])
        #expect(empty.status == 65 && empty.stderr.contains("no judge votes"))
        let missing = try CommandRunner.run([
            "plan", "tts", "--db", dir.path("none.sqlite"), "--pass-at-1", "0.4",
            "--judge-from-store", "--config", "N=8",
        ])
        #expect(missing.status == 66)
    }

    @Test func eachIterationHasItsOwnJudge() throws {
        func plan(_ judge: [String]) throws -> Plan {
            let result = try CommandRunner.run(
                ["plan", "tts", "--pass-at-1", "0.47", "--config", "N=16,G=2,V=8,K=4,T=2", "--json"] + judge)
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        }
        let one = try plan(["--judge-pair-accuracy", "0.78"])
        let same = try plan(["--judge-pair-accuracy", "0.78,0.78"])
        let weaker = try plan(["--judge-pair-accuracy", "0.78, 0.6"])
        #expect(one.judges.count == 1 && same.judges.count == 2 && weaker.judges.count == 2)
        expectClose(same.recommendation.prediction.accuracy, one.recommendation.prediction.accuracy, absolute: 1e-12)
        // Iteration 1's judge runs only the final RTV: select-K and iteration 1 do not move, the final does.
        let (a, b) = (one.recommendation.prediction, weaker.recommendation.prediction)
        expectClose(b.iterations[0].priorsPassAt1 ?? -1, a.iterations[0].priorsPassAt1 ?? 1, absolute: 1e-12)
        expectClose(b.iterations[1].passAt1, a.iterations[1].passAt1, absolute: 1e-12)
        #expect(b.accuracy < a.accuracy - 0.005)
        expectClose(weaker.recommendation.pairAccuracies[1], 0.6, absolute: 1e-9)
        #expect(weaker.judges[1].source.contains("0.6"))
        // The text output names both judges and the iterations' 0/N and N/N task counts.
        let table = try CommandRunner.run([
            "plan", "tts", "--pass-at-1", "0.47", "--config", "N=16,G=2,V=8,K=4,T=2",
            "--judge-pair-accuracy", "0.78,0.6",
        ])
        for text in [
            "judge, iteration 0", "judge, iterations ≥ 1", "tasks at 0/16", "tasks at 16/16", "priors' pass@1",
        ] {
            #expect(table.stdout.contains(text), "\(text)")
        }
        let extra = try plan(["--judge-vote-accuracy", "0.7,0.6,0.5"])
        #expect(
            extra.judges.count == 2
                && extra.notes.contains { $0.contains("3 judges (given or measured) for at most 2") })
        let bad = try CommandRunner.run([
            "plan", "tts", "--pass-at-1", "0.47", "--config", "N=16", "--judge-vote-accuracy", "0.7,1.2",
        ])
        #expect(bad.status == 64 && bad.stderr.contains("--judge-vote-accuracy must lie in [0, 1]"))
        let garbled = try CommandRunner.run([
            "plan", "tts", "--pass-at-1", "0.47", "--config", "N=16", "--judge-vote-accuracy", "0.7,,0.6",
        ])
        #expect(garbled.status == 64)
    }

    @Test func redistributionPredictsTheRefinedPopulationTaskByTask() throws {
        struct Output: Decodable {
            struct Redistribution: Decodable {
                struct Iteration: Decodable { let passingDistribution: [Double] }
                let iterations: [Iteration]
                let accuracy: Double
                let judgeAccuracies: [Double]
            }
            let redistribution: Redistribution?
        }
        let arguments = [
            "plan", "tts", "--pass-at-1", "0.7094", "--zero-share", "0.146", "--judge-pair-accuracy", "0.670,0.582",
            "--config", "N=16,G=2,V=8,K=4,T=2", "--tasks", "500", "--redistribution",
        ]
        let result = try CommandRunner.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let r = try #require(try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)).redistribution)
        let (before, after) = (r.iterations[0].passingDistribution, r.iterations[1].passingDistribution)
        expectClose(500 * before[0], 73, absolute: 0.05)
        #expect(500 * (after[0] - before[0]) > 12.6 && 500 * (after[16] - before[16]) > 84.6)
        expectClose(r.judgeAccuracies[1], 0.582, absolute: 1e-4)
        let table = try CommandRunner.run(arguments)
        for text in ["Refined population, task by task", "judge on a task of rate p", "w₀ = 0.1376"] {
            #expect(table.stdout.contains(text), "\(text)")
        }
        for (bad, message) in [
            (["--zero-share", "0.1", "--budget", "100"], "--zero-share goes with --pass-at-1 and --config"),
            (["--redistribution", "--budget", "100"], "--redistribution goes with --config"),
        ] {
            let refused = try CommandRunner.run(
                ["plan", "tts", "--pass-at-1", "0.7", "--judge-vote-accuracy", "0.7"] + bad)
            #expect(refused.status == 64 && refused.stderr.contains(message), "\(refused.stderr)")
        }
        for (config, zeroShare, message) in [
            ("N=16,G=2,V=8,K=2,T=2", "0.146", "the redistribution model needs select-K"),
            ("N=16,G=2,V=8,K=4,T=2", "0.5", "the share of tasks at 0/16 must lie in"),
        ] {
            let refused = try CommandRunner.run([
                "plan", "tts", "--pass-at-1", "0.7094", "--zero-share", zeroShare, "--judge-vote-accuracy", "0.7",
                "--config", config, "--redistribution",
            ])
            #expect(refused.status == 65 && refused.stderr.contains(message), "\(refused.stderr)")
        }
    }

    @Test func judgeFromStoreReadsEachIteration() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("judge.sqlite")
        let store = try Store(path: path)
        try store.insert([
            JudgeTally(label: "pdr", taskID: "t1", iteration: 0, groupSize: 2, passing: 1, votes: 80, correctVotes: 60),
            JudgeTally(label: "pdr", taskID: "t2", iteration: 0, groupSize: 2, passing: 2, votes: 8, correctVotes: 8),
            JudgeTally(label: "pdr", taskID: "t1", iteration: 1, groupSize: 2, passing: 1, votes: 40, correctVotes: 22),
        ])
        let result = try CommandRunner.run([
            "plan", "tts", "--db", path, "--pass-at-1", "0.5", "--judge-from-store",
            "--config", "N=8,G=2,V=8,K=2,T=2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        #expect(plan.judges.count == 2)
        expectClose(plan.judges[0].voteAccuracy, 0.75, absolute: 1e-12)
        expectClose(plan.judges[1].voteAccuracy, 0.55, absolute: 1e-12)
        #expect(plan.judges[1].source.contains("iteration 1") && plan.judges[1].source.contains("22 of 40 votes"))
        // RTV alone uses iteration 0's judge only.
        let rtv = try CommandRunner.run([
            "plan", "tts", "--db", path, "--pass-at-1", "0.5", "--judge-from-store", "--config", "N=8", "--json",
        ])
        let rtvPlan = try JSONDecoder().decode(Plan.self, from: Data(rtv.stdout.utf8))
        #expect(rtvPlan.judges.count == 1)
        expectClose(rtvPlan.judges[0].voteAccuracy, 0.75, absolute: 1e-12)
    }

    @Test func badRequestsExplainThemselves() throws {
        let both = try CommandRunner.run([
            "plan", "tts", "--pass-at-1", "0.4", "--judge-vote-accuracy", "0.7", "--budget", "10",
            "--config", "N=4",
        ])
        #expect(both.status == 64 && both.stderr.contains("exactly one of --budget"))
        let noJudge = try CommandRunner.run(["plan", "tts", "--pass-at-1", "0.4", "--budget", "10"])
        #expect(noJudge.status == 64 && noJudge.stderr.contains("judge"))
        let poor = try CommandRunner.run([
            "plan", "tts", "--pass-at-1", "0.4", "--judge-vote-accuracy", "0.7", "--budget", "1",
        ])
        #expect(poor.status == 65 && poor.stderr.contains("cheapest configuration costs"))
        let missing = try CommandRunner.run([
            "plan", "tts", "--solve-rates", "/nonexistent.csv", "--judge-vote-accuracy", "0.7",
            "--budget", "10",
        ])
        #expect(missing.status == 66)
    }
}

@Suite("isoplan simulate")
struct SimulateCLITests {
    struct Result: Decodable {
        struct RunSummary: Decodable {
            let name: String
            let alreadyStored: Bool
            let bestValidationReward: Double?
        }
        let runs: [RunSummary]
        let dropped: [String]
    }

    @Test func sweepStoresRunsAndResumes() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("sim.sqlite")
        let arguments = [
            "simulate", "sweep", "--preset", "isocompute-q1-hard", "--problems", "300", "--seeds", "1",
            "--budget", "2e5", "--db", db, "--json",
        ]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let result = try JSONDecoder().decode(Result.self, from: Data(first.stdout.utf8))
        // B_p ∈ {512, 1024} exceed 300 problems: 3 + 2 configurations dropped, 22 simulated.
        #expect(result.runs.count == 22 && result.dropped.count == 5 && result.runs.allSatisfy { !$0.alreadyStored })
        #expect(first.stderr.contains("dropped"))
        let again = try JSONDecoder().decode(Result.self, from: Data(try CommandRunner.run(arguments).stdout.utf8))
        #expect(again.runs.allSatisfy { $0.alreadyStored })
        let store = try Store(path: db)
        let runs = try store.runs(matching: try RunFilter("preset=isocompute-q1-hard n=32"))
        #expect(runs.count == 4 && runs.allSatisfy { $0.seed == 0 && $0.difficulty == .hard && $0.source == .sim })
        let points = try store.points(ofRun: runs[0].id!, metric: .validationReward)
        #expect(points.first?.step == 0 && points.count >= 20)
        // The stored runs feed the frontier workflow like imported logs.
        let frontier = try CommandRunner.run([
            "fit", "frontier", "--db", db, "--run-filter", "preset=isocompute-q1-hard", "--bootstrap", "0",
        ])
        #expect(frontier.status == 0, "\(frontier.stderr)")
    }

    @Test func badConfigurationsAreUsageErrors() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("sim.sqlite")
        for (arguments, fragment) in [
            (["simulate", "run", "--difficulty", "easy", "-n", "1", "--bp", "32"], "-n must be ≥ 2"),
            (
                ["simulate", "run", "--difficulty", "easy", "-n", "8", "--bp", "64", "--problems", "50"],
                "exceeds the 50 train problems"
            ),
            (["simulate", "run", "--difficulty", "easy", "-n", "8", "--bp", "32", "--budget=-1"], "positive"),
            (["simulate", "sweep", "--preset", "isocompute-q7"], "invalid for '--preset"),
            (["simulate", "run", "--difficulty", "medium", "-n", "8", "--bp", "32"], "invalid for '--difficulty"),
            (["simulate", "run", "--difficulty", "easy", "-n", "8", "--bp", "32", "--budget", "1e30"], "at most 1e13"),
            (["simulate", "run", "--difficulty", "easy", "-n", "9223372036854775807", "--bp", "2"], "2^20"),
            (["plan", "train", "--budget", "1e30"], "1e18"),
            (["import", "verl", "x.log", "--n", "99999999999", "--bp", "8"], "2^20"),
        ] {
            let result = try CommandRunner.run(arguments + ["--db", db])
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(fragment), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: db))  // refused before any work, nothing created
    }
}

@Suite("isoplan import")
struct ImportCLITests {
    @Test func importsAndExplainsBadInput() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("i.sqlite")
        let log = SharedFixture.path("verl-data_gemma-2-2b-it-ppo_gsm8k_2024-12.log")
        let excerpt = SharedFixture.path("verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log")
        let missing = try CommandRunner.run(["import", "verl", excerpt, "--bp", "512", "--db", db])
        #expect(missing.status == 64 && missing.stderr.contains("missing --n"))
        // A log that prints its configuration gives n and B_p itself (PPO: n = 1, B_p = 512).
        let other = dir.path("other.sqlite")
        let configured = try CommandRunner.run(["import", "verl", log, "--name", "gemma-from-config", "--db", other])
        #expect(configured.status == 0, "\(configured.stderr)")
        let run = try #require(try Store(path: other).run(named: "gemma-from-config"))
        #expect(run.rolloutsPerProblem == 1 && run.problemsPerBatch == 512)
        let manifest = dir.path("manifest.csv")
        try Data("file,n,bp,name\n\(log),4,512,gemma-ppo\n".utf8).write(to: URL(fileURLWithPath: manifest))
        let ok = try CommandRunner.run(["import", "verl", "--manifest", manifest, "--db", db, "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        struct Result: Decodable {
            let run: String
            let action: String
            let canonical: [String: String]
        }
        let results = try JSONDecoder().decode([Result].self, from: Data(ok.stdout.utf8))
        #expect(
            results.count == 1 && results[0].run == "gemma-ppo"
                && results[0].canonical["val_reward"] == "test_score/openai/gsm8k")
        let bad = dir.path("bad.log")
        try Data("(x) step:1 - a:1\n(x) step:2 - broken\n".utf8).write(to: URL(fileURLWithPath: bad))
        let malformed = try CommandRunner.run(["import", "verl", bad, "--n", "4", "--bp", "8", "--db", db])
        #expect(malformed.status == 65 && malformed.stderr.contains("bad.log:2"))
        let none = try CommandRunner.run(["import", "trl", dir.path("nope.json"), "--n", "4", "--bp", "8", "--db", db])
        #expect(none.status == 66)
    }

    /// Eight imports started at the same moment into one new store all land: the processes race
    /// to create and migrate the file, and every one of them waits for the others' locks.
    @Test func concurrentImportsIntoOneNewStoreAllLand() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("shared.sqlite")
        let log = try String(
            contentsOfFile: SharedFixture.path("verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"), encoding: .utf8)
        let names = (1...8).map { "run-\($0)" }
        // Eight distinct files (an import of identical content is recognised as unchanged).
        for name in names {
            try (log + "\(name)\n").write(toFile: dir.path("\(name).log"), atomically: true, encoding: .utf8)
        }
        let results = CommandRunner.runAtOnce(
            names.map {
                ["import", "verl", dir.path("\($0).log"), "--n", "5", "--bp", "1024", "--name", $0, "--db", db]
            })
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let stored = try Store(path: db, createIfMissing: false)
        #expect(try Set(stored.runs().map(\.name)) == Set(names))
        #expect(try stored.info().migrations == Store(path: dir.path("alone.sqlite")).info().migrations)
    }

    /// `import tensorboard`: a log directory becomes a run once; a file still being written is
    /// imported with a warning; a damaged record is one line on stderr, exit 65, nothing stored.
    @Test func importsTensorBoardEventFiles() throws {
        struct Result: Decodable {
            let run: String
            let action: String
            let points: Int
            let canonical: [String: String]
            let warnings: [String]
        }
        let dir = try TemporaryDirectory()
        let db = dir.path("tb.sqlite")
        let logs = SharedFixture.path("tensorboard/verl-grpo")
        let arguments = ["import", "tensorboard", logs, "--n", "8", "--bp", "64", "--db", db, "--json"]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let created = try JSONDecoder().decode([Result].self, from: Data(first.stdout.utf8))
        #expect(created.count == 1 && created[0].run == "verl-grpo" && created[0].action == "created")
        #expect(created[0].points == 283 && created[0].canonical["val_reward"] == "val-core/openai/gsm8k/reward/mean@1")
        let again = try JSONDecoder().decode([Result].self, from: Data(try CommandRunner.run(arguments).stdout.utf8))
        #expect(again.map(\.action) == ["unchanged"])
        let store = try Store(path: db)
        let run = try #require(try store.run(named: "verl-grpo"))
        #expect(try store.runs().count == 1 && store.points(ofRun: run.id!).count == 283)

        let whole = try Data(contentsOf: URL(fileURLWithPath: SharedFixture.path("tensorboard/openrlhf-ppo.tfevents")))
        let growing = dir.path("ppo.tfevents")
        try whole.prefix(whole.count - 20).write(to: URL(fileURLWithPath: growing))
        let partial = try CommandRunner.run(["import", "tensorboard", growing, "--n", "8", "--bp", "128", "--db", db])
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stdout.contains("warning: \(growing): the record at byte offset 20744 is incomplete"))
        var bytes = [UInt8](whole)
        bytes[2465 + 12 + 3] ^= 0x20
        let bad = dir.path("bad.tfevents")
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let corrupt = try CommandRunner.run(["import", "tensorboard", bad, "--n", "8", "--bp", "128", "--db", db])
        #expect(corrupt.status == 65)
        #expect(corrupt.stderr.split(separator: "\n").count == 1)
        #expect(corrupt.stderr.hasPrefix("error: \(bad): byte offset 2465: data CRC mismatch (stored 0x"))
        #expect(try store.run(named: "bad") == nil && store.runs().count == 2)
    }
}

@Suite("isoplan plan train")
struct PlanTrainCLITests {
    struct Plan: Decodable {
        let rolloutsPerProblem, problemsPerBatch, steps: Int
        let lawSource: String
        let warnings: [String]
        let id: Int64?
    }

    @Test func presetLawThenAStoredFitWins() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("p.sqlite")
        let preset = try CommandRunner.run([
            "plan", "train", "--budget", "1e6", "--difficulty", "easy", "--db", db, "--json",
        ])
        #expect(preset.status == 0, "\(preset.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(preset.stdout.utf8))
        #expect(plan.rolloutsPerProblem == 128 && plan.lawSource == "preset:q1-easy" && plan.id != nil)
        let verl = try CommandRunner.run(["plan", "train", "--budget", "2e6", "--db", db, "--export", "verl"])
        #expect(verl.stdout.contains("actor_rollout_ref.rollout.n=256"))
        // --format verl stays an alias of --export verl for one release: the same settings.
        let alias = try CommandRunner.run(["plan", "train", "--budget", "2e6", "--db", db, "--format", "verl"])
        #expect(alias.status == 0 && alias.stdout == verl.stdout)
        let conflict = try CommandRunner.run([
            "plan", "train", "--budget", "2e6", "--db", db, "--export", "trl", "--format", "verl",
        ])
        #expect(conflict.status == 64)
        let help = try CommandRunner.run(["plan", "train", "--help"]).stdout.split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        #expect(help.contains("(values: verl, trl, openrlhf)"))
        #expect(help.contains("(values: rollouts, tokens, gpu-hours, usd;"))
        // A simulated sweep's frontier fit is the law of later plans (without --law) when it is
        // identified (`IdentifiedLawPlanTests`). This one-seed sweep to 2e5 identifies none (k on
        // its bound): within its range the plan takes the best measured n, beyond it the published
        // law, and each says why.
        _ = try CommandRunner.run([
            "simulate", "sweep", "--preset", "isocompute-q1-easy", "--problems", "500", "--seeds", "1",
            "--budget", "2e5", "--db", db,
        ])
        let fit = try CommandRunner.run([
            "fit", "frontier", "--db", db, "--run-filter", "preset=isocompute-q1-easy", "--bootstrap", "0",
        ])
        #expect(fit.status == 0, "\(fit.stderr)")
        // Too thin to identify a law: the output says why and which runs to make next.
        #expect(
            fit.stdout.contains("law NOT IDENTIFIED") && fit.stdout.contains("suggested next runs"), "\(fit.stdout)")
        let fromFit = try CommandRunner.run([
            "plan", "train", "--budget", "1e6", "--difficulty", "easy", "--db", db, "--json",
        ])
        let beyond = try JSONDecoder().decode(Plan.self, from: Data(fromFit.stdout.utf8))
        #expect(beyond.lawSource.hasPrefix("preset:") && beyond.warnings.contains { $0.contains("is not used") })
        let within = try CommandRunner.run([
            "plan", "train", "--budget", "1e5", "--difficulty", "easy", "--db", db, "--json",
        ])
        #expect(try JSONDecoder().decode(Plan.self, from: Data(within.stdout.utf8)).lawSource.hasPrefix("measured:"))
        let bad = try CommandRunner.run(["plan", "train", "--budget", "1e6", "--difficulty", "medium", "--db", db])
        #expect(bad.status == 64)
        let noFit = try CommandRunner.run([
            "plan", "train", "--budget", "1e6", "--difficulty", "hard", "--law", "fit", "--db", db,
        ])
        #expect(noFit.status == 65 && noFit.stderr.contains("no stored frontier fit"))
    }
}

extension PlanTrainCLITests {
    /// `--export` on `--gpus`/`--nodes`/`--micro-batch`: settings verl accepts, the adjustment and
    /// its cost as `#` lines, epochs only with D, JSON for TRL, and TRL's old flag names as aliases.
    @Test func exportsFitTheClusterAndSayWhatMoved() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("x.sqlite")
        let base = ["plan", "train", "--budget", "2e6", "--db", db]
        let verl = try CommandRunner.run(base + ["--export", "verl", "--gpus", "24", "--nodes", "3"])
        #expect(verl.status == 0, "\(verl.stderr)")
        #expect(verl.stdout.contains("data.train_batch_size=33 \\") && verl.stdout.contains("trainer.nnodes=3 \\"))
        #expect(verl.stdout.contains("\n# at the same budget C = 2e+06 rollouts: rollouts per step 8192 → 8448"))
        #expect(!verl.stdout.contains("total_epochs="))
        // M = 25600/(32·8) = 100 steps over D = 1000 prompts: ⌈100/⌊1000/32⌋⌉ = 4 epochs.
        let epochs = try CommandRunner.run([
            "plan", "train", "--budget", "25600", "--problems", "1000", "--db", db, "--export", "verl",
        ])
        #expect(epochs.stdout.contains("trainer.total_training_steps=100") && epochs.stdout.contains("total_epochs=4"))
        struct Export: Decodable {
            let framework: String
            let settings: [String: Double]
            let adjustments: [String]
        }
        let trl = try CommandRunner.run(base + ["--export", "trl", "--gpus", "6", "--json"])
        let export = try JSONDecoder().decode(Export.self, from: Data(trl.stdout.utf8))
        let values = export.settings
        let generationBatch =
            values["per_device_train_batch_size", default: 0] * 6 * values["steps_per_generation", default: 0]
        #expect(export.framework == "trl" && generationBatch == 256 * 33 && values["num_iterations"] == 1)
        #expect(export.adjustments.contains { $0.hasPrefix("the plan breaks trl-global-batch") })
        // --processes/--per-device-batch are hidden aliases of --gpus/--micro-batch.
        let old = try CommandRunner.run(base + ["--export", "trl", "--processes", "16", "--per-device-batch", "2"])
        let new = try CommandRunner.run(base + ["--export", "trl", "--gpus", "16", "--micro-batch", "2"])
        #expect(old.status == 0 && old.stdout == new.stdout)
        let conflict = try CommandRunner.run(base + ["--export", "trl", "--processes", "4", "--gpus", "8"])
        #expect(conflict.status == 64 && conflict.stderr.contains("conflicts with --gpus 8"))
        let uneven = try CommandRunner.run(base + ["--export", "verl", "--gpus", "8", "--nodes", "3"])
        #expect(uneven.status == 64 && uneven.stderr.contains("multiple of the 3 nodes"))
        let help = try CommandRunner.run(["plan", "train", "--help"]).stdout
        #expect(help.contains("--micro-batch") && help.contains("--gpus") && !help.contains("--processes"))
    }
}

@Suite("isoplan export")
struct ExportCLITests {
    @Test func tidyCSVRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("e.sqlite")
        _ = try CommandRunner.run([
            "simulate", "sweep", "--preset", "isocompute-q1-hard", "--problems", "300", "--seeds", "1",
            "--budget", "1e5", "--db", db,
        ])
        _ = try CommandRunner.run([
            "plan", "train", "--budget", "1e6", "--difficulty", "hard", "--law", "q1", "--db", db,
        ])
        let out = dir.path("csv")
        let result = try CommandRunner.run(["export", "--csv", out, "--run-filter", "n<=16", "--db", db, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let store = try Store(path: db)
        let runs = try store.runs(matching: try RunFilter("n<=16"))
        let runTable = try CSVTable(contentsOf: out + "/runs.csv")
        #expect(runTable.rows.count == runs.count && runTable.header.first == "run_id")
        let points = try CSVTable(contentsOf: out + "/points.csv")
        let stored = try runs.reduce(0) { $0 + (try store.points(ofRun: $1.id!).count) }
        #expect(points.rows.count == stored)
        let values = try points.numbers("value")
        #expect(values.allSatisfy { $0.isFinite })
        #expect(try CSVTable(contentsOf: out + "/plans.csv").rows.count == 1)
        // The CSV writer quotes what needs quoting.
        #expect(CSVWriter.field("a,\"b\"") == "\"a,\"\"b\"\"\"")
        let missing = try CommandRunner.run(["export", "--csv", out, "--db", dir.path("none.sqlite")])
        #expect(missing.status == 66)
    }
}
