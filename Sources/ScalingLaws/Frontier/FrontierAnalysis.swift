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
    /// How far, in noise standard deviations, the winning curve must beat the runner-up for the
    /// grid point to name n* (`z` in docs/SCALING_LAWS.md); closer curves are ties.
    public var noiseSeparation = 1.0
    /// Weight of the pull towards each tie interval's centre in the law fit, relative to the
    /// interval itself (``IntervalTargets/data(x:lower:upper:centreWeight:)``).
    public var tieCentreWeight = 0.01
    /// The budget the suggested next runs aim at (`nil`: 4× the top of the identified range).
    public var targetBudget: Double?
    /// A curve's uncertainty at x is its evaluations' noise over √(evaluations within this many
    /// decades of x): the fitted curve is pinned by the measurements near x.
    public var noiseWindowDecades = 0.25

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
    /// The x range of the group's record-breaking points: the fitted curve is trusted there.
    public var xMin: Double
    public var xMax: Double
    /// The x the group's runs reached (≥ `xMax`). Between its last record and here the curve
    /// holds its value at `xMax`: a run that stopped improving, or collapsed, is at best as good
    /// as its best checkpoint. The envelope never uses a curve beyond its reach.
    public var xReach: Double
    /// Standard deviation of one point of the group's seed-averaged curves (see
    /// ``FrontierOptions/noiseWindowDecades`` for the curve's own uncertainty).
    public var noise: Double
    /// Runs (seeds) averaged per configuration, at most.
    public var seeds: Int
    /// What the group's data do not identify (asymptote on its bound, midpoint beyond the data).
    public var unidentified: [String]

    /// The fitted value at x.
    public func value(at x: Double) -> Double { ScaleRLSigmoid().value(fit.parameters, at: [x]) }

    /// Whether the group's data cover x (from its first record to its reach).
    func covers(_ x: Double) -> Bool { x >= xMin * (1 - 1e-12) && x <= xReach * (1 + 1e-12) }

    /// The envelope's value of this curve at x under `parameters`: the curve up to its last
    /// record, its value there up to its reach.
    func envelopeValue(_ parameters: [Double], at x: Double) -> Double {
        ScaleRLSigmoid().value(parameters, at: [min(x, xMax)])
    }
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
    /// Whether the winner beats the runner-up by more than the noise (see
    /// ``FrontierOptions/noiseSeparation``); otherwise the point is a tie.
    public var resolved: Bool
    /// log2 of the smallest and largest n within noise of the winner (both the winner's when
    /// resolved; every n when fewer than two curves cover the point).
    public var tiedLog2N: [Double]
}

/// Where the winning curve changes.
public struct Handover: Sendable, Codable, Equatable {
    /// x of the change (compute, or steps).
    public var x: Double
    public var fromN: Int
    public var toN: Int
    /// `true` when the two fitted curves cross there (located by bisection, across a tie region
    /// when one lies between the two winners); `false` when they do not cross between the two
    /// resolved winners (x is then the midpoint between them).
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
    /// The allocation law fitted to the identified range's smoothed tie intervals of log2 n*, or
    /// `nil` when fewer than two n are resolved winners there (see `missing`).
    public var law: CurveFit?
    /// The law's bootstrap over the groups' record-breaking points (the whole pipeline refitted
    /// per resample; see ``FrontierOptions/bootstrapResamples``).
    public var lawBootstrap: BootstrapSummary?
    /// The compute (steps at a fixed batch) from the first to the last resolved grid point,
    /// cut where a curve's data range ends while it leads: the range the law is fitted on.
    public var identifiedRange: [Double]?
    /// Whether the law can be used: fitted at a stationary point, rising, L and k off their
    /// bounds. `lawReason` says why not.
    public var lawIdentified: Bool
    public var lawReason: String?
    /// `2^b`, when identified.
    public var floorN: Double?
    /// `2^(b+L)`, when identified.
    public var saturationN: Double?
    /// The best fitted value each n reaches on its own range (reported whatever the law).
    public var bestValuePerN: [String: Double]
    /// Fixed batch only: the law fitted to log2 B_p* = log2 B − log2 n*.
    public var batchLaw: CurveFit?
    /// Whether the batch law is stationary with L and k off their bounds (`nil`: no batch law).
    public var batchLawIdentified: Bool?
    /// What data would identify the frontier better (empty when the law is identified).
    public var missing: [String]
    /// n whose curves may still overtake beyond the swept compute: still rising at the end of
    /// their data (midpoint beyond it, or asymptote on its bound) towards an asymptote above the
    /// frontier's value at its top. Beyond the data, n* may reach the largest of them.
    public var stillRising: [Int]
    /// The runs that would most narrow the law's interval at the target budget (compute axis;
    /// for an identified law only with its bootstrap).
    public var suggestions: RunSuggestions?
    public var extrapolation: ExtrapolationCheck?
    /// Plain-language remarks: skipped runs or groups, unidentified parameters.
    public var notes: [String]
    /// Labels of the runs that contributed points.
    public var runsUsed: [String]
}

extension FrontierAnalysis {
    /// Runs the workflow: per configuration, its seeds averaged (with their spread as noise) and
    /// record-breaking points taken (after optional EMA and bucketing); per group, a monotone
    /// ScaleRL sigmoid; the upper envelope of the fitted curves on a log grid (each curve only
    /// over its own data range), with ties where curves are within noise of the winner; the
    /// identified range; the allocation law fitted there with bootstrap CIs; handovers between
    /// resolved winners located by bisection between the two curves.
    public static func analyze(
        _ runs: [RunSeries], options: FrontierOptions = FrontierOptions(),
        workers: Int? = nil, progress: any ProgressReporter = SilentProgress()
    ) throws(FitError) -> FrontierAnalysis {
        var notes: [String] = []
        let (groups, usedRuns) = pooledPoints(runs, options: options, notes: &notes)
        let curves = try groupCurves(groups, options: options, workers: workers, notes: &notes)
        guard !curves.isEmpty else { throw .invalidData("no group has enough points for a frontier") }
        let evaluations = curves.map { curve in
            groups[GroupKey(n: curve.rolloutsPerProblem, bp: curve.problemsPerBatch)]!.evaluations.sorted()
        }
        let envelope = Envelope(curves, evaluations: evaluations, options: options)
        let laws = try fitLaws(envelope, options: options, workers: workers, progress: progress, notes: &notes)
        let reason = unidentifiedReason(laws.law, envelope: envelope, fixedBatch: options.fixedBatch)
        var floorN: Double?
        var saturationN: Double?
        if let law = laws.law, reason == nil {
            floorN = pow(2, law.parameters[3])
            saturationN = pow(2, law.parameters[3] + law.parameters[0])
        } else if let reason {
            notes.append("law not identified: \(reason); use the best value per n")
        }
        return FrontierAnalysis(
            axis: options.fixedBatch == nil ? "compute" : "steps", curves: curves, grid: envelope.grid,
            handovers: envelope.handovers(), law: laws.law, lawBootstrap: laws.bootstrap,
            identifiedRange: envelope.identifiedRange.map {
                [envelope.grid[$0.lowerBound].x, envelope.grid[$0.upperBound].x]
            },
            lawIdentified: reason == nil, lawReason: reason,
            floorN: floorN, saturationN: saturationN, bestValuePerN: bestValuePerN(curves),
            batchLaw: laws.batchLaw,
            batchLawIdentified: laws.batchLaw.map {
                isUsable($0) && boundShapeParameters($0, fixedBatch: options.fixedBatch).isEmpty
            },
            missing: reason == nil ? [] : envelope.missingData(),
            stillRising: stillRising(curves, top: envelope.grid.last?.value ?? 0),
            suggestions: suggestions(laws, reason: reason, envelope: envelope, options: options),
            extrapolation: laws.extrapolation, notes: notes, runsUsed: usedRuns)
    }

    /// The n of curves still rising at the end of their data towards an asymptote above `top`.
    static func stillRising(_ curves: [GroupCurve], top: Double) -> [Int] {
        let rising = curves.filter { curve in
            !curve.unidentified.isEmpty && (curve.fit["A"] ?? 0) > top
        }
        return Array(Set(rising.map(\.rolloutsPerProblem))).sorted()
    }

    /// Step 6: the next runs that would most narrow the law's interval at the target budget: by
    /// expected variance reduction when the law is identified, else the runs that address why
    /// it is not (``RunSuggestions/remedies(winners:tested:top:target:lawBound:lawFitted:)``).
    static func suggestions(_ laws: LawFits, reason: String?, envelope: Envelope, options: FrontierOptions)
        -> RunSuggestions?
    {
        guard options.fixedBatch == nil else { return nil }
        let top = envelope.identifiedRange.map { envelope.grid[$0.upperBound].x } ?? envelope.grid.last?.x ?? 0
        let target = options.targetBudget ?? 4 * top
        if reason == nil {
            // An identified law ranks runs by its bootstrap; without one there is nothing to rank by.
            guard let samples = laws.bootstrap?.samples else { return nil }
            return RunSuggestions.suggest(samples: samples, curves: envelope.curves, from: top, target: target)
        }
        var winners: [Int] = []
        for point in envelope.identifiedRange.map({ Array(envelope.grid[$0]) }) ?? [] where point.resolved {
            if winners.last != point.rolloutsPerProblem { winners.append(point.rolloutsPerProblem) }
        }
        if winners.isEmpty, let last = envelope.grid.last { winners = [last.rolloutsPerProblem] }
        return RunSuggestions.remedies(
            winners: winners, tested: envelope.curves.map(\.rolloutsPerProblem), top: top, target: target,
            lawBound: laws.law.map { boundShapeParameters($0, fixedBatch: options.fixedBatch) } ?? [],
            lawFitted: laws.law != nil)
    }

    /// A group of runs that share one curve: n, and B_p when grouping by (B_p, n).
    struct GroupKey: Hashable {
        var n: Int
        var bp: Int?
    }

    /// A group's runs, its configurations' record-breaking points and their noise.
    struct PooledGroup {
        var runs: [String] = []
        var points: [(compute: Double, value: Double)] = []
        var noises: [Double] = []
        var seeds = 0
        /// The x of every seed-averaged evaluation (all points, not only records).
        var evaluations: [Double] = []
        /// The largest x a configuration reached.
        var reach = 0.0
    }

    /// Step 1: per configuration, its runs averaged (``CombinedSeeds``) and their record-breaking
    /// points (after EMA and bucketing, in the analysis's x), pooled per group; runs of another
    /// fixed batch or without points are left out with a note.
    static func pooledPoints(_ runs: [RunSeries], options: FrontierOptions, notes: inout [String])
        -> (groups: [GroupKey: PooledGroup], usedRuns: [String])
    {
        var configurations: [String: (key: GroupKey, runs: [String], series: [[(compute: Double, value: Double)]])] =
            [:]
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
            usedRuns.append(run.label)
            let key = GroupKey(n: run.rolloutsPerProblem, bp: options.grouping == .n ? nil : run.problemsPerBatch)
            configurations[run.configuration, default: (key, [], [])].runs.append(run.label)
            configurations[run.configuration, default: (key, [], [])].series.append(series)
        }
        var pooled: [GroupKey: PooledGroup] = [:]
        for name in configurations.keys.sorted() {
            let configuration = configurations[name]!
            let combined = CombinedSeeds(configuration.series)
            // EMA and record-breaking within the configuration; the group takes records again.
            let points = recordBreakingPoints(
                combined.points, emaCoefficient: options.emaCoefficient, bucketWidth: options.bucketWidth)
            pooled[configuration.key, default: PooledGroup()].runs += configuration.runs
            pooled[configuration.key, default: PooledGroup()].points += points
            pooled[configuration.key, default: PooledGroup()].evaluations += combined.points.map(\.compute)
            pooled[configuration.key, default: PooledGroup()].reach = max(
                pooled[configuration.key]!.reach, combined.points.last?.compute ?? 0)
            pooled[configuration.key, default: PooledGroup()].seeds = max(
                pooled[configuration.key]!.seeds, combined.seeds)
            if let noise = combined.noise { pooled[configuration.key, default: PooledGroup()].noises.append(noise) }
        }
        return (pooled, usedRuns)
    }

    /// Step 2: the group's record-breaking points and one ScaleRL sigmoid per group (groups with
    /// fewer than four records are left out with a note), ordered by (n, B_p). A group's noise is
    /// the root mean square of its configurations' noise (the median over groups when it has no
    /// estimate of its own).
    static func groupCurves(
        _ pooled: [GroupKey: PooledGroup], options: FrontierOptions, workers: Int?, notes: inout [String]
    ) throws(FitError) -> [GroupCurve] {
        let groupNoise = pooled.mapValues { group in
            group.noises.isEmpty
                ? nil : (group.noises.reduce(0) { $0 + $1 * $1 } / Double(group.noises.count)).squareRoot()
        }
        let known = groupNoise.values.compactMap { $0 }.sorted()
        let fallbackNoise = known.isEmpty ? 0 : known[known.count / 2]
        var curves: [GroupCurve] = []
        for (key, group) in pooled.sorted(by: { ($0.key.n, $0.key.bp ?? 0) < ($1.key.n, $1.key.bp ?? 0) }) {
            let ordered = group.points.sorted { ($0.compute, $0.value) < ($1.compute, $1.value) }
            let records = recordBreakingPoints(ordered, bucketWidth: options.bucketWidth)
            let label = "n = \(key.n)\(key.bp.map { ", B_p = \($0)" } ?? "")"
            guard records.count >= 4, let first = ordered.first, let last = ordered.last else {
                notes.append("\(label): \(records.count) record-breaking points, need 4 for a sigmoid; left out")
                continue
            }
            let data = try FitData(x: records.map(\.compute), y: records.map(\.value))
            let fit = try CurveFitter.fit(
                ScaleRLSigmoid(), to: data, options: FitOptions(loss: options.curveLoss), workers: workers)
            let unidentified = unidentifiedParameters(fit, xMax: last.compute)
            if !unidentified.isEmpty {
                notes.append("\(label): \(unidentified.joined(separator: "; ")) (used only over its data)")
            }
            curves.append(
                GroupCurve(
                    rolloutsPerProblem: key.n, problemsPerBatch: key.bp, runs: group.runs,
                    recordPoints: records.map { [$0.compute, $0.value] }, fit: fit,
                    xMin: first.compute, xMax: last.compute, xReach: max(last.compute, group.reach),
                    noise: groupNoise[key]! ?? fallbackNoise,
                    seeds: group.seeds, unidentified: unidentified))
        }
        return curves
    }

    /// What a group's sigmoid leaves unidentified: its asymptote on a bound, or its midpoint
    /// beyond the data (then the asymptote is a guess, too).
    static func unidentifiedParameters(_ fit: CurveFit, xMax: Double) -> [String] {
        var reasons: [String] = []
        if fit.parametersOnBound.contains("A") { reasons.append("asymptote A on its bound") }
        if let midpoint = fit["log10_C_mid"], midpoint > log10(xMax) {
            reasons.append("midpoint C_mid = \(String(format: "%.3g", pow(10, midpoint))) beyond the data")
        }
        return reasons
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

// Analyses stored before the noise-aware frontier (issue 14) lack its fields: they decode with
// what those analyses meant (every grid point its winner's alone, no identified range), so old
// fits keep their grids in exports and reports, and `plan train` still checks their laws.

extension GroupCurve {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rolloutsPerProblem = try c.decode(Int.self, forKey: .rolloutsPerProblem)
        problemsPerBatch = try c.decodeIfPresent(Int.self, forKey: .problemsPerBatch)
        runs = try c.decode([String].self, forKey: .runs)
        recordPoints = try c.decode([[Double]].self, forKey: .recordPoints)
        fit = try c.decode(CurveFit.self, forKey: .fit)
        xMin = try c.decode(Double.self, forKey: .xMin)
        xMax = try c.decode(Double.self, forKey: .xMax)
        xReach = try c.decodeIfPresent(Double.self, forKey: .xReach) ?? xMax
        noise = try c.decodeIfPresent(Double.self, forKey: .noise) ?? 0
        seeds = try c.decodeIfPresent(Int.self, forKey: .seeds) ?? 1
        unidentified = try c.decodeIfPresent([String].self, forKey: .unidentified) ?? []
    }
}

extension FrontierPoint {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        x = try c.decode(Double.self, forKey: .x)
        value = try c.decode(Double.self, forKey: .value)
        rolloutsPerProblem = try c.decode(Int.self, forKey: .rolloutsPerProblem)
        problemsPerBatch = try c.decodeIfPresent(Int.self, forKey: .problemsPerBatch)
        smoothedLog2N = try c.decode(Double.self, forKey: .smoothedLog2N)
        resolved = try c.decodeIfPresent(Bool.self, forKey: .resolved) ?? true
        let own = log2(Double(rolloutsPerProblem))
        tiedLog2N = try c.decodeIfPresent([Double].self, forKey: .tiedLog2N) ?? [own, own]
    }
}

extension FrontierAnalysis {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        axis = try c.decode(String.self, forKey: .axis)
        curves = try c.decode([GroupCurve].self, forKey: .curves)
        grid = try c.decode([FrontierPoint].self, forKey: .grid)
        handovers = try c.decode([Handover].self, forKey: .handovers)
        law = try c.decodeIfPresent(CurveFit.self, forKey: .law)
        lawBootstrap = try c.decodeIfPresent(BootstrapSummary.self, forKey: .lawBootstrap)
        identifiedRange = try c.decodeIfPresent([Double].self, forKey: .identifiedRange)
        lawIdentified = try c.decode(Bool.self, forKey: .lawIdentified)
        lawReason = try c.decodeIfPresent(String.self, forKey: .lawReason)
        floorN = try c.decodeIfPresent(Double.self, forKey: .floorN)
        saturationN = try c.decodeIfPresent(Double.self, forKey: .saturationN)
        bestValuePerN = try c.decode([String: Double].self, forKey: .bestValuePerN)
        batchLaw = try c.decodeIfPresent(CurveFit.self, forKey: .batchLaw)
        batchLawIdentified = try c.decodeIfPresent(Bool.self, forKey: .batchLawIdentified)
        missing = try c.decodeIfPresent([String].self, forKey: .missing) ?? []
        stillRising = try c.decodeIfPresent([Int].self, forKey: .stillRising) ?? []
        suggestions = try c.decodeIfPresent(RunSuggestions.self, forKey: .suggestions)
        extrapolation = try c.decodeIfPresent(ExtrapolationCheck.self, forKey: .extrapolation)
        notes = try c.decode([String].self, forKey: .notes)
        runsUsed = try c.decode([String].self, forKey: .runsUsed)
    }
}
