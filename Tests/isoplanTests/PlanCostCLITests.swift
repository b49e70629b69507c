import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Testing

/// `plan train` in GPU-hours from an imported verl console log with timing metrics.
@Suite("Plan cost CLI")
struct PlanCostCLITests {
    static let verlLog = "verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"

    /// A store with the verl pilot (GRPO, n = 5, B_p = 1024, 8 GPUs) imported as `pilot`.
    static func storeWithPilot(_ dir: TemporaryDirectory) throws -> String {
        let db = dir.path("cost.sqlite")
        let imported = try CommandRunner.run([
            "import", "verl", SharedFixture.path(verlLog), "--n", "5", "--bp", "1024", "--name", "pilot", "--db", db,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        return db
    }

    /// The logged `timing_s/step` values of the fixture, read here independently of the importer.
    static func loggedStepSeconds() throws -> [Double] {
        let text = try String(contentsOfFile: SharedFixture.path(verlLog), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"timing_s/step:([0-9.]+)"#)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).flatMap { Double(text[$0]) }
        }
    }

    @Test func gpuHourBudgetFromAVerlPilotStaysWithinFivePercent() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.storeWithPilot(dir)
        let result = try CommandRunner.run([
            "plan", "train", "--budget", "2000", "--unit", "gpu-hours", "--gpus", "8", "--throughput-from", "pilot",
            "--problems", "7473", "--usd-per-gpu-hour", "2.5", "--db", db, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
        let cost = try #require(plan.cost)
        #expect(plan.unit == .gpuHours && plan.budget == 2000)
        #expect(cost.gpuHours <= 2000 && cost.gpuHours >= 0.95 * 2000)
        expectClose(cost.gpuHours, 8 * Double(plan.steps) * cost.secondsPerStep / 3600, relative: 1e-9)
        expectClose(cost.wallClockHours, cost.gpuHours / 8, relative: 1e-9)
        expectClose(try #require(cost.usd), 2.5 * cost.gpuHours, relative: 1e-9)
        #expect(cost.epochs == (plan.steps * plan.problemsPerBatch + 7472) / 7473)
        #expect(cost.throughput.pilotGPUs == 8)
        // The model reproduces the pilot: its step of B = 5120 rollouts against the median logged step.
        let logged = try Self.loggedStepSeconds().sorted()
        #expect(logged.count >= 5)
        expectClose(
            cost.throughput.stepSeconds(rollouts: 5120, gpus: 8), logged[logged.count / 2], relative: 0.05,
            "the fitted model at the pilot's own batch")
        let table = try CommandRunner.run([
            "plan", "train", "--budget", "2000", "--unit", "gpu-hours", "--throughput-from", "pilot", "--problems",
            "7473", "--db", db,
        ])
        for line in ["seconds per step", "wall clock", "GPU-hours", "epochs            ⌈M·B_p/D⌉", "zero-advantage"] {
            #expect(table.stdout.contains(line), "\(line) missing from:\n\(table.stdout)")
        }
        // The export keeps the cost: plans.csv's gpu_hours of the first plan.
        let exported = try CommandRunner.run(["export", "--csv", dir.path("csv"), "--db", db])
        #expect(exported.status == 0, "\(exported.stderr)")
        let gpuHours = try CSVTable(contentsOf: dir.path("csv") + "/plans.csv").numbers("gpu_hours")
        #expect(gpuHours.contains { abs($0 - cost.gpuHours) <= 1e-9 * cost.gpuHours })
    }

    /// verl's TensorBoard logs carry the same timing tags: an imported event directory is a pilot.
    @Test func aTensorBoardImportIsAPilotToo() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("tb.sqlite")
        let imported = try CommandRunner.run([
            "import", "tensorboard", SharedFixture.path("tensorboard/verl-grpo"), "--n", "8", "--bp", "32", "--db", db,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        let result = try CommandRunner.run([
            "plan", "train", "--budget", "100", "--unit", "gpu-hours", "--throughput-from", "verl-grpo", "--db", db,
            "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let cost = try #require(try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8)).cost)
        #expect(cost.throughput.source.hasPrefix("verl-grpo: 21 timed step(s)"))
        #expect(cost.gpuHours <= 100 && cost.gpuHours >= 95)
    }

    @Test func clusterBudgetsNeedAThroughputAndAPrice() throws {
        let dir = try TemporaryDirectory()
        let db = try Self.storeWithPilot(dir)
        let noThroughput = try CommandRunner.run(["plan", "train", "--budget", "10", "--unit", "gpu-hours", "--db", db])
        #expect(noThroughput.status != 0 && noThroughput.stderr.contains("--throughput-from"))
        let noPrice = try CommandRunner.run([
            "plan", "train", "--budget", "10", "--unit", "usd", "--rollouts-per-gpu-second", "5", "--db", db,
        ])
        #expect(noPrice.status != 0 && noPrice.stderr.contains("--usd-per-gpu-hour"))
        let unknown = try CommandRunner.run([
            "plan", "train", "--budget", "10", "--unit", "gpu-hours", "--throughput-from", "nope", "--db", db,
        ])
        #expect(unknown.status != 0 && unknown.stderr.contains("no run named \"nope\""))
        let priceAlone = try CommandRunner.run([
            "plan", "train", "--budget", "1e6", "--usd-per-gpu-hour", "2", "--db", db,
        ])
        #expect(priceAlone.status == 64 && priceAlone.stderr.contains("needs a throughput"))
        let tooSmall = try CommandRunner.run([
            "plan", "train", "--budget", "0.001", "--unit", "gpu-hours", "--throughput-from", "pilot", "--db", db,
        ])
        #expect(tooSmall.status != 0 && tooSmall.stderr.contains("0.001 GPU-hours"), "\(tooSmall.stderr)")
        // Dollars at a given rate: $1000 at $2/GPU-h = 500 GPU-hours.
        let usd = try CommandRunner.run([
            "plan", "train", "--budget", "1000", "--unit", "usd", "--usd-per-gpu-hour", "2",
            "--rollouts-per-gpu-second", "5", "--db", db, "--json",
        ])
        #expect(usd.status == 0, "\(usd.stderr)")
        let cost = try #require(try JSONDecoder().decode(Plan.self, from: Data(usd.stdout.utf8)).cost)
        #expect(cost.gpuHours <= 500 && cost.gpuHours >= 0.95 * 500)
        expectClose(cost.rollouts, cost.gpuHours * 3600 * 5, relative: 1e-9)
    }

    /// A plan's zero-advantage table is over the population given (`--beta` here, in closed form);
    /// a malformed shape is refused.
    @Test func zeroAdvantageTableFollowsThePopulation() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("z.sqlite")
        let result = try CommandRunner.run([
            "plan", "train", "--budget", "4e6", "--beta", "0.5,2", "--db", db, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let zero = try #require(try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8)).zeroAdvantage)
        #expect(zero.population == "beta(0.5,2.0)")
        let n4 = try #require(zero.rows.first { $0.rolloutsPerProblem == 4 })
        // E[p⁴ + (1 − p)⁴] under Beta(0.5, 2) = B(4.5, 2)/B(0.5, 2) + B(0.5, 6)/B(0.5, 2).
        func logB(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
        let exact: Double = exp(logB(4.5, 2) - logB(0.5, 2)) + exp(logB(0.5, 6) - logB(0.5, 2))
        expectClose(n4.fraction, exact, relative: 1e-9)
        // A pass@1 of 0.18 with a near-degenerate shape is the single pass rate of the published
        // figure: about 45%, 20% and 4% at n = 4, 8, 16.
        let single = try CommandRunner.run([
            "plan", "train", "--budget", "4e6", "--pass-at-1", "0.18", "--concentration", "1e6", "--db", db, "--json",
        ])
        let rows = try #require(try JSONDecoder().decode(Plan.self, from: Data(single.stdout.utf8)).zeroAdvantage).rows
        for (n, published) in [(4, 0.45), (8, 0.20), (16, 0.04)] {
            expectClose(try #require(rows.first { $0.rolloutsPerProblem == n }).fraction, published, absolute: 0.005)
        }
        let bad = try CommandRunner.run(["plan", "train", "--budget", "4e6", "--beta", "0,2", "--db", db])
        #expect(bad.status != 0)
    }
}
