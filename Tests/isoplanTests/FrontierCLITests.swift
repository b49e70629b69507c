import Foundation
import Ingest
import IsoplanTestSupport
import Testing

/// `simulate sweep` then `fit frontier` as a new user runs them, on noisy simulated sweeps and on
/// sparse "logs" made from them (issue 14).
@Suite("Frontier on noisy and sparse logs (CLI)")
struct FrontierCLITests {
    struct Fitted: Decodable {
        struct Analysis: Decodable {
            struct Law: Decodable {
                let parameters: [Double]
                let status: String
            }
            struct Bootstrap: Decodable {
                let samples: [[Double]]
                let notConverged: Int
            }
            let law: Law?
            let lawBootstrap: Bootstrap?
            let lawIdentified: Bool
            let lawReason: String?
            let saturationN: Double?
            let identifiedRange: [Double]?
            let missing: [String]
        }
        let analysis: Analysis
    }

    /// log2 n*(C) of the law with parameters p.
    static func log2N(_ p: [Double], _ c: Double) -> Double { p[0] / (1 + exp(-p[1] * (log10(c) - p[2]))) + p[3] }

    struct CommandFailed: Error, CustomStringConvertible {
        let stderr: String
        var description: String { stderr }
    }

    /// `simulate sweep --preset P --seeds 3` then `fit frontier --json` on a fresh store.
    final class Sweep: Sendable {
        let directory: TemporaryDirectory
        let fitted: Fitted
        var database: String { directory.path("sweep.sqlite") }

        init(_ preset: String) throws {
            directory = try TemporaryDirectory("isoplan-\(preset)")
            let db = directory.path("sweep.sqlite")
            let sweep = try CommandRunner.run(["simulate", "sweep", "--preset", preset, "--seeds", "3", "--db", db])
            guard sweep.status == 0 else { throw CommandFailed(stderr: sweep.stderr) }
            let fit = try CommandRunner.run(["fit", "frontier", "--db", db, "--json"])
            guard fit.status == 0 else { throw CommandFailed(stderr: fit.stderr) }
            fitted = try JSONDecoder().decode(Fitted.self, from: Data(fit.stdout.utf8))
        }

        /// The easy sweep, shared by the tests that need it (it takes a while in debug).
        static let easy = Result { try Sweep("isocompute-q1-easy") }
    }

    /// Defaults, nothing else: hard's law is identified and rising, and saturates below easy's;
    /// q3-hard's too. Every law's bootstrap has under 5% failed refits and the main fit converged.
    @Test func hardAndEasySweepsGiveIdentifiedRisingLaws() throws {
        let easy = try Sweep.easy.get().fitted
        let hard = try Sweep("isocompute-q1-hard").fitted
        let q3 = try Sweep("isocompute-q3-hard").fitted
        for (name, fitted) in [("easy", easy), ("hard", hard), ("q3-hard", q3)] {
            let analysis = fitted.analysis
            #expect(analysis.lawIdentified, "\(name): \(analysis.lawReason ?? "")")
            let law = try #require(analysis.law)
            #expect(law.parameters[0] > 0 && law.status == "converged", "\(name): \(law)")
            let failed = try #require(analysis.lawBootstrap).notConverged
            #expect(failed < 50, "\(name): \(failed) of 1000 bootstrap refits failed")
        }
        let (hardSaturation, easySaturation) = (
            try #require(hard.analysis.saturationN), try #require(easy.analysis.saturationN)
        )
        #expect(hardSaturation < easySaturation)
        #expect(try #require(q3.analysis.saturationN) < easySaturation)
    }

    /// Logs made from a sweep by thinning each run's evaluations irregularly (every 2–5 points),
    /// keeping one seed and dropping a fifth of the runs, imported with `import csv`: the law
    /// agrees with the full-data law within a factor 2 in n* at two budgets inside the swept
    /// range, and its 95% interval covers the full-data value.
    @Test func sparseImportedLogsAgreeWithTheFullSweep() throws {
        let dir = try TemporaryDirectory()
        let sweep = try Sweep.easy.get()
        let fullLaw = try #require(sweep.fitted.analysis.law).parameters
        #expect(sweep.fitted.analysis.lawIdentified)
        let db = sweep.database
        let export = try CommandRunner.run(["export", "--db", db, "--csv", dir.path("export")])
        #expect(export.status == 0, "\(export.stderr)")
        let manifest = try Self.thinnedLogs(from: dir.path("export/points.csv"), into: dir.path("logs"))
        let logs = dir.path("logs.sqlite")
        let imported = try CommandRunner.run(["import", "csv", "--db", logs, "--manifest", manifest])
        #expect(imported.status == 0, "\(imported.stderr)")
        let fit = try CommandRunner.run(["fit", "frontier", "--db", logs, "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let sparse = try JSONDecoder().decode(Fitted.self, from: Data(fit.stdout.utf8)).analysis
        #expect(sparse.lawIdentified, "not identified: \(sparse.lawReason ?? "") \(sparse.missing)")
        let law = try #require(sparse.law).parameters
        let samples = try #require(sparse.lawBootstrap).samples
        // 1e6 and 5e6: either side of the handovers 8 → 16 → 32 → 64 of the full sweep.
        for budget in [1e6, 5e6] {
            let (truth, estimate) = (Self.log2N(fullLaw, budget), Self.log2N(law, budget))
            #expect(abs(truth - estimate) <= 1, "n* at \(budget): \(exp2(estimate)) vs full data \(exp2(truth))")
            let draws = samples.map { Self.log2N($0, budget) }.sorted()
            let (low, high) = (draws[Int(0.025 * Double(draws.count))], draws[Int(0.975 * Double(draws.count - 1))])
            #expect(low <= truth && truth <= high, "95% interval [\(exp2(low)), \(exp2(high))] misses \(exp2(truth))")
        }
    }

    /// From an exported points.csv: seed-0 runs, every fifth left out, each run's val_reward kept
    /// at irregular intervals (2, 3, 4, 5, 2, … evaluations apart), written as one CSV log per
    /// run with a manifest for `import csv`.
    static func thinnedLogs(from points: String, into folder: String) throws -> String {
        let table = try CSVTable(contentsOf: points)
        let (run, n, bp, step, metric, value) = (
            try table.columnIndex("run"), try table.columnIndex("n"), try table.columnIndex("bp"),
            try table.columnIndex("step"), try table.columnIndex("metric"), try table.columnIndex("value")
        )
        var byRun: [String: (n: String, bp: String, rows: [(Int, String)])] = [:]
        for row in table.rows where row.fields[metric] == "val_reward" && row.fields[run].hasSuffix("-s0") {
            byRun[row.fields[run], default: (row.fields[n], row.fields[bp], [])].rows.append(
                (Int(row.fields[step])!, row.fields[value]))
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var manifest = ["file,n,bp,tokens_per_rollout,name"]
        for (index, name) in byRun.keys.sorted().enumerated() where index % 5 != 4 {
            let entry = byRun[name]!
            let rows = entry.rows.sorted { $0.0 < $1.0 }
            var kept: [String] = []
            var i = 0
            var gap = 0
            while i < rows.count {
                kept.append("\(rows[i].0),\(rows[i].1)")
                i += 2 + gap % 4
                gap += 1
            }
            let file = "\(folder)/\(name).csv"
            try (["_step,val_reward"] + kept).joined(separator: "\n").write(
                toFile: file, atomically: true, encoding: .utf8)
            manifest.append("\(file),\(entry.n),\(entry.bp),,\(name)-log")
        }
        let path = "\(folder)/manifest.csv"
        try manifest.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
