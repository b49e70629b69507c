import Domain
import Foundation
import NumericCore

extension FrontierAnalysis {
    /// The allocation law of a frontier, its bootstrap, the fixed-batch B_p law and the
    /// extrapolation check (each `nil` when not asked for or not possible).
    struct LawFits {
        var law: CurveFit?
        var bootstrap: BootstrapSummary?
        var batchLaw: CurveFit?
        var extrapolation: ExtrapolationCheck?
    }

    /// A fit's projected gradient may stop short of the absolute tolerance on a flat or
    /// staircase optimum (the targets are integer-valued log2 n*): it counts as stationary when
    /// the gradient is below this fraction of `1 + objective`.
    public static let stationarityTolerance = 1e-6

    /// Whether a fit ended at a stationary point: converged, or stopped by a small step or
    /// objective change with a projected gradient below ``stationarityTolerance``·(1 + objective).
    public static func isUsable(_ fit: CurveFit) -> Bool {
        fit.status == .converged
            || (fit.status != .maxIterations && fit.gradientNorm <= stationarityTolerance * (1 + fit.objective))
    }

    /// The fit with status `converged` when it is stationary by ``isUsable(_:)`` (a small step
    /// at a flat optimum is convergence, not failure); unchanged otherwise.
    static func stationaryChecked(_ fit: CurveFit) -> CurveFit {
        var checked = fit
        if isUsable(fit) { checked.status = .converged }
        return checked
    }

    /// Step 5: the allocation law n*(x) fitted to the identified range's tied intervals (when at
    /// least two n win somewhere there and it spans 8 grid points), with its pipeline bootstrap,
    /// B_p*(M) and the holdout check.
    static func fitLaws(
        _ envelope: Envelope, options: FrontierOptions, workers: Int?, progress: any ProgressReporter,
        notes: inout [String]
    ) throws(FitError) -> LawFits {
        var fits = LawFits()
        let data = envelope.lawData()
        let winners = Set(
            envelope.identifiedRange.map { $0.filter { envelope.grid[$0].resolved } }?.map {
                envelope.grid[$0].rolloutsPerProblem
            } ?? [])
        guard winners.count >= 2 && data.x.count >= 8 else {
            notes.append(
                "n* takes \(winners.count) resolved value(s) on \(data.x.count) identified grid points: "
                    + "no allocation law fitted; see the best value per n")
            return fits
        }
        let family = IntervalTargets(AllocationLaw(input: options.fixedBatch == nil ? .log10 : .linear))
        let law = try stationaryChecked(
            CurveFitter.fit(
                family,
                to: IntervalTargets.data(
                    x: data.x, lower: data.lower, upper: data.upper, centreWeight: options.tieCentreWeight),
                workers: workers))
        fits.law = law
        if options.bootstrapResamples >= 2 {
            fits.bootstrap = pipelineBootstrap(
                envelope, law: law, family: family, options: options, workers: workers, progress: progress)
        }
        if let fixed = options.fixedBatch {
            let top = log2(Double(fixed))
            let batchData = try IntervalTargets.data(
                x: data.x, lower: data.upper.map { top - $0 }, upper: data.lower.map { top - $0 },
                centreWeight: options.tieCentreWeight)
            fits.batchLaw = try stationaryChecked(CurveFitter.fit(family, to: batchData, workers: workers))
        }
        if let cut = options.extrapolationCut {
            // A true holdout: the running average below the cut sees no point above it.
            let below = envelope.lawData(upTo: cut)
            let above = data.x.indices.filter { data.x[$0] > cut }
            do {
                // The intervals alone (no centre pull): the error above is the distance to them.
                let split = try IntervalTargets.data(
                    x: below.x + above.map { data.x[$0] }, lower: below.lower + above.map { data.lower[$0] },
                    upper: below.upper + above.map { data.upper[$0] })
                fits.extrapolation = try CurveFitter.extrapolationCheck(family, data: split, cut: cut, workers: workers)
            } catch {
                notes.append("extrapolation check at \(cut) not possible: \(error)")
            }
        }
        return fits
    }

    /// L and k when on their bounds; k within 1% of its ceiling counts (a step the data do not
    /// resolve).
    static func boundShapeParameters(_ law: CurveFit, fixedBatch: Int?) -> [String] {
        var bound = law.parametersOnBound.filter { $0 == "L" || $0 == "k" }
        let kCeiling = AllocationLaw.steepnessCeiling(fixedBatch == nil ? .log10 : .linear)
        if !bound.contains("k"), law.parameters[1] >= 0.99 * kCeiling { bound.append("k") }
        return bound
    }

    /// Whether the law can be used, and why not: a stationary fit, L and k off their bounds, and
    /// (over compute) rising, as every published law is. `nil`: identified.
    static func unidentifiedReason(_ law: CurveFit?, envelope: Envelope, fixedBatch: Int?) -> String? {
        guard let law else { return ("no law fitted (\(envelope.missingData().joined(separator: "; ")))") }
        guard isUsable(law) else {
            return ("the fit stopped (\(law.status.rawValue)) away from a stationary point")
        }
        let bound = boundShapeParameters(law, fixedBatch: fixedBatch)
        if !bound.isEmpty {
            return ("\(bound.joined(separator: " and ")) on a bound: floor and saturation are not pinned by the data")
        }
        if fixedBatch == nil && law.parameters[0] <= 0 {
            return ("the fitted n*(C) decreases with compute (L = \(String(format: "%.3g", law.parameters[0])))")
        }
        return nil
    }

    /// The law's uncertainty from the data, not from the grid: each resample draws every group's
    /// record-breaking points with replacement, refits the group's sigmoid (one descent from its
    /// full-data fit), re-ranks the curves on the same grid and identified range with the same
    /// noise, and refits the law from its full-data fit. Resamples whose law fit is not
    /// stationary (``isUsable(_:)``) are counted in `notConverged` and left out of the quantiles.
    /// Bootstrapping the grid points instead would give intervals that narrow as the grid gets
    /// denser, since neighbouring grid points are not independent observations.
    static func pipelineBootstrap(
        _ envelope: Envelope, law: CurveFit, family: any CurveFamily, options: FrontierOptions, workers: Int?,
        progress: any ProgressReporter
    ) -> BootstrapSummary {
        let threads = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        progress.begin("law bootstrap", total: options.bootstrapResamples)
        defer { progress.end() }
        let curves = envelope.curves
        let fits = parallelMap(count: options.bootstrapResamples, workers: threads) { i -> CurveFit? in
            defer { progress.advance(by: 1) }
            var rng = Xoshiro256StarStar(seed: options.seed, stream: UInt64(i))
            let parameters = curves.map { resampledCurve($0, options: options, rng: &rng) }
            let rankings = envelope.grid.indices.map { g in
                Envelope.rank(
                    curves, parameters: parameters, uncertainty: envelope.uncertainty[g],
                    at: envelope.grid[g].x, options: options)!
            }
            let data = envelope.lawData(rankings: rankings)
            guard
                let fitData = try? IntervalTargets.data(
                    x: data.x, lower: data.lower, upper: data.upper, centreWeight: options.tieCentreWeight)
            else {
                return nil
            }
            return try? CurveFitter.fit(family, to: fitData, starts: [law.parameters], workers: 1)
        }
        let usable = fits.compactMap { $0 }.filter(isUsable)
        return BootstrapSummary(
            samples: usable.map(\.parameters), seed: options.seed, notConverged: fits.count - usable.count)
    }

    /// One group's sigmoid refitted to its record points drawn with replacement (its full-data
    /// parameters when the draw has fewer than four distinct points or the fit fails).
    private static func resampledCurve(
        _ curve: GroupCurve, options: FrontierOptions, rng: inout Xoshiro256StarStar
    ) -> [Double] {
        let records = curve.recordPoints
        let rows = (0..<records.count).map { _ in Int(rng.next() % UInt64(records.count)) }
        guard Set(rows).count >= 4,
            let data = try? FitData(x: rows.map { records[$0][0] }, y: rows.map { records[$0][1] }),
            let refit = try? CurveFitter.fit(
                ScaleRLSigmoid(), to: data, options: FitOptions(loss: options.curveLoss),
                starts: [curve.fit.parameters], workers: 1)
        else { return curve.fit.parameters }
        return refit.parameters
    }

    /// The x in [lo, hi] where curve b overtakes curve a (bisection in log x on their difference),
    /// or `nil` when they do not cross there (a curve's range begins or ends instead).
    static func bisectCrossing(_ a: GroupCurve, _ b: GroupCurve, from lo: Double, to hi: Double) -> Double? {
        func difference(_ x: Double) -> Double? {
            guard a.covers(x), b.covers(x) else { return nil }
            return b.envelopeValue(b.fit.parameters, at: x) - a.envelopeValue(a.fit.parameters, at: x)
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
