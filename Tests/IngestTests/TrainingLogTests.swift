import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Testing

@Suite("Training-log importers")
struct TrainingLogTests {
    static func fixture(_ name: String) throws -> String { try AgentResultsTests.fixture(name) }

    @Test func verlJSONL() throws {
        let log = try VerlLog.read(try Self.fixture("HanlinDu-verl_verl_examples_gsm8k.jsonl"))
        #expect(log.format == "verl-jsonl")
        #expect(log.steps.map(\.step) == [0, 1, 2, 3])
        // Zeros are measurements, integers are numbers.
        #expect(log.steps[0].values["val-core/openai/gsm8k/acc/mean@1"] == 0)
        #expect(log.steps[0].values["val-aux/num_turns/min"] == 2)
        #expect(log.steps[1].values["critic/lr"] == 0.00001)
    }

    /// The GRPO excerpt: validation at step 0 and inline at step 5, steps 1–6.
    @Test func verlConsoleGRPO() throws {
        let log = try VerlLog.read(try Self.fixture("verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"))
        #expect(log.format == "verl-console")
        #expect(log.steps.map(\.step) == [0, 1, 2, 3, 4, 5, 6])
        expectClose(try #require(log.steps[0].values["val-core/openai/gsm8k/reward/mean@1"]), 0.229, absolute: 1e-12)
        expectClose(try #require(log.steps[5].values["val-core/openai/gsm8k/reward/mean@1"]), 0.856, absolute: 1e-12)
        #expect(log.steps[1].values["actor/entropy_loss"] == 0.334)
    }

    /// Ray's ANSI colour codes, a run resumed at step 101, and the early `test_score/` keys.
    @Test func verlConsoleResumedAndEarlyFormats() throws {
        let resumed = try VerlLog.read(try Self.fixture("dstack-configs_verl_demo_ppo_first1000lines.log"))
        #expect(resumed.steps.first?.step == 101 && resumed.steps.last?.step == 190 && resumed.steps.count == 90)
        #expect(
            resumed.steps.filter { $0.values.keys.contains { MetricAliases.canonical($0) == .validationReward } }.count
                == 9)
        let early = try VerlLog.read(try Self.fixture("verl-data_gemma-2-2b-it-ppo_gsm8k_2024-12.log"))
        #expect(early.steps.first?.step == 0)
        expectClose(try #require(early.steps[0].values["test_score/openai/gsm8k"]), 0.521, absolute: 1e-12)
        #expect(early.steps[0].values["critic/kl"] != nil)  // two step:0 lines merged
        #expect(MetricAliases.canonical("test_score/openai/gsm8k") == .validationReward)
    }

    @Test func trlTrainerStateOldAndNewKeys() throws {
        let old = try TRLTrainerState.read(
            try Self.fixture("Gemma-3-RL-Finetuning_gsm8k-grpo_checkpoint-250_trainer_state.json"))
        #expect(old.steps.count == 25 && old.steps.first?.step == 10)
        #expect(old.steps[0].values["completion_length"] == 542.6875)
        let new = try TRLTrainerState.read(
            try Self.fixture("IITD_Feb26_AAIPL_minesweeper-grpo_checkpoint-500_trainer_state.json"))
        #expect(new.steps.count == 50)
        #expect(new.steps[0].values["frac_reward_zero_std"] == 0)
        #expect(MetricAliases.canonical("frac_reward_zero_std") == .fractionZeroStd)
        #expect(MetricAliases.canonical("completions/mean_length") == .responseLength)
        #expect(MetricAliases.canonical("reward") == .trainReward)
    }

    @Test func wandbCSVWithAMapping() throws {
        let path = try Self.fixture("ds-marl-air-cargo_wandb_results.csv")
        let log = try MetricCSV.read(path, metrics: [("val_reward", "eval/orchestrator/reward/episode_reward_mean")])
        #expect(log.steps.first?.step == 0)
        #expect(log.steps.allSatisfy { $0.values.count <= 1 })
        #expect(log.steps.contains { $0.values.isEmpty })  // empty cells are missing values
        #expect(throws: ImportError.self) { try MetricCSV.read(path, metrics: [("x", "no-such-column")]) }
    }

    @Test func allocationsFromConfigurations() throws {
        let early = try VerlLog.configuredAllocation(try Self.fixture("verl-data_gemma-2-2b-it-ppo_gsm8k_2024-12.log"))
        #expect(early.rolloutsPerProblem == 1 && early.problemsPerBatch == 512)
        let resumed = try VerlLog.configuredAllocation(
            try Self.fixture("dstack-configs_verl_demo_ppo_first1000lines.log"))
        #expect(resumed.rolloutsPerProblem == 1 && resumed.problemsPerBatch == 256)
        let excerpt = try VerlLog.configuredAllocation(
            try Self.fixture("verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"))
        #expect(excerpt.rolloutsPerProblem == nil && excerpt.problemsPerBatch == nil)
        let dir = try TemporaryDirectory()
        let config = dir.path("args.json")
        try Data(
            #"{"num_generations": 8, "per_device_train_batch_size": 16, "gradient_accumulation_steps": 4, "world_size": 2}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: config))
        let trl = try TRLTrainerState.configuredAllocation(configPath: config)
        // 16 × 4 × 2 = 128 completions = 16 prompts × 8.
        #expect(trl.rolloutsPerProblem == 8 && trl.problemsPerBatch == 16)
        #expect(try TRLTrainerState.configuredAllocation(configPath: config, processes: 1).problemsPerBatch == 8)
        try Data(#"{"num_generations": 3, "per_device_train_batch_size": 16}"#.utf8).write(
            to: URL(fileURLWithPath: config))
        #expect(throws: ImportError.self) { try TRLTrainerState.configuredAllocation(configPath: config) }
    }

    @Test func aliasesAndValues() {
        #expect(MetricAliases.canonical("val-core/openai/gsm8k/reward/mean@4") == .validationReward)
        #expect(MetricAliases.canonical("val-core/openai/gsm8k/reward/best@4/mean") == .validationBest(at: 4))
        #expect(MetricAliases.canonical("val-aux/openai/gsm8k/reward/worst@4/mean") == .validationWorst(at: 4))
        #expect(MetricAliases.canonical("val-aux/openai/gsm8k/reward/std@4") == nil)
        #expect(MetricAliases.canonical("actor/entropy_loss") == nil)
    }

    /// Hand-written edge cases: NumPy wrappers, NaN and strings dropped, repeated steps merged,
    /// malformed lines named by file and line.
    @Test func edgeCases() throws {
        let dir = try TemporaryDirectory()
        let console = dir.path("c.log")
        try Data(
            """
            noise line
            \u{1B}[36m(TaskRunner pid=1)\u{1B}[0m step:3 - a:np.float64(0.5) - b:nan - c:hello - d:None
            (TaskRunner pid=1) step:3 - e:2 [repeated 7x across cluster]
            (TaskRunner pid=1) step:1 - a:0.25
            """.utf8
        ).write(to: URL(fileURLWithPath: console))
        let log = try VerlLog.read(console)
        #expect(log.steps.map(\.step) == [1, 3])
        #expect(log.steps[1].values == ["a": 0.5, "e": 2])
        let bad = dir.path("bad.log")
        try Data("(x) step:1 - a:1\n(x) step:2 - broken\n".utf8).write(to: URL(fileURLWithPath: bad))
        #expect { try VerlLog.read(bad) } throws: { "\($0)".contains("bad.log:2") }
        let flags = dir.path("flags.jsonl")
        try Data("{\"step\": 1, \"data\": {\"on\": true, \"x\": 0, \"s\": \"np.float32(1.5)\", \"n\": null}}\n".utf8)
            .write(to: URL(fileURLWithPath: flags))
        #expect(try VerlLog.read(flags).steps[0].values == ["x": 0, "s": 1.5])
        let badJSON = dir.path("bad.jsonl")
        try Data("{\"step\": 1, \"data\": {\"a\": 1}}\n{\"step\": 2, \"data\": \n".utf8).write(
            to: URL(fileURLWithPath: badJSON))
        #expect { try VerlLog.read(badJSON) } throws: { "\($0)".contains("bad.jsonl:2") }
    }
}
