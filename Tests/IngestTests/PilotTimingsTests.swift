import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Testing

/// Step timing read from a real verl console log (8 GPUs, GRPO, n = 5, B_p = 1024).
@Suite("Pilot timings")
struct PilotTimingsTests {
    static let verlLog = "verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"

    @Test func verlConsoleLogGivesTimedStepsAndItsGPUCount() throws {
        let log = try VerlLog.read(AgentResultsTests.fixture(Self.verlLog))
        let steps = PilotTimings.steps(log.steps, rolloutsPerStep: 5120)
        #expect(steps.count == 6)
        let second = try #require(steps.first { $0.step == 2 })
        // step:2 logs timing_s/step 172.797, gen 44.684, old_log_prob 25.728, ref 25.321, update_actor 75.544.
        expectClose(second.seconds, 172.797, relative: 1e-12)
        expectClose(try #require(second.generationSeconds), 44.684, relative: 1e-12)
        expectClose(try #require(second.updateSeconds), 25.728 + 25.321 + 75.544, relative: 1e-12)
        expectClose(try #require(second.responseTokens), 198.214, relative: 1e-12)
        // perf/throughput = perf/total_num_tokens/(perf/time_per_step·GPUs): 8 GPUs.
        #expect(steps.allSatisfy { $0.gpus == 8 })
    }

    /// Early verl logs (`timing/*`, no step total): each step is the sum of its logged phases
    /// other than validation, and no GPU count.
    @Test func earlyVerlTimingIsReadWithoutAStepTotal() throws {
        let log = try VerlLog.read(AgentResultsTests.fixture("verl-data_gemma-2-2b-it-ppo_gsm8k_2024-12.log"))
        let steps = PilotTimings.steps(log.steps, rolloutsPerStep: 256)
        #expect(steps.count == 106)
        let logged = try #require(log.steps.first { $0.values["timing/gen"] != nil })
        let step = try #require(steps.first { $0.step == logged.step })
        let phases = logged.values.filter { $0.key.hasPrefix("timing/") && $0.key != "timing/testing" }.values
        expectClose(step.seconds, phases.reduce(0, +), relative: 1e-12)
        expectClose(try #require(step.generationSeconds), try #require(logged.values["timing/gen"]), relative: 1e-12)
        #expect(steps.allSatisfy { $0.gpus == nil })
    }

    @Test func aLogWithoutTimingHasNoSteps() throws {
        let log = try TRLTrainerState.read(
            AgentResultsTests.fixture("IITD_Feb26_AAIPL_minesweeper-grpo_checkpoint-500_trainer_state.json"))
        #expect(PilotTimings.steps(log.steps, rolloutsPerStep: 64).isEmpty)
    }

    @Test func trlRuntimeIsOneRunLevelRecord() {
        let steps = [
            LoggedStep(step: 10, values: ["completions/mean_length": 300]),
            LoggedStep(step: 20, values: ["completions/mean_length": 500]),
            LoggedStep(step: 20, values: ["train_runtime": 1000]),
        ]
        let timed = PilotTimings.steps(steps, rolloutsPerStep: 64)
        #expect(timed.count == 1)
        expectClose(timed[0].seconds, 50, relative: 1e-12)
        expectClose(timed[0].responseTokens ?? 0, 400, relative: 1e-12)
    }
}
