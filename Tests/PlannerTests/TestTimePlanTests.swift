import Domain
import Foundation
import IsoplanTestSupport
import Planner
import Testing

@Suite("Test-time plans")
struct TestTimePlanTests {
    /// A small space so each plan scores a few hundred pipelines.
    static var space: SearchSpace {
        var space = SearchSpace()
        space.rollouts = [1, 2, 4, 8, 16]
        space.votes = [1, 4, 8]
        space.groupSizes = [2]
        space.maxIterations = 2
        return space
    }

    static func request(
        _ population: TestTimePlanner.Request.Population,
        _ objective: TestTimePlanner.Request.Objective,
        judge: TestTimePlanner.Request.Judge = .voteAccuracy(0.7)
    ) -> TestTimePlanner.Request {
        var request = TestTimePlanner.Request(
            population: population, judges: [judge], objective: objective,
            inputs: .codingAgentDefaults)
        request.space = space
        request.bootstrapResamples = 20
        return request
    }

    /// 40 tasks × 5 trials with solve rates spread from 0 to 1 (a U-ish shape).
    static let rates = SolveRates(
        system: "toy",
        tasks: (0..<40).map {
            TaskOutcome(taskID: "t\($0)", trials: 5, successes: [0, 0, 1, 2, 3, 5, 5, 4][$0 % 8])
        })

    @Test func budgetModePicksTheBestWithinTheBudget() throws {
        let plan = try TestTimePlanner.plan(
            Self.request(.passAt1(0.45, concentration: 0.41), .budget(200, perTask: false)))
        #expect(plan.mode == .budget && plan.tasks == 100 && plan.budget == 200)
        let r = plan.recommendation
        #expect(r.totalCost <= 200 && r.totalCost > 0)
        #expect(plan.configurationsScored > 1 && !plan.curve.isEmpty)
        // Nothing on the curve within the budget beats the pick.
        #expect(plan.curve.allSatisfy { $0.budget > 200 * (1 + 1e-9) || $0.accuracy <= r.prediction.accuracy + 1e-12 })
        // A given concentration is no assumed shape: no sensitivity table.
        #expect(plan.sensitivity.isEmpty && !plan.population.assumedShape)
        // Per-task budgets are the same question.
        let perTask = try TestTimePlanner.plan(
            Self.request(.passAt1(0.45, concentration: 0.41), .budget(2, perTask: true)))
        #expect(perTask.recommendation.pipeline == r.pipeline && perTask.budget == 200)
    }

    @Test func fixedModePredictsTheGivenPipeline() throws {
        let pipeline = try TestTimePipeline(specification: "N=8,G=2,V=4,K=2,T=2,S=random")
        let plan = try TestTimePlanner.plan(
            Self.request(
                .measured(Self.rates, source: "toy.csv", kind: .betaBinomial),
                .fixed(pipeline)))
        #expect(plan.mode == .fixed && plan.tasks == 40 && plan.configurationsScored == 1)
        #expect(plan.recommendation.pipeline == pipeline && plan.curve.isEmpty && plan.budget == nil)
        let model = try SolveRateFitter.fit(Self.rates)
        let expected = PipelineModel(judge: JudgeModel(voteAccuracy: 0.7)).expectedAccuracy(
            model: model, pipeline: pipeline)
        // Two fits of the same counts (the planner's and this one) agree to the optimizer's
        // tolerance, not to the last bit (a CI run differed by 2e-9).
        expectClose(plan.recommendation.prediction.accuracy, expected, absolute: 1e-6)
        #expect(
            plan.recommendation.cost == CostModel.cost(pipeline.configuration, .codingAgentDefaults, selection: .random)
        )
        #expect(plan.population.system == "toy" && plan.population.source == "toy.csv")
    }

    @Test func intervalContainsThePointPrediction() throws {
        for judge in [
            TestTimePlanner.Request.Judge.voteAccuracy(0.7),
            .measured(correctVotes: 70, votes: 100, groups: 12, origin: "store.sqlite (exec-1)"),
        ] {
            let plan = try TestTimePlanner.plan(
                Self.request(
                    .measured(Self.rates, source: "toy.csv", kind: .betaBinomial),
                    .targetAccuracy(0.6), judge: judge))
            let r = plan.recommendation
            #expect(plan.mode == .target && r.prediction.accuracy >= 0.6)
            #expect(r.interval.lower <= r.prediction.accuracy && r.prediction.accuracy <= r.interval.upper)
            #expect(r.interval.level == 0.95)
        }
        let measured = try TestTimePlanner.plan(
            Self.request(
                .passAt1(0.45, concentration: nil), .fixed(try TestTimePipeline(specification: "N=4")),
                judge: .measured(correctVotes: 70, votes: 100, groups: 12, origin: "store.sqlite (exec-1)")))
        expectClose(measured.judges[0].voteAccuracy, 0.7, absolute: 1e-12)
        #expect(measured.judges[0].measuredVotes == 100)
        #expect(measured.judges[0].source == "measured in store.sqlite (exec-1): 70 of 100 votes on 12 mixed groups")
    }

    @Test func passAt1AloneGetsTheShapeSensitivity() throws {
        let plan = try TestTimePlanner.plan(
            Self.request(.passAt1(0.45, concentration: nil), .budget(300, perTask: false)))
        #expect(plan.population.assumedShape)
        #expect(plan.sensitivity.map(\.concentration) == SolveRateModel.plausibleConcentrations)
        #expect(plan.sensitivity.allSatisfy { $0.best != nil && $0.recommendedAccuracy > 0 })
        #expect(plan.notes.contains { $0.contains("assumed") } && plan.notes.contains { $0.contains("100 tasks") })
    }

    @Test func unanswerableQuestionsThrowTypedErrors() throws {
        #expect {
            try TestTimePlanner.plan(Self.request(.passAt1(0.45, concentration: 0.41), .budget(1, perTask: false)))
        } throws: { error in
            guard case .budgetTooSmall(let cost, let tasks, let unit) = error as? PlannerError else { return false }
            return cost > 1 && tasks == 100 && unit == .usd
        }
        #expect {
            try TestTimePlanner.plan(Self.request(.passAt1(0.05, concentration: 0.41), .targetAccuracy(0.99)))
        } throws: { error in
            guard case .unreachableTarget(let target, let best, _, _) = error as? PlannerError else { return false }
            return target == 0.99 && best < 0.99
        }
        var bounded = Self.request(.passAt1(0.45, concentration: 0.41), .budget(100, perTask: false))
        bounded.maxRounds = 0  // even one rollout takes a round
        #expect(throws: PlannerError.noConfiguration(maxRounds: 0)) { try TestTimePlanner.plan(bounded) }
        let empty = SolveRates(system: nil, tasks: [])
        #expect {
            try TestTimePlanner.plan(
                Self.request(.measured(empty, source: "-", kind: .betaBinomial), .budget(1, perTask: true)))
        } throws: { error in
            guard case .invalid = error as? PlannerError else { return false }
            return true
        }
    }

    @Test func searchSpaceFollowsItsBounds() throws {
        #expect(try SearchSpace(largestRollouts: nil, maxIterations: nil) == SearchSpace())
        let wide = try SearchSpace(largestRollouts: 100, maxIterations: 2, selections: .both)
        #expect(Array(wide.rollouts.suffix(4)) == [64, 80, 96, 100] && wide.maxIterations == 2)
        #expect(wide.selections == [.select, .random])
        #expect(try SearchSpace(largestRollouts: 10).rollouts == Array(1...9) + [10])
        #expect(throws: DomainError.self) { try SearchSpace(largestRollouts: 300) }
        #expect(throws: DomainError.self) { try SearchSpace(maxIterations: 0) }
        #expect(
            try RefinementModel(tableSpecification: "0.01, 0.5,0.99") == RefinementModel.fit(table: [0.01, 0.5, 0.99]))
        for bad in ["0.5", "0.1,x", "0.1,1.5", ""] {
            #expect(throws: DomainError.self) { try RefinementModel(tableSpecification: bad) }
        }
    }
}
