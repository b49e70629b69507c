import Domain
import Foundation
import IsoplanTestSupport
import Planner
import Testing

/// The throughput model: fitted to timed steps whose cost is known, and a GPU-hour budget
/// turned into the plan it buys.
@Suite("Throughput and GPU-hour budgets")
struct ThroughputTests {
    /// Steps of a run of B rollouts on G GPUs, timed by a known model (g, u, o), with one step
    /// that also validated (a spike the medians ignore).
    static func steps(rollouts: Double, gpus: Int, split: Bool) -> [StepTiming] {
        let (g, u, o, response, prompt) = (4e-4, 7e-4, 3.0, 200.0, 90.0)
        return (1...9).map { step in
            let generation = rollouts * g * response / Double(gpus)
            let update = rollouts * u * (response + prompt) / Double(gpus)
            let spike = step == 5 ? 120.0 : 0
            return StepTiming(
                step: step, rollouts: rollouts, responseTokens: response, promptTokens: prompt,
                seconds: generation + update + o + spike, generationSeconds: split ? generation : nil,
                updateSeconds: split ? update : nil, gpus: gpus)
        }
    }

    @Test func phasesRecoverTheRatesAndOverhead() throws {
        let model = try ThroughputFit.fit([
            .init(name: "pilot", steps: Self.steps(rollouts: 5120, gpus: 8, split: true))
        ])
        expectClose(model.generationGPUSecondsPerToken, 4e-4, relative: 1e-9)
        expectClose(model.updateGPUSecondsPerToken, 7e-4, relative: 1e-9)
        expectClose(model.overheadSeconds, 3, relative: 1e-9)
        #expect(model.pilotGPUs == 8)
        // On 16 GPUs a step of the same batch takes the per-GPU work over twice the GPUs, plus o.
        let expected = 5120 * (4e-4 * 200 + 7e-4 * 290) / 16 + 3
        expectClose(model.stepSeconds(rollouts: 5120, gpus: 16), expected, relative: 1e-9)
    }

    /// Without a split, two runs of different batch give the line's slope (rate per token) and
    /// intercept (overhead); one run cannot separate them and says so.
    @Test func totalTimeFitsOverSeveralRuns() throws {
        let two = try ThroughputFit.fit([
            .init(name: "small", steps: Self.steps(rollouts: 2048, gpus: 8, split: false)),
            .init(name: "large", steps: Self.steps(rollouts: 8192, gpus: 8, split: false)),
        ])
        // g·T_r + u·(T_p + T_r) per rollout folds into one rate per token of T_p + T_r.
        expectClose(two.gpuSecondsPerRollout(), 4e-4 * 200 + 7e-4 * 290, relative: 1e-9)
        expectClose(two.overheadSeconds, 3, relative: 1e-6)
        let one = try ThroughputFit.fit([.init(name: "only", steps: Self.steps(rollouts: 2048, gpus: 8, split: false))])
        #expect(one.overheadSeconds == 0)
        #expect(one.notes.contains { $0.contains("not separable") })
        // Folded into the rate, the overhead still reproduces the pilot's own (median) step.
        let pilotStep = 2048 * (4e-4 * 200 + 7e-4 * 290) / 8 + 3
        expectClose(one.stepSeconds(rollouts: 2048, gpus: 8), pilotStep, relative: 1e-9)
    }

    /// Split and unsplit pilots together: the split steps give the rates and the plan says the
    /// others were left out; a --pilot-gpus the log contradicts is named.
    @Test func mixedPilotsAndAContradictedGPUCountAreSaid() throws {
        let model = try ThroughputFit.fit(
            [
                .init(name: "verl", steps: Self.steps(rollouts: 4096, gpus: 8, split: true)),
                .init(name: "trl", steps: Self.steps(rollouts: 1024, gpus: 8, split: false)),
            ], gpus: 4)
        expectClose(model.generationGPUSecondsPerToken, 4e-4, relative: 1e-9)
        #expect(model.source.hasSuffix("9 timed step(s)"))
        #expect(model.notes.contains { $0.hasPrefix("9 timed step(s) without a generation/update split") })
        #expect(model.notes.contains { $0.contains("its log says 8 GPUs; --pilot-gpus 4") })
    }

    @Test func missingGPUCountOrTimingIsAOneLineError() throws {
        var steps = Self.steps(rollouts: 512, gpus: 8, split: true)
        for i in steps.indices { steps[i].gpus = nil }
        #expect(throws: DomainError.self) { try ThroughputFit.fit([.init(name: "a", steps: steps)]) }
        #expect(throws: DomainError.self) { try ThroughputFit.fit([.init(name: "b", steps: [])]) }
        #expect(try ThroughputFit.fit([.init(name: "a", steps: steps)], gpus: 4).pilotGPUs == 4)
    }

    /// A GPU-hour budget buys the plan whose cost is the largest within it: within 5% below the
    /// budget, and its arithmetic adds up (G·M·t/3600).
    @Test(arguments: [200.0, 2000.0, 50000.0])
    func gpuHourBudgetBuysAPlanWithinIt(_ hours: Double) throws {
        let model = try ThroughputFit.fit([
            .init(name: "pilot", steps: Self.steps(rollouts: 5120, gpus: 8, split: true))
        ])
        let law = try #require(PublishedLaws.law("q1", difficulty: .easy, unit: .rollouts))
        let plan = try ClusterBudget.plan(gpuHours: hours, gpus: 8, throughput: model) { budget throws(DomainError) in
            try TrainingPlanner.plan(budget: budget, difficulty: .easy, law: law, lawSource: "preset")
        }
        let cost = ClusterBudget.cost(of: plan, throughput: model, gpus: 8)
        #expect(cost.gpuHours <= hours * (1 + 1e-9))
        #expect(cost.gpuHours >= 0.95 * hours)
        expectClose(cost.gpuHours, 8 * Double(plan.steps) * cost.secondsPerStep / 3600, relative: 1e-12)
        expectClose(cost.secondsPerStep, model.stepSeconds(rollouts: Double(plan.batch), gpus: 8), relative: 1e-12)
    }

    /// A budget too small for one step fails in its own unit, GPU-hours.
    @Test func aBudgetThatBuysNoStepFails() throws {
        let model = ThroughputModel.given(rolloutsPerGPUSecond: 0.01)
        let law = try #require(PublishedLaws.law("q1", difficulty: .easy, unit: .rollouts))
        do {
            _ = try ClusterBudget.plan(gpuHours: 1, gpus: 8, throughput: model) { budget throws(DomainError) in
                try TrainingPlanner.plan(budget: budget, difficulty: .easy, law: law, lawSource: "preset")
            }
            Issue.record("1 GPU-hour at 0.01 rollouts per GPU-second bought a plan")
        } catch {
            #expect("\(error)".contains("buys at most 36 rollouts on 8 GPUs") && "\(error)".contains("1.0 GPU-hours"))
        }
    }
}
