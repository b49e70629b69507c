import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Planner
import Testing

@Suite("Solve-rate models")
struct SolveRateTests {
    static func terminalBench() throws -> [SolveRates] {
        let url = try #require(
            Bundle.module.url(
                forResource: "tbench_core011_task_success", withExtension: "csv", subdirectory: "Fixtures"))
        return try SolveRateCounts.read(url.path)
    }

    /// `1 − C(n−c, k)/C(n, k)` by exact integer combinatorics.
    static func bruteForcePassAtK(_ n: Int, _ c: Int, _ k: Int) -> Double {
        func choose(_ a: Int, _ b: Int) -> Double {
            guard b >= 0, b <= a else { return 0 }
            var r = 1.0
            for i in 0..<b { r = r * Double(a - i) / Double(i + 1) }
            return r
        }
        return 1 - choose(n - c, k) / choose(n, k)
    }

    @Test func unbiasedPassAtKMatchesCombinatorics() {
        for n in 1...12 {
            for c in 0...n {
                for k in 1...n {
                    expectClose(
                        passAtK(samples: n, correct: c, k: k), Self.bruteForcePassAtK(n, c, k), absolute: 1e-12,
                        "n=\(n) c=\(c) k=\(k)")
                }
            }
        }
    }

    @Test func terminalBenchFileSplitsIntoSystems() throws {
        let systems = try Self.terminalBench()
        #expect(systems.count == 7)
        #expect(systems.allSatisfy { $0.tasks.count == 80 && $0.tasks.allSatisfy { $0.trials == 5 } })
        let openhands = try #require(systems.first { $0.system == "20250711_openhands_claude-4-sonnet" })
        // Histogram of successes (anchors.md §F3): 37 / 7 / 4 / 3 / 4 / 25.
        #expect((0...5).map { c in openhands.tasks.filter { $0.successes == c }.count } == [37, 7, 4, 3, 4, 25])
    }

    /// Beta-binomial maximum likelihood per system reproduces the reference calibration
    /// (anchors.md §F3: α, β and the fitted pass@5), and the fit reproduces each system's
    /// empirical pass@5 within 0.015, as the reference reports.
    @Test func betaBinomialFitsMatchTheReferenceCalibration() throws {
        let reference: [String: (alpha: Double, beta: Double, pass5: Double)] = [
            "20250711_openhands_claude-4-sonnet": (0.121, 0.167, 0.534),
            "20250811_cursor-cli_claude-4-sonnet": (0.137, 0.398, 0.403),
            "20250825_swe-agent-mini_claude-4-sonnet": (0.101, 0.767, 0.230),
            "20250829_goose_claude-4-opus": (0.133, 0.165, 0.564),
            "20250829_goose_claude-4-sonnet": (0.110, 0.160, 0.514),
            "20250902_orchestrator_claude-4-sonnet": (0.289, 0.524, 0.578),
            "20250911_chaterm_claude-4-sonnet": (0.200, 0.209, 0.639),
        ]
        for rates in try Self.terminalBench() {
            let fit = try SolveRateFitter.fit(rates)
            let expected = try #require(reference[rates.system ?? ""])
            // The reference prints three decimals.
            expectClose(fit.alpha, expected.alpha, absolute: 0.0015, "\(rates.system!) alpha")
            expectClose(fit.beta, expected.beta, absolute: 0.0015, "\(rates.system!) beta")
            expectClose(fit.expectedPassAtK(5), expected.pass5, absolute: 0.0015, "\(rates.system!) pass@5")
            let empirical = rates.tasks.reduce(0) { $0 + passAtK(samples: $1.trials, correct: $1.successes, k: 5) } / 80
            expectClose(fit.expectedPassAtK(5), empirical, absolute: 0.015)
        }
    }

    /// Fitting on 3 of each task's 5 trials (seeded hypergeometric thinning), averaged over 40
    /// seeds, predicts the measured 5-trial pass@5 within 3 points for every system.
    @Test func holdoutPredictsPassAt5WithinThreePoints() throws {
        for rates in try Self.terminalBench() {
            let check = try SolveRateFitter.holdoutCheck(rates, keep: 3, seeds: 40)
            #expect(check.k == 5)
            #expect(
                abs(check.predicted - check.measured) <= 0.03,
                "\(rates.system!): predicted \(check.predicted), measured \(check.measured)")
        }
    }

    @Test func mixtureNeverFitsWorseThanTheBetaBinomial() throws {
        for rates in try Self.terminalBench().prefix(3) {
            let plain = try SolveRateFitter.fit(rates)
            let mixture = try SolveRateFitter.fit(rates, kind: .mixture)
            #expect(mixture.logLikelihood >= plain.logLikelihood - 1e-6)
            #expect(
                mixture.pointMassZero >= 0 && mixture.pointMassOne >= 0
                    && mixture.pointMassZero + mixture.pointMassOne < 1)
            // Point masses at 0 and 1 bound coverage: pass@k → 1 − w₀ as k grows.
            #expect(mixture.expectedPassAtK(100_000) <= 1 - mixture.pointMassZero + 1e-6)
        }
    }

    @Test func countsFilesWithAliasesAndErrors() throws {
        let table = try CSVTable(text: "task,attempts,resolved\na,4,1\nb,4,0\na,2,2\n", file: "c.csv")
        let rates = try SolveRateCounts.parse(table)
        #expect(rates.count == 1 && rates[0].system == nil)
        #expect(
            rates[0].tasks == [
                TaskOutcome(taskID: "a", trials: 6, successes: 3), TaskOutcome(taskID: "b", trials: 4, successes: 0),
            ])
        #expect(
            throws: ImportError.malformed(
                file: "c.csv", line: 2, reason: "need 0 ≤ successes ≤ trials and trials ≥ 1 (found 5 of 4)")
        ) {
            try SolveRateCounts.parse(try CSVTable(text: "task_id,trials,successes\nx,4,5\n", file: "c.csv"))
        }
        #expect(throws: ImportError.self) {
            try SolveRateCounts.parse(try CSVTable(text: "task_id,trials\nx,4\n", file: "c.csv"))
        }
        #expect(throws: ImportError.self) {
            try SolveRateCounts.parse(try CSVTable(text: "task_id,trials,successes\nx,4.5,1\n", file: "c.csv"))
        }
    }
}
