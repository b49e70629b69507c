import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import Planner
import Testing

@Suite("Training planner")
struct TrainingPlannerTests {
    static func plan(_ budget: Double, _ difficulty: PlanDifficulty, law: String = "q1", batch: Int? = nil) throws
        -> Plan
    {
        let spec = try #require(
            PublishedLaws.law(law, difficulty: difficulty == .easy ? .easy : .hard, unit: .rollouts))
        return try TrainingPlanner.plan(
            budget: budget, difficulty: difficulty, law: spec, lawSource: "preset", batch: batch)
    }

    /// The n* interval is the 2.5 % and 97.5 % quantiles (linear between order statistics) of n*
    /// under each bootstrap parameter vector; fewer than 20 finite draws give none, and so does
    /// fixed-batch mode.
    @Test func optimalRolloutsIntervalIsTheBootstrapQuantiles() throws {
        let law = try #require(PublishedLaws.law("q1", difficulty: .easy, unit: .rollouts))
        var rng = Xoshiro256StarStar(seed: 7)
        let samples = (0..<200).map { _ in law.parameters.map { $0 * (1 + 0.05 * (2 * rng.nextUniform() - 1)) } }
        let x = 2e6
        let sorted = samples.map { law.optimalRollouts(x, parameters: $0) }.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let low = Int(position)
            let high = min(low + 1, sorted.count - 1)
            return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
        }
        let interval = try #require(TrainingPlanner.optimalRolloutsInterval(law: law, at: x, samples: samples))
        expectClose(interval[0], quantile(0.025), relative: 1e-12)
        expectClose(interval[1], quantile(0.975), relative: 1e-12)
        let plan = try TrainingPlanner.plan(
            budget: x, difficulty: .easy, law: law, lawSource: "preset", lawSamples: samples)
        #expect(plan.optimalRolloutsInterval == interval)
        #expect(interval[0] <= plan.optimalRollouts && plan.optimalRollouts <= interval[1])
        #expect(TrainingPlanner.optimalRolloutsInterval(law: law, at: x, samples: Array(samples.prefix(19))) == nil)
        let fixed = try TrainingPlanner.plan(
            budget: 4e6, difficulty: .easy, law: law, lawSource: "preset", batch: 8192,
            lawSamples: samples)
        #expect(fixed.optimalRolloutsInterval == nil)
    }

    /// With the Fig. 6 laws, budgets 1e5…1e7 give the law rounded to a power of two and capped.
    @Test func publishedLawIsRoundedAndCapped() throws {
        for (budget, easy, hard) in [(1e5, 8, 8), (3e5, 16, 8), (1e6, 128, 64), (2e6, 256, 128), (1e7, 512, 128)] {
            for (difficulty, expected) in [(PlanDifficulty.easy, easy), (.hard, hard)] {
                let spec = PublishedLaws.law("q1", difficulty: difficulty == .easy ? .easy : .hard, unit: .rollouts)!
                let unrounded = spec.optimalRollouts(budget)
                let manual = min(Int(pow(2, log2(unrounded).rounded())), spec.cap)
                let p = try Self.plan(budget, difficulty)
                #expect(
                    p.rolloutsPerProblem == expected && p.rolloutsPerProblem == manual,
                    "\(difficulty) \(budget): \(p.rolloutsPerProblem)")
            }
        }
        // The playbook's worked example: easy, 2e6 → n 256, B_p 32, M 244, η 2.83e-6.
        let example = try Self.plan(2e6, .easy)
        #expect(example.problemsPerBatch == 32 && example.steps == 244)
        expectClose(example.learningRate, 1e-6 * (8192.0 / 1024).squareRoot(), relative: 1e-12)
        expectClose(example.optimalRollouts, 295.5, absolute: 0.5)
    }

    @Test func learningRateFollowsTheSquareRootRuleAndExportsAgree() throws {
        let shape = try ClusterShape()
        for budget in [1e5, 1e6, 4e6, 1e7] {
            for difficulty in PlanDifficulty.allCases {
                let p = try Self.plan(budget, difficulty)
                expectClose(
                    p.learningRate, 1e-6 * (Double(p.problemsPerBatch * p.rolloutsPerProblem) / 1024).squareRoot(),
                    relative: 1e-12)
                #expect(p.steps == Int(budget / Double(p.batch)) && p.steps >= 1)
                // On the default 8 GPUs with micro batch 4 every plan (B_p = 32, n a power of two) exports as planned.
                let verl = try Framework.verl.export(p, on: shape)
                #expect(verl["actor_rollout_ref.rollout.n"] == .int(p.rolloutsPerProblem))
                #expect(
                    verl["data.train_batch_size"] == .int(p.problemsPerBatch)
                        && verl["trainer.total_training_steps"] == .int(p.steps) && verl.adjustments.isEmpty)
                let openrlhf = try Framework.openrlhf.export(p, on: shape)
                #expect(
                    openrlhf["train.batch_size"] == .int(p.batch)
                        && openrlhf["rollout.n_samples_per_prompt"] == .int(p.rolloutsPerProblem))
                let trl = try Framework.trl.export(p, on: shape)
                #expect(trl["gradient_accumulation_steps"] == .int(p.batch / 32) && trl["max_steps"] == .int(p.steps))
                if difficulty != .easy { #expect(p.recipe["kl"] == "off" && p.problemsPerBatch >= 32) }
                if difficulty == .mixed { #expect(p.warnings.contains { $0.contains("hard recipe") }) }
            }
        }
    }

    @Test func fixedBatchUsesTheStepsLaw() throws {
        let p = try Self.plan(4e6, .easy, batch: 8192)
        #expect(p.batch == 8192 && p.fixedBatch == 8192)
        // M = 488: log2 n* = 2 + 7.1/(1 + e^(−0.01·(488 − 91.7))) ≈ 8.97 → 512.
        #expect(p.rolloutsPerProblem == 512 && p.problemsPerBatch == 16 && p.steps == 488)
        // Hard: the easy fit capped at hard's saturation, B_p·n still exactly B.
        let hard = try Self.plan(4e6, .hard, batch: 8192)
        #expect(hard.rolloutsPerProblem == 128 && hard.batch == 8192 && hard.problemsPerBatch >= 32)
        #expect(hard.warnings.contains { $0.contains("easy fit") })
        // A small train set keeps B_p within it without breaking B.
        let spec = PublishedLaws.law("q1", difficulty: .easy, unit: .rollouts)!
        let small = try TrainingPlanner.plan(
            budget: 1e6, difficulty: .easy, law: spec, lawSource: "preset", batch: 8192, problems: 100)
        #expect(small.batch == 8192 && small.problemsPerBatch <= 100)
    }

    @Test func autoDifficultyUsesThePapersBins() {
        let easy = SolveRates(
            system: nil, tasks: (0..<10).map { TaskOutcome(taskID: "e\($0)", trials: 16, successes: 6) })
        #expect(DifficultyClassifier.classify(easy).difficulty == .easy)
        let mixed = SolveRates(
            system: nil, tasks: easy.tasks + (0..<10).map { TaskOutcome(taskID: "h\($0)", trials: 16, successes: 0) })
        #expect(DifficultyClassifier.classify(mixed).difficulty == .mixed)
        let outside = SolveRates(system: nil, tasks: [TaskOutcome(taskID: "x", trials: 16, successes: 15)])
        let result = DifficultyClassifier.classify(outside)
        #expect(result.difficulty == .easy && result.outside == 1 && !result.warnings.isEmpty)
    }
}
