import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import Testing
import Workflows

@Suite("Importing training logs")
struct ImportWorkflowTests {
    static func fixture(_ name: String) -> String { SharedFixture.path(name) }

    @Test func verlConsoleBecomesARunWithCanonicalPoints() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("i.sqlite"))
        let request = ImportRequest(
            format: .verl, file: Self.fixture("verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"),
            rolloutsPerProblem: 5, problemsPerBatch: 1024)
        let result = try ImportWorkflow.run(request, store: store)
        #expect(result.action == .created && result.steps == 7)
        #expect(result.canonical["val_reward"] == "val-core/openai/gsm8k/reward/mean@1")
        let run = try #require(try store.run(named: "verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt"))
        #expect(run.source == .verl && run.rolloutsPerProblem == 5 && run.problemsPerBatch == 1024)
        let validation = try store.points(ofRun: run.id!, metric: .validationReward)
        #expect(validation.map(\.step) == [0, 5])
        #expect(validation.map(\.value) == [0.229, 0.856])
        #expect(
            validation[1].rollouts == 5 * 5 * 1024 && validation[1].rawName == "val-core/openai/gsm8k/reward/mean@1")
        // Raw metrics are kept under their own names; tokens come from the log's token count.
        let entropy = try store.points(ofRun: run.id!, metric: MetricName(rawValue: "actor/entropy_loss"))
        #expect(entropy.count == 6 && entropy.allSatisfy { ($0.tokens ?? 0) > 0 })
        // Importing the same content again writes nothing.
        let again = try ImportWorkflow.run(request, store: store)
        #expect(again.action == .unchanged)
        #expect(try store.points(ofRun: run.id!).count == result.points)
    }

    /// A log that has grown updates its run; `--run` appends a resumed run's log; a malformed file
    /// writes nothing.
    @Test func grownLogsResumedRunsAndMalformedFiles() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("i.sqlite"))
        let log = dir.path("train.log")
        try Data("(x) step:1 - critic/score/mean:0.1 - val-core/s/reward/mean@1:0.2\n".utf8).write(
            to: URL(fileURLWithPath: log))
        var request = ImportRequest(format: .verl, file: log, rolloutsPerProblem: 8, problemsPerBatch: 32)
        #expect(try ImportWorkflow.run(request, store: store).action == .created)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        handle.write(Data("(x) step:2 - critic/score/mean:0.3\n".utf8))
        try handle.close()
        let grown = try ImportWorkflow.run(request, store: store)
        #expect(grown.action == .updated && grown.steps == 1)
        let run = try #require(try store.run(named: "train"))
        #expect(try store.points(ofRun: run.id!, metric: .trainReward).map(\.step) == [1, 2])
        #expect(try store.runs().count == 1)

        // A log imported under another name is still recognised by its path when it grows.
        let named = dir.path("named.log")
        try Data("(x) step:1 - a:1\n".utf8).write(to: URL(fileURLWithPath: named))
        var namedRequest = ImportRequest(format: .verl, file: named, rolloutsPerProblem: 8, problemsPerBatch: 32)
        namedRequest.name = "custom"
        #expect(try ImportWorkflow.run(namedRequest, store: store).action == .created)
        try Data("(x) step:1 - a:1\n(x) step:2 - a:2\n".utf8).write(to: URL(fileURLWithPath: named))
        let grownNamed = try ImportWorkflow.run(
            ImportRequest(format: .verl, file: named, rolloutsPerProblem: 8, problemsPerBatch: 32), store: store)
        #expect(grownNamed.action == .updated && grownNamed.run == "custom")

        // A second validation source keeps its raw name beside the canonical one.
        let two = dir.path("two.log")
        try Data("(x) step:1 - val-core/a/reward/mean@1:0.5 - val-core/b/reward/mean@1:0.25\n".utf8).write(
            to: URL(fileURLWithPath: two))
        let both = try ImportWorkflow.run(
            ImportRequest(format: .verl, file: two, rolloutsPerProblem: 8, problemsPerBatch: 32), store: store)
        let twoRun = try #require(both.runID)
        #expect(try store.points(ofRun: twoRun, metric: .validationReward).map(\.value) == [0.5])
        #expect(
            try store.points(ofRun: twoRun, metric: MetricName(rawValue: "val-core/b/reward/mean@1")).map(\.value) == [
                0.25
            ])

        let resumed = dir.path("resumed.log")
        try Data("(x) step:2 - critic/score/mean:0.9\n(x) step:3 - critic/score/mean:0.4\n".utf8).write(
            to: URL(fileURLWithPath: resumed))
        var append = ImportRequest(format: .verl, file: resumed, rolloutsPerProblem: 8, problemsPerBatch: 32)
        append.appendTo = "train"
        let appended = try ImportWorkflow.run(append, store: store)
        #expect(appended.action == .appended && appended.steps == 1)  // step 2 was already stored
        #expect(try store.points(ofRun: run.id!, metric: .trainReward).map(\.value) == [0.1, 0.3, 0.4])

        let other = dir.path("other/train.log")
        try FileManager.default.createDirectory(atPath: dir.path("other"), withIntermediateDirectories: true)
        try Data("(x) step:1 - a:1\n".utf8).write(to: URL(fileURLWithPath: other))
        #expect {
            try ImportWorkflow.run(
                ImportRequest(format: .verl, file: other, rolloutsPerProblem: 8, problemsPerBatch: 32), store: store)
        } throws: { "\($0)".contains("exists") }

        let before = try store.info().counts
        let malformed = dir.path("bad.log")
        try Data("(x) step:1 - a:1\n(x) step:2 - oops\n".utf8).write(to: URL(fileURLWithPath: malformed))
        request = ImportRequest(format: .verl, file: malformed, rolloutsPerProblem: 8, problemsPerBatch: 32)
        #expect { try ImportWorkflow.run(request, store: store) } throws: { "\($0)".contains("bad.log:2") }
        #expect(try store.info().counts == before)
    }

    @Test func trlAndCSV() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("i.sqlite"))
        var trl = ImportRequest(
            format: .trl, file: Self.fixture("IITD_Feb26_AAIPL_minesweeper-grpo_checkpoint-500_trainer_state.json"),
            rolloutsPerProblem: 8, problemsPerBatch: 4)
        trl.name = "minesweeper"
        let result = try ImportWorkflow.run(trl, store: store)
        #expect(result.steps == 50 && result.canonical["frac_zero_std"] == "frac_reward_zero_std")
        let run = try #require(try store.run(named: "minesweeper"))
        let zeroStd = try store.points(ofRun: run.id!, metric: .fractionZeroStd)
        #expect(zeroStd.count == 50 && zeroStd[0].rollouts == 10 * 32)
        // TRL's num_tokens is a running total: the last point carries it as is (4,154,653 in the file's state).
        let last = try #require(zeroStd.last?.tokens)
        #expect(last > 3e6 && last < 5e6, "\(last)")
        var csv = ImportRequest(
            format: .csv(
                stepColumn: "_step", metrics: [("val_reward", "eval/orchestrator/reward/episode_reward_mean")]),
            file: Self.fixture("ds-marl-air-cargo_wandb_results.csv"), rolloutsPerProblem: 1, problemsPerBatch: 1)
        csv.tokensPerRollout = 100
        let table = try ImportWorkflow.run(csv, store: store)
        let points = try store.points(ofRun: table.runID!, metric: .validationReward)
        #expect(!points.isEmpty && points.allSatisfy { $0.tokens == $0.rollouts * 100 })
    }
}
