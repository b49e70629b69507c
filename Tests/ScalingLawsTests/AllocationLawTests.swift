import Foundation
import IsoplanTestSupport
import NumericCore
import ScalingLaws
import Synchronization
import Testing

@Suite("Allocation law n*(C)")
struct AllocationLawTests {
    /// Published parameters [L, k, log10 C0, b] (isocompute-playbook.md §6.1).
    static let published: [String: [Double]] = [
        "fig6_easy": [6.09, 4.75, 5.84, 2.73], "fig6_hard": [4.47, 7.23, 5.84, 2.79],
        "fig10_easy": [5.67, 8.84, 6.08, 3.08], "fig10_hard": [3.97, 50.00, 6.13, 3.04],
    ]

    @Test func publishedLawsReproduceTestVectors() throws {
        let url = try #require(
            Bundle.module.url(forResource: "law_test_vectors", withExtension: "csv", subdirectory: "Golden"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        let law = AllocationLaw()
        var checked = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").map { Double($0)! }
            for (column, name) in header.enumerated().dropFirst() {
                expectClose(
                    law.value(Self.published[name]!, at: [fields[0]]), fields[column], absolute: 0.01,
                    "\(name) at C=\(fields[0])")
                checked += 1
            }
        }
        #expect(checked == 28)
    }

    @Test func jacobianMatchesFiniteDifferences() throws {
        let families: [(any CurveFamily, [Double], FitData)] = [
            (AllocationLaw(), [6.09, 4.75, 5.84, 2.73], try FitData(x: [1e4, 3e5, 1e6, 5e7], y: [0, 0, 0, 0])),
            (
                AllocationLaw(input: .linear), [7.1, 0.015, 91.7, 2],
                try FitData(x: [10, 50, 120, 400], y: [0, 0, 0, 0])
            ),
            (ScaleRLSigmoid(), [0.3, 0.72, 5.5, 1.3], try FitData(x: [1e3, 1e5, 3e6], y: [0, 0, 0])),
            (ScaleRLSigmoid(fixedR0: 0.2), [0.72, 5.5, 1.3], try FitData(x: [1e3, 1e5, 3e6], y: [0, 0, 0])),
            (PowerLaw(), [1.5, 400, 0.34], try FitData(x: [1e6, 1e8, 1e10], y: [0, 0, 0])),
            (
                ChinchillaLoss(), [6.2, 7.7, 0.6, 0.35, 0.37],
                try FitData(
                    inputs: Matrix(rowMajor: [[1e8, 2e9], [3e9, 6e10], [1.6e10, 3e11]]), targets: [3, 2.5, 2.1])
            ),
        ]
        for (family, theta, raw) in families {
            let data = try family.prepare(raw)
            let n = data.count
            let p = family.parameterCount
            var predictions = [Double](repeating: 0, count: n)
            var jacobian = [Double](repeating: 0, count: n * p)
            jacobian.withUnsafeMutableBufferPointer {
                family.evaluate(theta, on: data, predictions: &predictions, jacobian: $0)
            }
            for j in 0..<p {
                let h = 1e-6 * max(1, abs(theta[j]))
                var plus = theta
                var minus = theta
                plus[j] += h
                minus[j] -= h
                let up = family.predictions(plus, on: data)
                let down = family.predictions(minus, on: data)
                for i in 0..<n {
                    // Central differences: error O(h²·f‴) plus rounding ε·|f|/h ≈ 1e-10.
                    expectClose(
                        jacobian[i + j * n], (up[i] - down[i]) / (2 * h), absolute: 1e-6,
                        "\(family.name) ∂f\(i)/∂\(family.parameterNames[j])")
                }
            }
        }
    }

    /// 40 log-spaced budgets from the Fig. 6 easy law, σ = 0.15 noise in log2 n, 200 seeds: the
    /// 95% percentile-bootstrap interval of each parameter covers the truth in 90–99% of seeds.
    @Test func bootstrapIntervalsCoverTheTruth() throws {
        let truth = Self.published["fig6_easy"]!
        let law = AllocationLaw()
        let budgets = (0..<40).map { pow(10, 5 + 2.0 * Double($0) / 39) }  // the paper's swept range, 1e5…1e7
        let seeds = 200
        let covered = parallelCoverage(seeds: seeds) { seed in
            var rng = Xoshiro256StarStar(seed: 1000 + UInt64(seed))
            let y = budgets.map { law.value(truth, at: [$0]) + 0.15 * Normal.standard(using: &rng) }
            let data = try! FitData(x: budgets, y: y)
            let fit = try! CurveFitter.fit(law, to: data, workers: 1)
            let boot = try! CurveFitter.bootstrap(
                law, data: data, fit: fit, resamples: 400, seed: UInt64(seed), workers: 1)
            return (0..<4).map { boot.lower95[$0] <= truth[$0] && truth[$0] <= boot.upper95[$0] }
        }
        for (j, name) in law.parameterNames.enumerated() {
            let rate = Double(covered.filter { $0[j] }.count) / Double(seeds)
            print("coverage of \(name): \(rate)")
            #expect(rate >= 0.90 && rate <= 0.99, "coverage of \(name): \(rate)")
        }
    }

    /// Runs `body` for each seed on all cores.
    func parallelCoverage(seeds: Int, _ body: @escaping @Sendable (Int) -> [Bool]) -> [[Bool]] {
        let results = Mutex([[Bool]](repeating: [], count: seeds))
        DispatchQueue.concurrentPerform(iterations: seeds) { seed in
            let value = body(seed)
            results.withLock { $0[seed] = value }
        }
        return results.withLock { $0 }
    }
}
