import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import ScalingLaws
import Testing
import Workflows

@Suite("plan train uses only identified laws")
struct IdentifiedLawPlanTests {
    /// The stored frontier of the synthetic runs, with its analysis as stored.
    static func storedFrontier(_ store: Store) throws -> FrontierResult {
        var request = FrontierRequest(filter: try RunFilter("source=sim"))
        request.options.bootstrapResamples = 40
        return try FrontierWorkflow.run(request, store: store)
    }

    @Test func anIdentifiedLawIsUsedWithAnIntervalThatWidensBeyondItsRange() throws {
        let dir = try TemporaryDirectory()
        let store = try WorkflowTests.storeWithSyntheticRuns(dir)
        let fitted = try Self.storedFrontier(store)
        #expect(fitted.analysis.lawIdentified, "\(fitted.analysis.lawReason ?? "")")
        let range = try #require(fitted.analysis.identifiedRange)
        let inside = try TrainingPlanWorkflow.run(
            TrainingPlanRequest(budget: range[1] / 2, difficulty: .named(.easy)), store: store)
        #expect(inside.lawSource == "fit:\(fitted.storedID!)")
        let far = try TrainingPlanWorkflow.run(
            TrainingPlanRequest(budget: range[1] * 100, difficulty: .named(.easy)), store: store)
        #expect(far.warnings.contains { $0.contains("outside the compute the data identify the frontier on") })
        // Two decades beyond: at least two doublings of n on each side of n*.
        let interval = try #require(far.optimalRolloutsInterval)
        #expect(interval[0] <= far.optimalRollouts / 4 * 1.0001 && interval[1] >= far.optimalRollouts * 4 * 0.9999)
    }

    /// A stored law marked not identified is never planned with: within the swept range the plan
    /// takes the best measured n at the swept budget nearest the request, beyond it the published
    /// law with an interval that reaches the largest n still rising; each says why.
    @Test func anUnidentifiedLawFallsBackToTheBestMeasuredN() throws {
        let dir = try TemporaryDirectory()
        let store = try WorkflowTests.storeWithSyntheticRuns(dir)
        var analysis = try Self.storedFrontier(store).analysis
        analysis.lawIdentified = false
        analysis.lawReason = "the fitted n*(C) decreases with compute"
        let law = try #require(analysis.law)
        let encoded = String(decoding: try JSONEncoder().encode(analysis), as: UTF8.self)
        let stored = try store.insert(
            Fit(
                kind: .frontier, family: .law, metric: .validationReward, difficulty: "easy", runFilter: "source=sim",
                runIDs: [], options: [:], parameterNames: law.parameterNames, parameters: law.parameters,
                objective: law.objective, status: law.status, detailsJSON: encoded))
        let top = analysis.grid.last { $0.resolved }!
        let plan = try TrainingPlanWorkflow.run(
            TrainingPlanRequest(budget: top.x, difficulty: .named(.easy)), store: store)
        #expect(plan.lawSource == "measured:\(stored.id!)")
        #expect(plan.rolloutsPerProblem == top.rolloutsPerProblem)
        #expect(plan.warnings.contains { $0.contains("is not used: the fitted n*(C) decreases") }, "\(plan.warnings)")
        let beyond = try TrainingPlanWorkflow.run(
            TrainingPlanRequest(budget: top.x * 10, difficulty: .named(.easy)), store: store)
        #expect(beyond.lawSource.hasPrefix("preset:"), "\(beyond.lawSource)")
        #expect(beyond.warnings.contains { $0.contains("planned with the published q1 law instead") })
        let interval = try #require(beyond.optimalRolloutsInterval)
        #expect(
            interval[0] <= beyond.optimalRollouts / 2 * 1.0001 && interval[1] >= beyond.optimalRollouts * 2 * 0.9999)
        // `--law fit` asks for the stored law itself: beyond the range there is nothing to fall back on.
        var strict = TrainingPlanRequest(budget: top.x * 10, difficulty: .named(.easy))
        strict.law = "fit"
        #expect(throws: WorkflowError.self) { try TrainingPlanWorkflow.run(strict, store: store) }
    }

    /// A record whose analysis this version cannot read, with k on its bound: the published law.
    @Test func anOlderRecordWithABoundParameterFallsBackToThePublishedLaw() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("old.sqlite"))
        let stored = try store.insert(
            Fit(
                kind: .frontier, family: .law, metric: .validationReward, difficulty: "hard", runFilter: nil,
                runIDs: [], options: [:], parameterNames: ["L", "k", "log10_C0", "b"],
                parameters: [-1.6, 50, 4.4, 5.2],
                objective: 1, status: .smallStep, parametersOnBound: ["k"], detailsJSON: "{}"))
        let plan = try TrainingPlanWorkflow.run(
            TrainingPlanRequest(budget: 4e7, difficulty: .named(.hard)), store: store)
        #expect(plan.lawSource.hasPrefix("preset:"))
        #expect(
            plan.warnings.contains { $0.contains("stored frontier fit \(stored.id!) is not used: L or k on a bound") })
    }
}
