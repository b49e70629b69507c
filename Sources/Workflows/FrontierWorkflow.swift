public import Domain
import Foundation
public import RunStore
public import ScalingLaws

/// `isoplan fit frontier`: the IsoCompute workflow on stored runs, stored as a fit.
public struct FrontierRequest: Sendable {
    public var filter: RunFilter
    public var metric: MetricName = .validationReward
    /// Use cumulative tokens instead of rollouts as compute (runs without tokens are left out).
    public var computeInTokens = false
    public var options = FrontierOptions()
    public var workers: Int?
    /// Store the law as a `frontier` fit (a report computing a missing analysis does not).
    public var persist = true

    public init(filter: RunFilter) { self.filter = filter }
}

/// What `fit frontier` reports.
public struct FrontierResult: Sendable, Codable {
    public var analysis: FrontierAnalysis
    public var runIDs: [Int64]
    public var difficulty: String?
    public var storedID: Int64?
}

public enum FrontierWorkflow {
    /// Selects runs by the filter, builds each run's metric-vs-compute series from its stored
    /// points, runs the frontier analysis and stores the law as a `frontier` fit with the filter,
    /// metric, run ids and the runs' common difficulty. Nothing is stored when it fails.
    public static func run(_ request: FrontierRequest, store: Store, progress: any ProgressReporter = SilentProgress())
        throws(WorkflowError) -> FrontierResult
    {
        do {
            let runs = try store.runs(matching: request.filter)
            guard !runs.isEmpty else { throw WorkflowError.empty("no run matches the filter \"\(request.filter)\"") }
            let series = try self.series(
                of: runs, metric: request.metric, computeInTokens: request.computeInTokens, store: store,
                progress: progress)
            guard !series.isEmpty else {
                throw WorkflowError.empty(
                    "the \(runs.count) selected run(s) have no \(request.metric) points\(request.computeInTokens ? " with tokens" : "")"
                )
            }
            let analysis = try FrontierAnalysis.analyze(
                series, options: request.options, workers: request.workers, progress: progress)
            let used = Set(analysis.runsUsed)
            let usedRuns = runs.filter { used.contains($0.name) }
            let difficulties = Set(usedRuns.map(\.difficulty))
            let difficulty = difficulties.count == 1 ? difficulties.first??.rawValue : nil
            var result = FrontierResult(
                analysis: analysis, runIDs: usedRuns.compactMap(\.id), difficulty: difficulty, storedID: nil)
            if let law = analysis.law, request.persist {
                let options = request.options
                let stored = try store.insert(
                    Fit(
                        kind: .frontier, family: options.fixedBatch == nil ? .law : .lawLinear, metric: request.metric,
                        difficulty: difficulty,
                        runFilter: request.filter.description, runIDs: result.runIDs,
                        options: [
                            "compute": request.computeInTokens ? "tokens" : "rollouts",
                            "grouping": options.grouping.rawValue,
                            "ema": options.emaCoefficient.map { "\($0)" } ?? "none",
                            "bucket": options.bucketWidth.map { "\($0)" } ?? "none",
                            "window": "\(options.runningAverageWindow)", "bootstrap": "\(options.bootstrapResamples)",
                            "seed": "\(options.seed)", "fixedBatch": options.fixedBatch.map { "\($0)" } ?? "none",
                            "minCompute": "\(options.minimumCompute)",
                            "gridPerDecade": "\(options.gridPointsPerDecade)",
                            "extrapolationCut": options.extrapolationCut.map { "\($0)" } ?? "none",
                            "curveLoss": "\(options.curveLoss)",
                        ],
                        parameterNames: law.parameterNames, parameters: law.parameters,
                        lower95: analysis.lawBootstrap?.lower95, upper95: analysis.lawBootstrap?.upper95,
                        standardErrors: analysis.lawBootstrap?.standardErrors, objective: law.objective,
                        status: law.status,
                        parametersOnBound: law.parametersOnBound, detailsJSON: jsonText(analysis)))
                result.storedID = stored.id
            }
            return result
        } catch {
            throw WorkflowError(error)
        }
    }

    /// What makes two runs seeds of one experiment: everything but the seed and the name.
    static func configuration(of run: Run) -> String {
        [
            "n=\(run.rolloutsPerProblem)", "bp=\(run.problemsPerBatch)",
            "lr=\(run.learningRate.map { "\($0)" } ?? "-")",
            "model=\(run.model ?? "-")", "dataset=\(run.dataset ?? "-")",
            "difficulty=\(run.difficulty?.rawValue ?? "-")",
            "source=\(run.source.rawValue)", "sweep=\(run.sweepID ?? "-")",
            "batch=\(run.fixedBatch.map { "\($0)" } ?? "-")",
        ].joined(separator: " ")
    }

    /// Each run's metric-vs-compute series from its stored points (runs without such points are
    /// left out).
    static func series(
        of runs: [Run], metric: MetricName, computeInTokens: Bool, store: Store,
        progress: any ProgressReporter = SilentProgress()
    ) throws -> [RunSeries] {
        var series: [RunSeries] = []
        progress.begin("reading runs", total: runs.count)
        defer { progress.end() }
        for run in runs {
            let points = try store.points(ofRun: run.id!, metric: metric)
            let usable = points.compactMap { point -> (step: Int, compute: Double, value: Double)? in
                let compute = computeInTokens ? point.tokens : point.rollouts
                return compute.map { (point.step, $0, point.value) }
            }
            if !usable.isEmpty {
                series.append(
                    RunSeries(
                        label: run.name, rolloutsPerProblem: run.rolloutsPerProblem,
                        problemsPerBatch: run.problemsPerBatch, points: usable, configuration: configuration(of: run)))
            }
            progress.advance(by: 1)
        }
        return series
    }
}
