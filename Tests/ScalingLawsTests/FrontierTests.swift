import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import ScalingLaws
import Testing

@Suite("IsoCompute frontier workflow")
struct FrontierTests {
    /// Known per-n curves (`SyntheticRuns`): larger n starts later and climbs higher, so the
    /// envelope hands over 8 → 32 → 128 → 512.
    static let truth = SyntheticRuns.truth

    /// Runs evaluated at ~80 log-spaced steps from compute 1e4 (or one step) up to 1e7.
    static func runs() -> [RunSeries] {
        truth.keys.sorted().map { n in
            RunSeries(
                label: "n\(n)", rolloutsPerProblem: n, problemsPerBatch: SyntheticRuns.problemsPerBatch,
                points: SyntheticRuns.points(n: n).map { ($0.step, $0.rollouts, $0.value) })
        }
    }

    static func trueValue(_ n: Int, _ x: Double) -> Double { SyntheticRuns.reward(n: n, compute: x) }

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
            expectClose(
                curve.fit.parameters, Self.truth[curve.rolloutsPerProblem]!, absolute: 1e-6,
                "n=\(curve.rolloutsPerProblem)")
        }
        // Crossings within ±0.02 dex of the analytic ones (other handovers are where a run's
        // compute range begins or ends: n = 128's first step comes before n = 8's, and so on).
        let crossings = analysis.handovers.filter(\.isCrossing)
        #expect(crossings.map(\.toN) == [32, 128, 512])
        for handover in crossings {
            expectClose(
                log10(handover.x), Self.crossing(handover.fromN, handover.toN), absolute: 0.02,
                "handover \(handover.fromN) → \(handover.toN)")
        }
        // n* exact wherever the grid is more than 0.05 dex from a handover.
        let ranges = Dictionary(
            uniqueKeysWithValues: runs.map {
                ($0.rolloutsPerProblem, ($0.points.first!.compute, $0.points.last!.compute))
            })
        var checked = 0
        for point in analysis.grid {
            let lx = log10(point.x)
            guard crossings.allSatisfy({ abs(log10($0.x) - lx) > 0.05 }) else { continue }
            let candidates = Self.truth.keys.filter {
                ranges[$0]!.0 <= point.x * (1 + 1e-12) && point.x <= ranges[$0]!.1 * (1 + 1e-12)
            }
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
        let points: [(compute: Double, value: Double)] = [
            (1, 0.10), (2, 0.12), (3, 0.11), (4, 0.125), (5, 0.2), (6, 0.2),
        ]
        #expect(recordBreakingPoints(points).map(\.compute) == [1, 2, 4, 5])
        // Buckets of 0.05: 0.10 → bucket 2, 0.12 and 0.125 stay in bucket 2, 0.2 → bucket 4.
        #expect(recordBreakingPoints(points, bucketWidth: 0.05).map(\.compute) == [1, 5])
        // EMA smoothing (β = 0.5) damps the dip before the records are taken.
        let smoothed = recordBreakingPoints([(1, 0), (2, 1), (3, 0), (4, 1)], emaCoefficient: 0.5)
        #expect(smoothed.map(\.compute) == [1, 2, 4])
        expectClose(smoothed.map(\.value), [0, 0.5, 0.625], absolute: 1e-15)
    }

    @Test func repeatedStepsKeepTheLaterRecord() {
        let run = RunSeries(
            label: "r", rolloutsPerProblem: 8, problemsPerBatch: 4,
            points: [(1, 32, 0.1), (2, 64, 0.2), (2, 64, 0.3), (0, 0, 0.05)])
        let cleaned = run.cleaned()
        #expect(cleaned.map(\.step) == [1, 2])
        #expect(cleaned.map(\.value) == [0.1, 0.3])
    }

    @Test func fixedBatchModeFitsNStarAndBatchLawsOverSteps() throws {
        // B = 8192 split as (B_p, n): larger n wins at more steps.
        let curves: [(n: Int, p: [Double])] = [
            (16, [0.3, 0.55, 1.4, 2]), (64, [0.3, 0.62, 1.8, 2]), (256, [0.3, 0.68, 2.2, 2]),
        ]
        let runs =
            curves.map { curve in
                RunSeries(
                    label: "n\(curve.n)", rolloutsPerProblem: curve.n, problemsPerBatch: 8192 / curve.n,
                    points: (1...400).map { m in (m, Double(m * 8192), ScaleRLSigmoid().value(curve.p, at: [Double(m)]))
                    })
            } + [RunSeries(label: "other-batch", rolloutsPerProblem: 8, problemsPerBatch: 8, points: [(1, 64, 0.1)])]
        var options = FrontierOptions()
        options.fixedBatch = 8192
        options.bootstrapResamples = 0
        let analysis = try FrontierAnalysis.analyze(runs, options: options)
        #expect(analysis.axis == "steps")
        #expect(analysis.notes.contains { $0.contains("other-batch") })
        #expect(analysis.handovers.filter(\.isCrossing).map(\.toN) == [64, 256])
        let law = try #require(analysis.law)
        let batchLaw = try #require(analysis.batchLaw)
        #expect(law.family == "law-linear")
        // The envelope: n = 16 up to the first crossing (M ≈ 106), n = 64 up to the second (≈ 330),
        // then 256. The linear-M law follows the first rise (log2 16 = 4 → log2 64 = 6) and B_p*
        // mirrors it from 512 (log2 = 9).
        #expect(
            analysis.handovers.filter(\.isCrossing).map { ($0.fromN, $0.toN) }.elementsEqual([(16, 64), (64, 256)]) {
                $0 == $1
            })
        let linear = AllocationLaw(input: .linear)
        expectClose(linear.value(law.parameters, at: [5]), 4, absolute: 0.3, "log2 n* early")
        expectClose(linear.value(law.parameters, at: [250]), 6, absolute: 0.6, "log2 n* between the crossings")
        expectClose(linear.value(batchLaw.parameters, at: [5]), 9, absolute: 0.3, "log2 B_p* early")
        #expect(linear.value(batchLaw.parameters, at: [250]) < linear.value(batchLaw.parameters, at: [5]) - 1.5)
    }

    /// A single abrupt handover with no smoothing makes n* a step: the best sigmoid is infinitely
    /// steep, k sits on its bound, and the analysis says the saturation is not identified.
    @Test func unidentifiedLawIsSaidPlainly() throws {
        let runs = [8, 32].map { n in
            RunSeries(
                label: "n\(n)", rolloutsPerProblem: n, problemsPerBatch: SyntheticRuns.problemsPerBatch,
                points: SyntheticRuns.points(n: n).map { ($0.step, $0.rollouts, $0.value) })
        }
        var options = FrontierOptions()
        options.runningAverageWindow = 1
        options.bootstrapResamples = 0
        let analysis = try FrontierAnalysis.analyze(runs, options: options)
        let law = try #require(analysis.law)
        #expect(law.parametersOnBound.contains("k"))
        #expect(!analysis.lawIdentified)
        #expect(analysis.floorN == nil && analysis.saturationN == nil)
        #expect(analysis.notes.contains { $0.contains("not identified") })
        #expect(analysis.bestValuePerN.keys.sorted() == ["32", "8"])
    }

    /// EMA runs within each run: two runs of one n interleaved in compute must not be smoothed
    /// into each other.
    @Test func emaSmoothsEachRunSeparately() throws {
        let flat = RunSeries(
            label: "flat", rolloutsPerProblem: 8, problemsPerBatch: 4,
            points: (1...6).map { ($0, Double($0 * 64), 0.15) })
        let rising = RunSeries(
            label: "rising", rolloutsPerProblem: 8, problemsPerBatch: 2,
            points: (1...12).map { ($0, Double($0 * 32), 0.1 + 0.01 * Double($0)) })
        var options = FrontierOptions()
        options.emaCoefficient = 0.5
        options.bootstrapResamples = 0
        let analysis = try FrontierAnalysis.analyze([flat, rising], options: options)
        // The flat run's first (and only) record is its own unsmoothed 0.15 at compute 64; pooled
        // smoothing would have mixed in the rising run's values.
        let records = try #require(analysis.curves.first).recordPoints
        #expect(records.contains { $0[0] == 64 && abs($0[1] - 0.15) < 1e-15 })
        #expect(analysis.runsUsed.sorted() == ["flat", "rising"])
    }

    @Test func resultsDoNotDependOnThreadCount() throws {
        let data = try EpochData.chinchillaPoints()
        let grid = Array(ChinchillaLoss().initialGrid(for: try ChinchillaLoss().prepare(data)).prefix(300))
        let options = FitOptions(loss: .huber(delta: 1e-3))
        let one = try CurveFitter.fit(ChinchillaLoss(), to: data, options: options, starts: grid, workers: 1)
        let two = try CurveFitter.fit(ChinchillaLoss(), to: data, options: options, starts: grid, workers: 2)
        #expect(one == two)
        let bootOne = try CurveFitter.bootstrap(
            ChinchillaLoss(), data: data, fit: one, options: options, resamples: 20, seed: 5, workers: 1)
        let bootTwo = try CurveFitter.bootstrap(
            ChinchillaLoss(), data: data, fit: one, options: options, resamples: 20, seed: 5, workers: 2)
        #expect(bootOne == bootTwo)
    }

    @Test func boundsHoldAndTheActiveSetReportsThem() throws {
        // Data rising to 0.9 with A capped at 0.8: A ends on its bound and the fit still converges.
        let x = (0..<20).map { pow(10, 3 + 4 * Double($0) / 19) }
        let truth = [0.2, 0.9, 5.0, 1.0]
        let data = try FitData(x: x, y: x.map { ScaleRLSigmoid().value(truth, at: [$0]) })
        let options = FitOptions(lowerBounds: [0, 0, 2, 0.05], upperBounds: [1, 0.8, 9, 20])
        let fit = try CurveFitter.fit(ScaleRLSigmoid(), to: data, options: options)
        #expect(fit.parametersOnBound == ["A"])
        #expect(fit.parameters[1] == 0.8)
        #expect(fit.status == .converged)
    }

    /// The law's intervals come from the runs' noise, not from the grid: quadrupling the grid
    /// density must not shrink them (a bootstrap of the grid points shrinks them roughly as one
    /// over the square root of the density, as if neighbouring grid points were independent).
    @Test func lawIntervalsDoNotShrinkWithGridDensity() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        let runs = SyntheticRuns.truth.keys.sorted().map { n in
            RunSeries(
                label: "n\(n)", rolloutsPerProblem: n, problemsPerBatch: SyntheticRuns.problemsPerBatch,
                points: SyntheticRuns.points(n: n).map {
                    ($0.step, $0.rollouts, $0.value + 0.004 * Normal.standard(using: &rng))
                })
        }
        func widths(gridPerDecade: Int) throws -> [Double] {
            var options = FrontierOptions()
            options.gridPointsPerDecade = gridPerDecade
            options.runningAverageWindow = gridPerDecade / 8 * 2 + 1  // the same ≈ 0.25 decade at both densities
            options.bootstrapResamples = 100
            let boot = try #require(try FrontierAnalysis.analyze(runs, options: options).lawBootstrap)
            return zip(boot.upper95, boot.lower95).map { $0 - $1 }
        }
        let coarse = try widths(gridPerDecade: 20)
        let fine = try widths(gridPerDecade: 80)
        // log10 C0 and b are the well-identified parameters; their widths stay within a factor 1.6.
        for j in [2, 3] {
            #expect(coarse[j] > 0 && fine[j] > coarse[j] / 1.6, "parameter \(j): coarse \(coarse[j]), fine \(fine[j])")
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
