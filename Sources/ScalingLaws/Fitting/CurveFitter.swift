import Dispatch
import Foundation
import NumericCore

/// Fits curve families to data: multi-start Levenberg–Marquardt with bounds and robust losses,
/// bootstrap uncertainty, covariance standard errors.
public enum CurveFitter {
    /// The prepared data, bounds and validated starts of a fit.
    struct Problem {
        let family: any CurveFamily
        let prepared: FitData
        let lower: [Double]
        let upper: [Double]
        var options: FitOptions

        init(_ family: any CurveFamily, _ data: FitData, _ options: FitOptions) throws(FitError) {
            let prepared = try family.prepare(data)
            let p = family.parameterCount
            let effective = prepared.weights.map { w in w.filter { $0 > 0 }.count } ?? prepared.count
            guard effective >= p else { throw .tooFewPoints(family: family.name, points: effective, parameters: p) }
            let defaults = family.bounds(for: prepared)
            let lower = options.lowerBounds ?? defaults.lower
            let upper = options.upperBounds ?? defaults.upper
            guard lower.count == p, upper.count == p else {
                throw .invalidStart("bounds need \(p) values (\(family.parameterNames.joined(separator: ", ")))")
            }
            if let j = (0..<p).first(where: { !(lower[$0] <= upper[$0]) }) {
                throw .invalidStart("lower bound of \(family.parameterNames[j]) exceeds its upper bound")
            }
            self.family = family
            self.prepared = prepared
            self.lower = lower
            self.upper = upper
            self.options = options
        }

        func solver() -> LevenbergMarquardtSolver {
            LevenbergMarquardtSolver(family: family, prepared: prepared, lower: lower, upper: upper, options: options)
        }

        /// One descent from each start, over `threadCount` threads, in the starts' order.
        func descents(from starts: [[Double]], threadCount: Int) -> [CurveFit] {
            parallelMap(count: starts.count, workers: threadCount, makeState: solver) { solver, i in
                solver.run(from: starts[i])
            }
        }
    }

    /// Fits `family` to `data` from every start and keeps the lowest objective (ties: the earliest
    /// candidate in the exploration ranking). Starts default to the family's data-driven grid; they run in parallel over
    /// `workers` threads (default: the core count).
    ///
    /// With more than ``polishedCandidates`` starts the search runs in stages. Under the options'
    /// ``FitOptions/screening`` a large grid is first narrowed to the starts that stand best after
    /// a few steps (``screen(_:explorer:threadCount:)``). Every remaining start
    /// descends until a step improves its objective by less than
    /// ``explorationObjectiveTolerance`` (1e-7) relative (or its projected gradient is below
    /// `max(1e-8, tolerance)`); then the best ``polishedCandidates`` are polished with the caller's
    /// options, converging to the full gradient tolerance. A descent that slows to 1e-7 per step
    /// is already in its basin, far closer to its optimum than distinct optima are to each other
    /// (on Epoch's Chinchilla data 349 of the 4,500 starts share the best basin), so the winner is
    /// the same while each start skips its slow final steps.
    ///
    /// - Throws: ``FitError`` for bad data, too few points, malformed starts or bounds, or when
    ///   no start reaches a finite objective.
    public static func fit(
        _ family: any CurveFamily, to data: FitData, options: FitOptions = FitOptions(),
        starts: [[Double]]? = nil, workers: Int? = nil
    ) throws(FitError) -> CurveFit {
        let problem = try Problem(family, data, options)
        let grid = starts ?? family.initialGrid(for: problem.prepared)
        guard !grid.isEmpty else { throw .invalidStart("no starts") }
        if let bad = grid.first(where: { $0.count != family.parameterCount || !$0.allSatisfy(\.isFinite) }) {
            throw .invalidStart("each start needs \(family.parameterCount) finite values, got \(bad)")
        }
        let threadCount = max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, grid.count))
        var candidates: [[Double]] = grid
        if grid.count > polishedCandidates {
            var exploration = options
            exploration.gradientTolerance = max(1e-8, options.gradientTolerance)
            exploration.objectiveTolerance = max(Self.explorationObjectiveTolerance, options.objectiveTolerance)
            exploration.secondOrder = false
            var explorer = problem
            explorer.options = exploration
            let explored = explorer.descents(
                from: screen(grid, explorer: explorer, threadCount: threadCount), threadCount: threadCount)
            let ranked = rankedByObjective(explored)
            guard !ranked.isEmpty else { throw .noFiniteStart(family: family.name) }
            candidates = ranked.prefix(polishedCandidates).map { explored[$0].parameters }
        }
        let results = problem.descents(from: candidates, threadCount: threadCount)
        var best: CurveFit?
        for result in results where result.objective.isFinite {
            if best == nil || result.objective < best!.objective { best = result }
        }
        guard var winner = best else { throw .noFiniteStart(family: family.name) }
        winner.starts = grid.count
        if results.count > 1 {
            let tolerance = 1e-9 * max(abs(winner.objective), .leastNormalMagnitude)
            winner.candidatesAtOptimum = results.filter { abs($0.objective - winner.objective) <= tolerance }.count
        }
        return winner
    }

    /// The starts that go on to the exploration descent, in grid order: all of them, or, under
    /// ``StartScreening/keepBest(_:afterIterations:)`` with more starts than it keeps, where the
    /// best `count` stand after their first steps.
    static func screen(_ grid: [[Double]], explorer: Problem, threadCount: Int) -> [[Double]] {
        guard case .keepBest(let count, let steps) = explorer.options.screening, grid.count > count else { return grid }
        var screener = explorer
        screener.options.maxIterations = steps
        let stepped = screener.descents(from: grid, threadCount: threadCount)
        return rankedByObjective(stepped).prefix(count).sorted().map { stepped[$0].parameters }
    }

    /// Indices of the fits with a finite objective, lowest objective first (ties: the earlier).
    static func rankedByObjective(_ fits: [CurveFit]) -> [Int] {
        fits.indices.filter { fits[$0].objective.isFinite }
            .sorted { (fits[$0].objective, $0) < (fits[$1].objective, $1) }
    }

    /// How many of the best explored starts a multi-start fit polishes to full tolerance.
    public static let polishedCandidates = 8

    /// The exploration stage ends a descent once a step improves the objective by less than this
    /// fraction.
    public static let explorationObjectiveTolerance = 1e-7

    /// Standard errors from the covariance `s²·(JᵀWJ)⁻¹`, `s² = Σwᵢrᵢ²/(n − p)`, for least-squares
    /// fits whose `JᵀWJ` is well conditioned (condition number ≤ 1e12); `nil` otherwise (robust
    /// losses, rank deficiency, parameters on a bound — use the bootstrap then).
    public static func covarianceStandardErrors(
        _ family: any CurveFamily, data: FitData, fit: CurveFit, options: FitOptions = FitOptions()
    ) throws(FitError) -> [Double]? {
        guard fit.loss == .l2, !fit.onBound.contains(true) else { return nil }
        let problem = try Problem(family, data, options)
        // Points of zero weight carry no information: they do not count towards n.
        let n = problem.prepared.weights.map { w in w.filter { $0 > 0 }.count } ?? problem.prepared.count
        let p = family.parameterCount
        guard n > p else { return nil }
        let solver = problem.solver()
        let rows = problem.prepared.count
        let jac = Matrix(rows: rows, columns: p, columnMajor: solver.jacobianMatrix(at: fit.parameters))
        let w = problem.prepared.weights ?? [Double](repeating: 1, count: rows)
        let scaled = Matrix(rows: rows, columns: p) { i, j in jac[i, j] * w[i].squareRoot() }
        let normal = scaled.gram()
        guard let eigen = try? normal.symmetricEigen(), let smallest = eigen.values.first,
            let largest = eigen.values.last,
            smallest > 0, largest / smallest <= 1e12
        else { return nil }
        let residualVariance = 2 * fit.objective / Double(n - p)
        // (JᵀWJ)⁻¹ = V·Λ⁻¹·Vᵀ; its diagonal is Σ_k V_jk²/λ_k.
        return (0..<p).map { j in
            let variance = (0..<p).reduce(0.0) { $0 + eigen.vectors[j, $1] * eigen.vectors[j, $1] / eigen.values[$1] }
            return (residualVariance * variance).squareRoot()
        }
    }
}
