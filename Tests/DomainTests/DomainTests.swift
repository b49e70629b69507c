import Domain
import Foundation
import Testing

@Suite("Domain values")
struct DomainTests {
    @Test func canonicalMetricNames() {
        #expect(MetricName.validationReward.rawValue == "val_reward")
        #expect(MetricName.validationBest(at: 4).rawValue == "val_best@4")
        #expect(MetricName.validationWorst(at: 16).isCanonical)
        #expect(MetricName("val_best@0").isCanonical == false)
        #expect(MetricName("test_score/gsm8k").isCanonical == false)
        #expect(MetricName.fixedCanonical.allSatisfy { $0.isCanonical })
    }

    @Test func computeIsRolloutsPerStepTimesSteps() {
        let run = Run(name: "r", source: .sim, rolloutsPerProblem: 2048, problemsPerBatch: 1024)
        #expect(run.rolloutsPerStep == 2_097_152)
        // C = B_p·n·M in Double: no wrap even far beyond Int range.
        #expect(run.compute(afterSteps: 1 << 62) == 2_097_152 * Double(1 << 62))
    }

    @Test func runValidationNamesTheField() {
        let good = Run(name: "a", source: .verl, rolloutsPerProblem: 8, problemsPerBatch: 32, learningRate: 1e-6)
        #expect(throws: Never.self) { try good.validate() }
        var bad = good
        bad.rolloutsPerProblem = 0
        #expect(throws: DomainError.invalid(field: "rolloutsPerProblem (n)", value: "0", reason: "must be ≥ 1")) {
            try bad.validate()
        }
        bad = good
        bad.name = "  "
        #expect(throws: DomainError.self) { try bad.validate() }
        bad = good
        bad.learningRate = -1
        #expect(throws: DomainError.self) { try bad.validate() }
    }

    @Test func pointValidationRejectsNonFiniteValues() {
        let point = MetricPoint(step: 3, rollouts: 768, metric: .validationReward, value: 0.4)
        #expect(throws: Never.self) { try point.validate() }
        var bad = point
        bad.value = .nan
        #expect(throws: DomainError.invalid(field: "value", value: "nan", reason: "must be finite")) {
            try bad.validate()
        }
        bad = point
        bad.rollouts = -1
        #expect(throws: DomainError.self) { try bad.validate() }
    }

    @Test func valuesRoundTripThroughJSON() throws {
        let run = Run(
            id: 4, name: "n8-bp32", source: .sim, rolloutsPerProblem: 8, problemsPerBatch: 32,
            learningRate: 1.25e-7, difficulty: .easy)
        let decoded = try JSONDecoder().decode(Run.self, from: JSONEncoder().encode(run))
        #expect(decoded == run)
        let point = MetricPoint(
            step: 1, rollouts: 256, tokens: 1e5, metric: .validationBest(at: 4), rawName: "val/best@4",
            value: 0.5)
        let json = String(decoding: try JSONEncoder().encode(point), as: UTF8.self)
        #expect(json.contains("\"metric\":\"val_best@4\""))
    }

    @Test func progressSnapshotRateAndETA() {
        let s = ProgressSnapshot(label: "sweep", completed: 30, total: 120, elapsed: 10)
        #expect(s.fraction == 0.25)
        #expect(s.rate == 3)
        #expect(s.estimatedSecondsRemaining == 30)
        let unknown = ProgressSnapshot(label: "x", completed: 5, total: nil, elapsed: 0)
        #expect(unknown.fraction == nil && unknown.rate == nil && unknown.estimatedSecondsRemaining == nil)
    }
}
