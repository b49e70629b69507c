public import Domain
import Foundation
import Ingest
public import Planner
import RLSim
public import RunStore
import ScalingLaws

/// `isoplan demo`: the main job on the built-in defaults — small simulated sweeps (free and fixed
/// batch), their frontiers and laws, a training plan beyond the swept budget, a test-time sizing
/// on a bundled solve-rates fixture, and the report with every chart.
public struct DemoRequest: Sendable {
    /// Where the report goes.
    public var reportPath: String
    public var format: ReportRequest.Format = .html
    /// Where to export the demo's runs, validation-reward points, fits, frontiers and plan as
    /// tidy CSV (`nil`: no export).
    public var exportDirectory: String?
    /// The sweeps: `isocompute-q1-easy` and the B = 8,192 slice of `isocompute-q2-easy` on
    /// D = 2,000 problems to 3·10⁶ rollouts, 2 seeds.
    public var trainSize = 2000
    public var budget = 3e6
    public var seeds = 2
    public var fixedBatch = 8192
    public var workers: Int?
    /// Program and version, for the report's provenance.
    public var generator = "isoplan"

    public init(reportPath: String) { self.reportPath = reportPath }
}

public struct DemoResult: Codable, Sendable {
    public var simulatedRuns: Int
    public var storedRuns: Int
    public var frontierFitID: Int64?
    public var fixedBatchFitID: Int64?
    public var lawParameters: [Double]?
    public var plan: Plan
    public var testTime: TestTimePlan
    public var report: ReportSummary
    public var export: ExportWorkflow.Result?
    public var seconds: Double
}

public enum DemoWorkflow {
    /// The bundled solve-rates fixture (Terminal-Bench core 0.1.1, 7 systems × 80 tasks × 5 trials)
    /// and the system the demo sizes.
    public static var solveRatesFixture: String? {
        Bundle.module.url(forResource: "tbench_core011_task_success", withExtension: "csv")?.path
    }
    public static let fixtureSystem = "20250911_chaterm_claude-4-sonnet"

    public static func run(
        _ request: DemoRequest, store: Store,
        progress: any ProgressReporter = SilentProgress()
    ) throws(WorkflowError) -> DemoResult {
        let start = Date()
        // 1. The sweeps: Q1 (n × B_p) and one fixed-batch slice of Q2.
        let sweeps = sweeps(request)
        let sweep = SimulationWorkflow.prepare(sweeps.free)
        let fixed = SimulationWorkflow.prepare(sweeps.fixed)
        let simulated = try SimulationWorkflow.run(sweep, store: store, progress: progress)
        let simulatedFixed = try SimulationWorkflow.run(fixed, store: store, progress: progress)

        // 2. Frontiers: n*(C) on the free sweep, n*(M) and B_p*(M) on the fixed-batch one.
        let (sweepID, fixedID) = (sweeps.free.identity.id, sweeps.fixed.identity.id)
        let fitted = try frontier(sweepID: sweepID, fixedBatch: nil, store: store, request: request, progress: progress)
        let fittedFixed = try frontier(
            sweepID: fixedID, fixedBatch: request.fixedBatch, store: store, request: request,
            progress: progress)

        // 3. A training plan at 4× the swept budget, from the stored n*(C) law.
        var planRequest = TrainingPlanRequest(budget: 4 * request.budget, difficulty: .named(.easy))
        planRequest.problems = request.trainSize
        let plan = try TrainingPlanWorkflow.run(planRequest, store: store)

        // 4. The report, with a test-time sizing on the bundled fixture.
        let runFilter: RunFilter
        do { runFilter = try RunFilter("sweep=\(sweepID),\(fixedID)") } catch { throw WorkflowError(error) }
        let report = try reportRequest(request, filter: runFilter, sweep: sweep, fixed: fixed)
        let written = try ReportWorkflow.run(report, store: store, progress: progress)
        guard let testTime = written.testTimePlan else { throw .empty("the report made no test-time sizing") }
        let export = try request.exportDirectory.map { directory throws(WorkflowError) in
            try ExportWorkflow.run(store: store, directory: directory, filter: runFilter, metrics: [.validationReward])
        }
        let runs = simulated.runs + simulatedFixed.runs
        return DemoResult(
            simulatedRuns: runs.filter { !$0.alreadyStored }.count, storedRuns: runs.count,
            frontierFitID: fitted.storedID, fixedBatchFitID: fittedFixed.storedID,
            lawParameters: fitted.analysis.law?.parameters, plan: plan, testTime: testTime,
            report: written, export: export, seconds: Date().timeIntervalSince(start))
    }

    /// The demo's sweeps, scoped `demo`: `isocompute-q1-easy` and the B = `fixedBatch` slice of
    /// `isocompute-q2-easy`, on the request's D, C and seeds.
    static func sweeps(_ request: DemoRequest) -> (free: SweepRequest, fixed: SweepRequest) {
        func sweep(_ preset: SweepPreset, fixedBatch: Int?) -> SweepRequest {
            var sweep = SweepRequest(preset: preset)
            sweep.trainSize = request.trainSize
            sweep.budget = request.budget
            sweep.seeds = request.seeds
            sweep.fixedBatch = fixedBatch
            sweep.scope = "demo"
            sweep.workers = request.workers
            return sweep
        }
        return (sweep(.q1Easy, fixedBatch: nil), sweep(.q2Easy, fixedBatch: request.fixedBatch))
    }

    /// The report of both sweeps, with a test-time sizing on the bundled fixture: $500 for its 80 tasks.
    static func reportRequest(
        _ request: DemoRequest, filter: RunFilter, sweep: SimulationRequest,
        fixed: SimulationRequest
    ) throws(WorkflowError) -> ReportRequest {
        guard let fixture = solveRatesFixture else {
            throw .empty("the bundled solve-rates fixture is missing from the installation")
        }
        let population = TestTimePlanRequest.Population.measured(
            files: [fixture], system: fixtureSystem,
            options: SolveRateImportOptions(), kind: .betaBinomial)
        var tts = TestTimePlanRequest(
            population: population, judge: .voteAccuracy([0.66]), inputs: .codingAgentDefaults)
        tts.budget = 500
        var report = ReportRequest(filter: filter, outputPath: request.reportPath)
        report.format = request.format
        report.title = "IsoPlan demo report"
        report.testTime = tts
        report.generator = request.generator
        report.workers = request.workers
        let (sweepID, fixedID) = (sweep.sweepID ?? "-", fixed.sweepID ?? "-")
        report.provenance = [
            "Sweeps: `\(sweepID)` (\(sweep.configurations.count) runs; \(sweep.dropped.count) configurations dropped "
                + "with B_p above the \(request.trainSize) train problems) and `\(fixedID)` "
                + "(\(fixed.configurations.count) runs at B = \(request.fixedBatch)); easy population, "
                + "300 validation problems.",
            "Test-time inputs: the bundled fixture `tbench_core011_task_success.csv` (Terminal-Bench core 0.1.1 "
                + "leaderboard, 7 systems × 80 tasks × 5 trials, derived from results.json files), system "
                + "`\(fixtureSystem)`; a judge right on 66 % of votes; `plan tts`'s default token counts and prices; "
                + "$500 for the 80 tasks.",
        ]
        return report
    }

    /// Fits (and stores) the frontier of one sweep, 200 bootstrap resamples.
    static func frontier(
        sweepID: String, fixedBatch: Int?, store: Store, request: DemoRequest,
        progress: any ProgressReporter
    ) throws(WorkflowError) -> FrontierResult {
        let filter: RunFilter
        do { filter = try RunFilter("sweep=\(sweepID)") } catch { throw WorkflowError(error) }
        var frontier = FrontierRequest(filter: filter)
        frontier.options.bootstrapResamples = 200
        // Points before 10⁴ rollouts (or, at a fixed batch, before update step 10) are left
        // out: there every n is still at the base reward and the frontier's winner is noise.
        frontier.options.minimumCompute = fixedBatch.map { 10 * Double($0) } ?? 1e4
        frontier.options.fixedBatch = fixedBatch
        frontier.workers = request.workers
        return try FrontierWorkflow.run(frontier, store: store, progress: progress)
    }
}
