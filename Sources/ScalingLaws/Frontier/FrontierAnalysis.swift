public import Domain
import Foundation
import NumericCore

/// Options of the IsoCompute frontier workflow (isocompute-playbook.md §4). Where the paper is
/// silent the defaults are our choices, documented in docs/SCALING_LAWS.md.
public struct FrontierOptions: Sendable, Equatable {
    /// How runs are pooled into curves.
    public enum Grouping: String, Sendable, Codable, CaseIterable {
        /// One curve per n (runs with different B_p pooled), the paper's Q1 analysis.
        case n
        /// One curve per (B_p, n).
        case problemsPerBatchAndN = "bp,n"
    }

    public var grouping: Grouping = .n
    /// EMA coefficient β applied to each run's values before picking record-breakers (`nil`: none).
    public var emaCoefficient: Double?
    /// Reward bucket width for record-breaking (`nil`: none).
    public var bucketWidth: Double?
    /// Points below this compute are ignored (rollouts or tokens, as stored).
    public var minimumCompute = 0.0
    /// Grid density for n*(C): points per decade of compute (of steps in fixed-batch mode).
    public var gridPointsPerDecade = 40
    /// Centered running-average window over grid points for log2 n* (odd; 1: none).
    public var runningAverageWindow = 5
    /// Bootstrap resamples for the allocation law (0: none): each resample redraws every group's
    /// record-breaking points and refits curves, envelope and law.
    public var bootstrapResamples = 1000
    /// Seed of the law's bootstrap.
    public var seed: UInt64 = 0
    /// Fixed rollout batch B = B_p·n: the x-axis becomes update steps M and the laws are
    /// n*(M) and B_p*(M) (Q2). Runs with another batch are left out.
    public var fixedBatch: Int?
    /// Fit the law only on grid points with x ≤ this (compute, or steps at a fixed batch) and
    /// report its error above; the running average below the cut sees no point above it.
    public var extrapolationCut: Double?
    /// Loss of the per-group sigmoid fits.
    public var curveLoss: RobustLoss = .l2

    public init() {}
}

/// One group's record-breaking points and fitted monotone sigmoid.
public struct GroupCurve: Sendable, Codable, Equatable {
    public var rolloutsPerProblem: Int
    /// B_p when grouping by (B_p, n).
    public var problemsPerBatch: Int?
    public var runs: [String]
    /// Record-breaking points `[x, value]` (x = compute, or steps at a fixed batch).
    public var recordPoints: [[Double]]
    public var fit: CurveFit
    /// The x range the curve is trusted on (its data); the envelope never extrapolates a curve.
    public var xMin: Double
    public var xMax: Double

    /// The fitted value at x.
    public func value(at x: Double) -> Double { ScaleRLSigmoid().value(fit.parameters, at: [x]) }
}

/// A point of the frontier grid.
public struct FrontierPoint: Sendable, Codable, Equatable {
    /// Compute (or steps at a fixed batch).
    public var x: Double
    /// The envelope's value.
    public var value: Double
    /// n of the winning curve.
    public var rolloutsPerProblem: Int
    /// B_p of the winning curve, when grouping by (B_p, n).
    public var problemsPerBatch: Int?
    /// log2 n* after the running average.
    public var smoothedLog2N: Double
}

/// Where the winning curve changes.
public struct Handover: Sendable, Codable, Equatable {
    /// x of the change (compute, or steps).
    public var x: Double
    public var fromN: Int
    public var toN: Int
    /// `true` when the two fitted curves cross there; `false` when one curve's data range
    /// begins or ends instead (x is then the midpoint of the two grid points).
    public var isCrossing: Bool
}

/// Error of a law fitted below a cut, measured above it.
public struct ExtrapolationCheck: Sendable, Codable, Equatable {
    public var cut: Double
    public var pointsBelow: Int
    public var pointsAbove: Int
    /// Root-mean-square and largest absolute error above the cut, in the law's units (log2 n*).
    public var rmse: Double
    public var maxAbsoluteError: Double
    public var fit: CurveFit
}

/// The result of the frontier workflow.
public struct FrontierAnalysis: Sendable, Codable, Equatable {
    /// `compute` or `steps` (fixed batch).
    public var axis: String
    public var curves: [GroupCurve]
    public var grid: [FrontierPoint]
    public var handovers: [Handover]
    /// The allocation law fitted to (x, smoothed log2 n*), or `nil` when n* never varies enough.
    public var law: CurveFit?
    /// The law's bootstrap over the groups' record-breaking points (the whole pipeline refitted
    /// per resample; see ``FrontierOptions/bootstrapResamples``).
    public var lawBootstrap: BootstrapSummary?
    /// Whether L and k are off their bounds, so floor and saturation are identified.
    public var lawIdentified: Bool
    /// `2^b`, when identified.
    public var floorN: Double?
    /// `2^(b+L)`, when identified.
    public var saturationN: Double?
    /// The best fitted value each n reaches on its own range (reported whatever the law).
    public var bestValuePerN: [String: Double]
    /// Fixed batch only: the law fitted to log2 B_p* = log2 B − log2 n*.
    public var batchLaw: CurveFit?
    public var extrapolation: ExtrapolationCheck?
    /// Plain-language remarks: skipped runs or groups, unidentified parameters.
    public var notes: [String]
    /// Labels of the runs that contributed points.
    public var runsUsed: [String]
}

extension FrontierAnalysis {
    /// Runs the workflow: per run, record-breaking points (after optional EMA and bucketing); per
    /// group, a monotone ScaleRL sigmoid; the upper envelope of the fitted curves on a log grid
    /// (each curve only over its own data range); n*(x) with a running average; the allocation
    /// law with bootstrap CIs; handovers located by bisection between the two curves.
    public static func analyze(
        _ runs: [RunSeries], options: FrontierOptions = FrontierOptions(),
        workers: Int? = nil, progress: any ProgressReporter = SilentProgress()
    ) throws(FitError) -> FrontierAnalysis {
        var notes: [String] = []
        let (groups, usedRuns) = pooledPoints(runs, options: options, notes: &notes)
        let curves = try groupCurves(groups, options: options, workers: workers, notes: &notes)
        guard !curves.isEmpty else { throw .invalidData("no group has enough points for a frontier") }
        let (winners, rawLog2, grid) = envelope(curves, options: options)
        let laws = try fitLaws(
            curves: curves, grid: grid, rawLog2: rawLog2, options: options, workers: workers,
            progress: progress, notes: &notes)
        var identified = false
        var floorN: Double?
        var saturationN: Double?
        if let law = laws.law {
            let unidentified = law.parametersOnBound.filter { $0 == "L" || $0 == "k" }
            identified = unidentified.isEmpty
            if identified {
                floorN = pow(2, law.parameters[3])
                saturationN = pow(2, law.parameters[3] + law.parameters[0])
            } else {
                notes.append(
                    "\(unidentified.joined(separator: " and ")) on a bound: the saturation is not identified; use the best value per n"
                )
            }
        }
        return FrontierAnalysis(
            axis: options.fixedBatch == nil ? "compute" : "steps", curves: curves, grid: grid,
            handovers: handovers(winners, curves: curves), law: laws.law, lawBootstrap: laws.bootstrap,
            lawIdentified: identified, floorN: floorN, saturationN: saturationN, bestValuePerN: bestValuePerN(curves),
            batchLaw: laws.batchLaw, extrapolation: laws.extrapolation, notes: notes, runsUsed: usedRuns)
    }

    /// A group of runs that share one curve: n, and B_p when grouping by (B_p, n).
    private struct GroupKey: Hashable {
        var n: Int
        var bp: Int?
    }

    /// Step 1: each run's record-breaking points (after EMA and bucketing, in the analysis's x),
    /// pooled per group; runs of another fixed batch or without points are left out with a note.
    private static func pooledPoints(_ runs: [RunSeries], options: FrontierOptions, notes: inout [String])
        -> (groups: [GroupKey: (runs: [String], points: [(compute: Double, value: Double)])], usedRuns: [String])
    {
        var pooled: [GroupKey: (runs: [String], points: [(compute: Double, value: Double)])] = [:]
        var usedRuns: [String] = []
        // By label, so the result does not depend on the order the runs come in (a store lists
        // simulated runs in the order they finished).
        for run in runs.sorted(by: { $0.label < $1.label }) {
            let batch = run.rolloutsPerProblem * run.problemsPerBatch
            if let fixed = options.fixedBatch, batch != fixed {
                notes.append("run \(run.label) left out: batch B_p·n = \(batch), not \(fixed)")
                continue
            }
            let series = run.cleaned().filter { $0.compute >= options.minimumCompute }.map { point in
                (compute: options.fixedBatch == nil ? point.compute : Double(point.step), value: point.value)
            }.filter { $0.compute > 0 }
            guard !series.isEmpty else {
                notes.append("run \(run.label) left out: no points")
                continue
            }
            // EMA and record-breaking within the run; the group takes records again over its runs.
            let points = recordBreakingPoints(
                series, emaCoefficient: options.emaCoefficient, bucketWidth: options.bucketWidth)
            usedRuns.append(run.label)
            let key = GroupKey(n: run.rolloutsPerProblem, bp: options.grouping == .n ? nil : run.problemsPerBatch)
            pooled[key, default: ([], [])].runs.append(run.label)
            pooled[key, default: ([], [])].points.append(contentsOf: points)
        }
        return (pooled, usedRuns)
    }

    /// Step 2: the group's record-breaking points and one ScaleRL sigmoid per group (groups with
    /// fewer than four records are left out with a note), ordered by (n, B_p).
    private static func groupCurves(
        _ pooled: [GroupKey: (runs: [String], points: [(compute: Double, value: Double)])],
        options: FrontierOptions, workers: Int?, notes: inout [String]
    ) throws(FitError)
        -> [GroupCurve]
    {
        var curves: [GroupCurve] = []
        for (key, group) in pooled.sorted(by: { ($0.key.n, $0.key.bp ?? 0) < ($1.key.n, $1.key.bp ?? 0) }) {
            let ordered = group.points.sorted { ($0.compute, $0.value) < ($1.compute, $1.value) }
            let records = recordBreakingPoints(ordered, bucketWidth: options.bucketWidth)
            guard records.count >= 4, let first = ordered.first, let last = ordered.last else {
                let label = "n = \(key.n)\(key.bp.map { ", B_p = \($0)" } ?? "")"
                notes.append("\(label): \(records.count) record-breaking points, need 4 for a sigmoid; left out")
                continue
            }
            let data = try FitData(x: records.map(\.compute), y: records.map(\.value))
            let fit = try CurveFitter.fit(
                ScaleRLSigmoid(), to: data, options: FitOptions(loss: options.curveLoss), workers: workers)
            curves.append(
                GroupCurve(
                    rolloutsPerProblem: key.n, problemsPerBatch: key.bp, runs: group.runs,
                    recordPoints: records.map { [$0.compute, $0.value] }, fit: fit,
                    xMin: first.compute, xMax: last.compute))
        }
        return curves
    }

    /// Step 3: the upper envelope of the curves on a log grid (each curve only over its own data
    /// range), the winner's log2 n per grid point and the grid with its running average.
    private static func envelope(_ curves: [GroupCurve], options: FrontierOptions)
        -> (winners: [(x: Double, value: Double, curve: Int)], rawLog2: [Double], grid: [FrontierPoint])
    {
        let lo = log10(curves.map(\.xMin).min() ?? 1)
        let hi = log10(curves.map(\.xMax).max() ?? 1)
        let count = max(2, Int(((hi - lo) * Double(options.gridPointsPerDecade)).rounded(.up)) + 1)
        var winners: [(x: Double, value: Double, curve: Int)] = []
        for g in 0..<count {
            let x = pow(10, lo + (hi - lo) * Double(g) / Double(count - 1))
            var best: (value: Double, curve: Int)?
            for (c, curve) in curves.enumerated() where x >= curve.xMin * (1 - 1e-12) && x <= curve.xMax * (1 + 1e-12) {
                let v = curve.value(at: x)
                if best.map({ v > $0.value }) ?? true { best = (v, c) }
            }
            if let best { winners.append((x, best.value, best.curve)) }
        }
        let rawLog2 = winners.map { log2(Double(curves[$0.curve].rolloutsPerProblem)) }
        let smoothed = runningAverage(rawLog2, window: options.runningAverageWindow)
        let grid = winners.indices.map { i in
            FrontierPoint(
                x: winners[i].x, value: winners[i].value,
                rolloutsPerProblem: curves[winners[i].curve].rolloutsPerProblem,
                problemsPerBatch: curves[winners[i].curve].problemsPerBatch, smoothedLog2N: smoothed[i])
        }
        return (winners, rawLog2, grid)
    }

    /// Step 4: handovers between consecutive winners, refined by bisection in log x.
    private static func handovers(_ winners: [(x: Double, value: Double, curve: Int)], curves: [GroupCurve])
        -> [Handover]
    {
        var handovers: [Handover] = []
        for i in 1..<max(1, winners.count) where winners[i].curve != winners[i - 1].curve {
            let (a, b) = (curves[winners[i - 1].curve], curves[winners[i].curve])
            let crossing = bisectCrossing(a, b, from: winners[i - 1].x, to: winners[i].x)
            handovers.append(
                Handover(
                    x: crossing ?? (winners[i - 1].x * winners[i].x).squareRoot(),
                    fromN: a.rolloutsPerProblem, toN: b.rolloutsPerProblem, isCrossing: crossing != nil))
        }
        return handovers
    }

    /// The best fitted value each n reaches over its data range, keyed by n as text.
    private static func bestValuePerN(_ curves: [GroupCurve]) -> [String: Double] {
        var bestPerN: [String: Double] = [:]
        for curve in curves {
            let top = max(curve.value(at: curve.xMin), curve.value(at: curve.xMax))
            bestPerN[String(curve.rolloutsPerProblem)] = max(
                bestPerN[String(curve.rolloutsPerProblem)] ?? -.infinity, top)
        }
        return bestPerN
    }

    /// The allocation law of a frontier, its bootstrap, the fixed-batch B_p law and the
    /// extrapolation check (each `nil` when not asked for or not possible).
    private struct LawFits {
        var law: CurveFit?
        var bootstrap: BootstrapSummary?
        var batchLaw: CurveFit?
        var extrapolation: ExtrapolationCheck?
    }

    /// Step 5: the allocation law n*(x) over the smoothed grid (when n* takes two values or more
    /// on at least 8 grid points), with its pipeline bootstrap, B_p*(M) and the holdout check.
    private static func fitLaws(
        curves: [GroupCurve], grid: [FrontierPoint], rawLog2: [Double], options: FrontierOptions,
        workers: Int?, progress: any ProgressReporter, notes: inout [String]
    ) throws(FitError)
        -> LawFits
    {
        var fits = LawFits()
        let distinct = Set(grid.map(\.rolloutsPerProblem)).count
        guard distinct >= 2 && grid.count >= 8 else {
            notes.append(
                "n* takes \(distinct) value(s) on the grid: no allocation law fitted; see the best value per n")
            return fits
        }
        let family = AllocationLaw(input: options.fixedBatch == nil ? .log10 : .linear)
        let lawData = try FitData(x: grid.map(\.x), y: grid.map(\.smoothedLog2N))
        let law = try CurveFitter.fit(family, to: lawData, workers: workers)
        fits.law = law
        if options.bootstrapResamples >= 2 {
            fits.bootstrap = pipelineBootstrap(
                curves: curves, gridX: grid.map(\.x), law: law, family: family,
                options: options, workers: workers, progress: progress)
        }
        if let fixed = options.fixedBatch {
            let bpData = try FitData(x: grid.map(\.x), y: grid.map { log2(Double(fixed)) - $0.smoothedLog2N })
            fits.batchLaw = try CurveFitter.fit(family, to: bpData, workers: workers)
        }
        if let cut = options.extrapolationCut {
            // A true holdout: the running average below the cut sees no point above it.
            let below = grid.indices.filter { grid[$0].x <= cut }
            let smoothedBelow = runningAverage(below.map { rawLog2[$0] }, window: options.runningAverageWindow)
            let above = grid.indices.filter { grid[$0].x > cut }
            do {
                let split = try FitData(
                    x: below.map { grid[$0].x } + above.map { grid[$0].x },
                    y: smoothedBelow + above.map { grid[$0].smoothedLog2N })
                fits.extrapolation = try CurveFitter.extrapolationCheck(family, data: split, cut: cut, workers: workers)
            } catch {
                notes.append("extrapolation check at \(cut) not possible: \(error)")
            }
        }
        return fits
    }

    /// The law's uncertainty from the data, not from the grid: each resample draws every group's
    /// record-breaking points with replacement, refits the group's sigmoid (one descent from its
    /// full-data fit), re-derives the envelope and the smoothed n* on the same grid, and refits
    /// the law from its full-data fit. Bootstrapping the grid points themselves instead would give
    /// intervals that narrow as the grid gets denser, since neighbouring grid points are not
    /// independent observations.
    static func pipelineBootstrap(
        curves: [GroupCurve], gridX: [Double], law: CurveFit, family: AllocationLaw,
        options: FrontierOptions, workers: Int?, progress: any ProgressReporter
    ) -> BootstrapSummary {
        let threads = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        progress.begin("law bootstrap", total: options.bootstrapResamples)
        defer { progress.end() }
        let sigmoid = ScaleRLSigmoid()
        let fits = parallelMap(count: options.bootstrapResamples, workers: threads) { i -> CurveFit? in
            defer { progress.advance(by: 1) }
            var rng = Xoshiro256StarStar(seed: options.seed, stream: UInt64(i))
            let parameters = curves.map { curve -> [Double] in
                let records = curve.recordPoints
                let rows = (0..<records.count).map { _ in Int(rng.next() % UInt64(records.count)) }
                guard Set(rows).count >= 4,
                    let data = try? FitData(x: rows.map { records[$0][0] }, y: rows.map { records[$0][1] }),
                    let refit = try? CurveFitter.fit(
                        sigmoid, to: data, options: FitOptions(loss: options.curveLoss),
                        starts: [curve.fit.parameters], workers: 1)
                else { return curve.fit.parameters }
                return refit.parameters
            }
            let log2N = gridX.map { x -> Double in
                var best: (value: Double, n: Int)?
                for (c, curve) in curves.enumerated()
                where x >= curve.xMin * (1 - 1e-12) && x <= curve.xMax * (1 + 1e-12) {
                    let v = sigmoid.value(parameters[c], at: [x])
                    if best == nil || v > best!.value { best = (v, curve.rolloutsPerProblem) }
                }
                return log2(Double(best?.n ?? curves[0].rolloutsPerProblem))
            }
            guard let data = try? FitData(x: gridX, y: runningAverage(log2N, window: options.runningAverageWindow))
            else { return nil }
            return try? CurveFitter.fit(family, to: data, starts: [law.parameters], workers: 1)
        }
        let usable = fits.compactMap { $0 }
        return BootstrapSummary(
            samples: usable.map(\.parameters), seed: options.seed,
            notConverged: usable.filter { $0.status != .converged }.count + (fits.count - usable.count))
    }

    /// The x in [lo, hi] where curve b overtakes curve a (bisection in log x on their difference),
    /// or `nil` when they do not cross there (a curve's range begins or ends instead).
    static func bisectCrossing(_ a: GroupCurve, _ b: GroupCurve, from lo: Double, to hi: Double) -> Double? {
        func difference(_ x: Double) -> Double? {
            guard x >= a.xMin, x <= a.xMax, x >= b.xMin, x <= b.xMax else { return nil }
            return b.value(at: x) - a.value(at: x)
        }
        var (l, h) = (log10(lo), log10(hi))
        guard let dl = difference(lo), let dh = difference(hi), dl <= 0, dh >= 0 else { return nil }
        for _ in 0..<60 {
            let m = 0.5 * (l + h)
            if (difference(pow(10, m)) ?? 0) < 0 { l = m } else { h = m }
        }
        return pow(10, 0.5 * (l + h))
    }
}

/// Centered running mean over `window` points (odd; shrinking at the ends); 1 returns the input.
func runningAverage(_ values: [Double], window: Int) -> [Double] {
    precondition(window >= 1 && window % 2 == 1, "the running-average window must be odd")
    let half = max(0, window / 2)
    return values.indices.map { i in
        let slice = values[max(0, i - half)...min(values.count - 1, i + half)]
        return slice.reduce(0, +) / Double(slice.count)
    }
}

extension CurveFitter {
    /// Fits on the points with x ≤ `cut` (first input column, raw units) and measures the error
    /// of the prediction on the points above it, in the family's working space.
    public static func extrapolationCheck(
        _ family: any CurveFamily, data: FitData, cut: Double,
        options: FitOptions = FitOptions(), workers: Int? = nil
    ) throws(FitError) -> ExtrapolationCheck {
        let below = data.filtered { data.inputs[$0, 0] <= cut }
        let above = data.filtered { data.inputs[$0, 0] > cut }
        guard above.count > 0 else { throw .invalidData("no point lies above the cut \(cut)") }
        let fit = try fit(family, to: below, options: options, workers: workers)
        let preparedAbove = try family.prepare(above)
        let predictions = family.predictions(fit.parameters, on: preparedAbove)
        let errors = zip(predictions, preparedAbove.targets).map { $0 - $1 }
        let rmse = (errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)).squareRoot()
        return ExtrapolationCheck(
            cut: cut, pointsBelow: below.count, pointsAbove: above.count, rmse: rmse,
            maxAbsoluteError: errors.map(abs).max() ?? 0, fit: fit)
    }
}
