import Domain
import Foundation
import Planner
import Testing

/// Each framework's export over the 26 rows of `FrameworkCase.all`: the exported setting passes
/// the framework's rules as implemented here, the rendered text read back passes the same
/// assertions recomputed by hand, unchanged rows are exported exactly, and moved ones say what
/// moved and what it costs.
@Suite("Framework exports")
struct FrameworkExportTests {
    /// What every framework's export of `row` must satisfy; returns the settings and rendering.
    static func commonChecks(_ framework: Framework, _ row: FrameworkCase) throws -> (FrameworkSettings, String) {
        let (plan, shape) = (row.plan, try row.shape)
        let settings = try framework.export(plan, on: shape)
        let text = framework.render(settings)
        let landing = row.landing
        #expect(
            settings.setting
                == BatchSetting(rolloutsPerProblem: landing.n, problemsPerBatch: landing.bp, microBatch: landing.micro),
            "\(row)")
        #expect(framework.violations(of: settings.setting, on: shape, problems: row.problems).isEmpty, "\(row)")
        let planned = BatchSetting(rolloutsPerProblem: row.n, problemsPerBatch: row.bp, microBatch: row.micro)
        #expect(framework.violations(of: planned, on: shape, problems: row.problems).isEmpty == (row.expected == nil))
        let stepsAtBudget = Int(row.budget / Double(landing.n * landing.bp))
        if row.expected == nil && settings.steps == plan.steps {
            #expect(settings.adjustments.isEmpty && settings.cost == nil, "\(row)")
            #expect(settings.learningRate == plan.learningRate)
        } else {
            let cost = try #require(settings.cost, "\(row)")
            #expect(cost.rolloutsPerStep == Change(before: plan.batch, after: landing.n * landing.bp))
            #expect(cost.steps.before == plan.steps && cost.steps.after == settings.steps)
            #expect(cost.unusedRollouts.after == row.budget - Double(settings.steps * landing.n * landing.bp))
            #expect(text.contains("# at the same budget C = "), "\(text)")
            if row.expected != nil { #expect(settings.adjustments.contains { $0.hasPrefix("the plan breaks ") }) }
        }
        #expect(settings.steps <= stepsAtBudget && settings.steps >= 1)
        if landing.n * landing.bp != plan.batch {
            #expect(settings.learningRate == TrainingPlanner.learningRate(batch: landing.n * landing.bp))
        }
        return (settings, text)
    }

    @Test func verlSettingsPassVerlsChecks() throws {
        for row in FrameworkCase.all {
            let (settings, text) = try Self.commonChecks(.verl, row)
            let d = RenderedSettings.verl(text)
            // verl/utils/config.py:87,109-113 — train_batch_size·rollout.n over n_gpus_per_node·nnodes.
            let (trainBatch, n) = (d.int("data.train_batch_size"), d.int("actor_rollout_ref.rollout.n"))
            let gpus = d.int("trainer.n_gpus_per_node") * d.int("trainer.nnodes")
            #expect(gpus == row.gpus && d.int("trainer.nnodes") == row.nodes)
            #expect((trainBatch * n) % gpus == 0, "\(row)")
            // actor.py:203 and fsdp_workers.py:241-261, on-policy: mini batch = train batch, one PPO epoch.
            let mini = d.int("actor_rollout_ref.actor.ppo_mini_batch_size")
            let micro = d.int("actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu")
            #expect(mini == trainBatch && d.int("actor_rollout_ref.actor.ppo_epochs") == 1)
            let normalized = mini * n / gpus
            #expect(normalized > 0 && normalized % micro == 0, "\(row)")
            #expect(d["actor_rollout_ref.actor.use_dynamic_bsz"] == "False")
            #expect(d.int("actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu") == micro)
            #expect(d.int("trainer.total_training_steps") == settings.steps)
            if let problems = row.problems {
                // drop_last: ⌊D/B_p⌋ steps an epoch; the epochs must reach M, one fewer must not.
                let epochs = d.int("trainer.total_epochs")
                #expect(trainBatch <= problems)
                #expect(epochs * (problems / trainBatch) >= settings.steps)
                #expect((epochs - 1) * (problems / trainBatch) < settings.steps, "\(row)")
            } else {
                #expect(d["trainer.total_epochs"] == nil && !text.contains("total_epochs="))
            }
        }
    }

    @Test func trlSettingsPassTRLsChecks() throws {
        for row in FrameworkCase.all {
            let (settings, text) = try Self.commonChecks(.trl, row)
            let d = RenderedSettings.trl(text)
            #expect(text.hasPrefix("GRPOConfig(\n") && text.contains("\n)"))
            // grpo_config.py:1077-1079: generation batch = per-device × processes × steps_per_generation.
            let n = d.int("num_generations")
            let perDevice = d.int("per_device_train_batch_size")
            let stepsPerGeneration = d.int("steps_per_generation")
            let generationBatch = perDevice * row.gpus * stepsPerGeneration
            #expect(n >= 2 && generationBatch % n == 0, "\(row)")
            #expect(
                generationBatch == settings.setting.batch && generationBatch / n == settings.setting.problemsPerBatch)
            // On-policy: one optimizer step per generation batch.
            #expect(stepsPerGeneration == d.int("gradient_accumulation_steps") && d.int("num_iterations") == 1)
            #expect(d.int("max_steps") == settings.steps && settings.steps == Int(row.budget / Double(generationBatch)))
            #expect(text.contains("--num_processes \(row.gpus) --num_machines \(row.nodes)"))
            if let problems = row.problems { #expect(generationBatch / n <= problems) }
        }
    }

    @Test func openRLHFSettingsPassOpenRLHFsChecks() throws {
        for row in FrameworkCase.all {
            let (settings, text) = try Self.commonChecks(.openrlhf, row)
            let d = RenderedSettings.openrlhf(text)
            let (prompts, n) = (d.int("rollout.batch_size"), d.int("rollout.n_samples_per_prompt"))
            let world = d.int("actor.num_nodes") * d.int("actor.num_gpus_per_node")
            let (trainBatch, micro) = (d.int("train.batch_size"), d.int("train.micro_batch_size"))
            #expect(world == row.gpus && n > 1 && trainBatch == prompts * n && d.int("train.max_epochs") == 1)
            // train_ppo_ray.py:711-717; DeepSpeed: train batch = micro × accumulation × world.
            #expect(prompts * n / d.int("rollout.micro_batch_size") >= world)
            let accumulation = trainBatch / micro / world
            #expect(accumulation >= 1 && trainBatch == micro * accumulation * world, "\(row)")
            // launcher.py: the micro rollout batches share out evenly; each actor's share is whole micro batches.
            #expect((trainBatch / d.int("rollout.micro_batch_size")) % world == 0 && (trainBatch / world) % micro == 0)
            // Steps: episodes × whole batches of max_samples prompts (ppo_trainer.py:72-78).
            let (episodes, samples) = (d.int("train.num_episodes"), d.int("data.max_samples"))
            #expect(samples % prompts == 0 && episodes * (samples / prompts) == settings.steps, "\(row)")
            let budgetSteps = Int(row.budget / Double(trainBatch))
            if let problems = row.problems {
                #expect(samples <= problems && budgetSteps - settings.steps < samples / prompts, "\(row)")
            } else {
                #expect(episodes == 1 && settings.steps == budgetSteps && settings.epochs == nil)
            }
        }
    }

    /// verl's epochs: ⌈M·B_p/D⌉ rounded up to whole dataloader epochs with D, never the step count
    /// without it (the bug: `trainer.total_epochs=<M>`).
    @Test func verlEpochsComeFromTheTrainSetOnly() throws {
        var plan = FrameworkCase(n: 8, bp: 32, gpus: 8, micro: 4, budget: 100 * 32 * 8).plan
        #expect(plan.steps == 100)
        let shape = try ClusterShape()
        let without = try Framework.verl.export(plan, on: shape)
        #expect(without.epochs == nil && without["trainer.total_epochs"] == nil)
        #expect(!Framework.verl.render(without).contains("total_epochs=") && without.adjustments.isEmpty)
        plan.problems = 1000
        let with = try Framework.verl.export(plan, on: shape)
        #expect(with.epochs == 4 && with["trainer.total_epochs"] == .int(4))
        #expect(with["trainer.total_training_steps"] == .int(100))
        // B_p = 300 of D = 1000: 3 steps an epoch (drop_last), so M = 10 needs 4 epochs, not ⌈3000/1000⌉ = 3.
        let wide = FrameworkCase(n: 8, bp: 300, gpus: 8, micro: 4, problems: 1000, budget: 10 * 300 * 8)
        #expect(try Framework.verl.export(wide.plan, on: shape).epochs == 4)
    }

    /// A plan no nearby setting can carry is refused in one line naming the broken rule.
    @Test func anUnreachableClusterIsRefused() throws {
        let row = FrameworkCase(n: 2, bp: 1, gpus: 1024, micro: 1, problems: 1)
        for framework in Framework.allCases {
            let error = #expect(throws: DomainError.self) { _ = try framework.export(row.plan, on: try row.shape) }
            let message = error.map { "\($0)" } ?? ""
            #expect(message.contains("that passes \(framework.displayName)'s checks") && !message.contains("\n"))
        }
        #expect(throws: DomainError.self) { _ = try ClusterShape(gpus: 8, nodes: 3) }
        #expect(throws: DomainError.self) { _ = try ClusterShape(gpus: 8, microBatch: 0) }
    }

    /// Every rule's id and source appear in docs/FRAMEWORKS.md, and the ids are distinct.
    @Test func everyRuleIsCitedInTheDocs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/FRAMEWORKS.md"), encoding: .utf8)
        let rules = Framework.allCases.flatMap(\.rules)
        #expect(Set(rules.map(\.id)).count == rules.count)
        for rule in rules {
            #expect(docs.contains("`\(rule.id)`") && docs.contains(rule.source), "\(rule.id): \(rule.source)")
        }
    }
}
