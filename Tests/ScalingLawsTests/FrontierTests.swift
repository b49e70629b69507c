import Foundation
import IsoplanTestSupport
import ScalingLaws
import Testing

@Suite("IsoCompute frontier workflow")
struct FrontierTests {
    /// Known per-n curves [R0, A, log10 C_mid, B]: larger n starts later and climbs higher, so
    /// the envelope hands over 8 → 32 → 128 → 512.
    static let truth: [Int: [Double]] = [
        8: [0.3, 0.50, 5.0, 1.5], 32: [0.3, 0.58, 5.6, 1.5], 128: [0.3, 0.65, 6.1, 1.5], 512: [0.3, 0.74, 6.4, 1.5],
    ]
    static let problemsPerBatch = 32

    /// Runs evaluated at ~80 log-spaced steps from compute 1e4 (or one step) up to 1e7.
    static func runs() -> [RunSeries] {
        truth.keys.sorted().map { n in
            let batch = Double(n * problemsPerBatch)
            let steps = Set((0..<80).map { i in max(1, Int((pow(10, 4 + 3 * Double(i) / 79) / batch).rounded())) }).sorted()
            let points = steps.map { step in
                (step: step, compute: Double(step) * batch, value: ScaleRLSigmoid().value(truth[n]!, at: [Double(step) * batch]))
            }
            return RunSeries(label: "n\(n)", rolloutsPerProblem: n, problemsPerBatch: problemsPerBatch, points: points)
        }
    }

    static func trueValue(_ n: Int, _ x: Double) -> Double { ScaleRLSigmoid().value(truth[n]!, at: [x]) }

    /// The analytic crossing of two true curves (bisection in log10 C).
    static func crossing(_ a: Int, _ b: Int) -> Double {
        var (lo, hi) = (4.0, 7.0)
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if trueValue(b, pow(10, mid)) < trueValue(a, pow(10, mid)) { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    @Test func handoversAndNStarMatchTheTruth() throws {
        var options = FrontierOptions()
        options.bootstrapResamples = 50
        let runs = Self.runs()
        let analysis = try FrontierAnalysis.analyze(runs, options: options)
        #expect(analysis.curves.map(\.rolloutsPerProblem) == [8, 32, 128, 512])
        // Noise-free data: each fitted curve is the true one.
        for curve in analysis.curves {
            expectClose(curve.fit.parameters, Self.truth[curve.rolloutsPerProblem]!, absolute: 1e-6, "n=\(curve.rolloutsPerProblem)")
        }
        // Crossings within ±0.02 dex of the analytic ones (other handovers are where a run's
        // compute range begins or ends: n = 128's first step comes before n = 8's, and so on).
        let crossings = analysis.handovers.filter(\.isCrossing)
        #expect(crossings.map(\.toN) == [32, 128, 512])
        for handover in crossings {
            expectClose(log10(handover.x), Self.crossing(handover.fromN, handover.toN), absolute: 0.02,
                        "handover \(handover.fromN) → \(handover.toN)")
        }
        // n* exact wherever the grid is more than 0.05 dex from a handover.
        let ranges = Dictionary(uniqueKeysWithValues: runs.map { ($0.rolloutsPerProblem, ($0.points.first!.compute, $0.points.last!.compute)) })
        var checked = 0
        for point in analysis.grid {
            let lx = log10(point.x)
            guard crossings.allSatisfy({ abs(log10($0.x) - lx) > 0.05 }) else { continue }
            let candidates = Self.truth.keys.filter { ranges[$0]!.0 <= point.x * (1 + 1e-12) && point.x <= ranges[$0]!.1 * (1 + 1e-12) }
            let best = candidates.max { Self.trueValue($0, point.x) < Self.trueValue($1, point.x) }!
            #expect(point.rolloutsPerProblem == best, "at log10 C = \(lx)")
            checked += 1
        }
        #expect(checked > 80)
        // n* rises with compute: the law is increasing with its floor near 8.
        let law = try #require(analysis.law)
        #expect(law["L"]! > 0)
        #expect(analysis.lawBootstrap?.resamples == 50)
    }

    @Test func recordBreakingKeepsFirstPointOfEachNewLevel() {
        let points: [(compute: Double, value: Double)] = [(1, 0.10), (2, 0.12), (3, 0.11), (4, 0.125), (5, 0.2), (6, 0.2)]
        #expect(recordBreakingPoints(points).map(\.compute) == [1, 2, 4, 5])
        // Buckets of 0.05: 0.10 → bucket 2, 0.12 and 0.125 stay in bucket 2, 0.2 → bucket 4.
        #expect(recordBreakingPoints(points, bucketWidth: 0.05).map(\.compute) == [1, 5])
        // EMA smoothing (β = 0.5) damps the dip before the records are taken.
        let smoothed = recordBreakingPoints([(1, 0), (2, 1), (3, 0), (4, 1)], emaCoefficient: 0.5)
        #expect(smoothed.map(\.compute) == [1, 2, 4])
        expectClose(smoothed.map(\.value), [0, 0.5, 0.625], absolute: 1e-15)
    }

    @Test func repeatedStepsKeepTheLaterRecord() {
        let run = RunSeries(label: "r", rolloutsPerProblem: 8, problemsPerBatch: 4,
                            points: [(1, 32, 0.1), (2, 64, 0.2), (2, 64, 0.3), (0, 0, 0.05)])
        let cleaned = run.cleaned()
        #expect(cleaned.map(\.step) == [1, 2])
        #expect(cleaned.map(\.value) == [0.1, 0.3])
    }

    @Test func fixedBatchModeFitsNStarAndBatchLawsOverSteps() throws {
        // B = 8192 split as (B_p, n): larger n wins at more steps.
        let curves: [(n: Int, p: [Double])] = [(16, [0.3, 0.55, 1.4, 2]), (64, [0.3, 0.62, 1.8, 2]), (256, [0.3, 0.68, 2.2, 2])]
        let runs = curves.map { curve in
            RunSeries(label: "n\(curve.n)", rolloutsPerProblem: curve.n, problemsPerBatch: 8192 / curve.n,
                      points: (1...400).map { m in (m, Double(m * 8192), ScaleRLSigmoid().value(curve.p, at: [Double(m)])) })
        } + [RunSeries(label: "other-batch", rolloutsPerProblem: 8, problemsPerBatch: 8, points: [(1, 64, 0.1)])]
        var options = FrontierOptions()
        options.fixedBatch = 8192
        options.bootstrapResamples = 0
        let analysis = try FrontierAnalysis.analyze(runs, options: options)
        #expect(analysis.axis == "steps")
        #expect(analysis.notes.contains { $0.contains("other-batch") })
        #expect(analysis.handovers.filter(\.isCrossing).map(\.toN) == [64, 256])
        let law = try #require(analysis.law), batchLaw = try #require(analysis.batchLaw)
        #expect(law.family == "law-linear")
        // n*·B_p* = B along the grid: the two laws add up to log2 8192 = 13.
        for x in [5.0, 50, 300] {
            expectClose(AllocationLaw(input: .linear).value(law.parameters, at: [x])
                        + AllocationLaw(input: .linear).value(batchLaw.parameters, at: [x]), 13, absolute: 0.05)
        }
    }

    @Test func extrapolationCheckReportsErrorAboveTheCut() throws {
        let law = AllocationLaw()
        let truth = [6.09, 4.75, 5.84, 2.73]
        let budgets = (0..<40).map { pow(10, 5 + 2 * Double($0) / 39) }
        let data = try FitData(x: budgets, y: budgets.map { law.value(truth, at: [$0]) })
        let check = try CurveFitter.extrapolationCheck(law, data: data, cut: 3e6)
        #expect(check.pointsBelow + check.pointsAbove == 40)
        #expect(check.rmse < 1e-4)  // noise-free data: the law extrapolates exactly
        #expect(throws: FitError.self) { try CurveFitter.extrapolationCheck(law, data: data, cut: 1e8) }
    }
}
