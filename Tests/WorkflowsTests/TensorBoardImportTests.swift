import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import RunStore
import Testing
import Workflows

@Suite("Importing TensorBoard event files")
struct TensorBoardImportTests {
    static func fixture(_ name: String) -> String { SharedFixture.path("tensorboard/\(name)") }

    static func request(_ path: String) -> ImportRequest {
        ImportRequest(format: .tensorboard, file: path, rolloutsPerProblem: 8, problemsPerBatch: 64)
    }

    /// A log directory becomes one run whose stored points are the reader's scalars — values,
    /// steps and wall times — under canonical names where the alias table knows the tag; the same
    /// content again writes nothing.
    @Test func logDirectoryRoundTripsThroughTheStoreOnce() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("tb.sqlite"))
        let path = Self.fixture("verl-grpo")
        let result = try ImportWorkflow.run(Self.request(path), store: store)
        #expect(result.action == .created && result.run == "verl-grpo" && result.steps == 21 && result.warnings.isEmpty)
        #expect(result.canonical["val_reward"] == "val-core/openai/gsm8k/reward/mean@1")
        #expect(result.canonical["train_reward"] == "critic/score/mean")
        let run = try #require(try store.run(named: "verl-grpo"))
        #expect(run.source == .tensorboard)
        let stored = try store.points(ofRun: try #require(run.id))
        let log = try TensorBoardEvents.read(path).log
        var expected: [String: (value: Double, wallTime: Double?)] = [:]
        for step in log.steps {
            for (tag, value) in step.values { expected["\(tag)@\(step.step)"] = (value, step.wallTimes[tag]) }
        }
        #expect(stored.count == expected.count && result.points == expected.count)
        for point in stored {
            let found = expected["\(point.rawName ?? "")@\(point.step)"]
            #expect(found?.value == point.value && found?.wallTime == point.wallTime && point.wallTime != nil)
        }
        // Tokens from verl's per-step perf/total_num_tokens (an int64 tensor).
        let validation = try store.points(ofRun: run.id!, metric: .validationReward)
        #expect(validation.map(\.step) == [0, 5, 10, 15, 20] && validation.allSatisfy { ($0.tokens ?? 0) > 0 })

        let again = try ImportWorkflow.run(Self.request(path), store: store)
        #expect(again.action == .unchanged && again.points == 0)
        #expect(try store.runs().count == 1 && store.points(ofRun: run.id!).count == stored.count)
    }

    /// A file still being written: imported up to its last complete record with a warning; once
    /// it has grown, the rest is added (the cut step's missing metric too), and the run equals a
    /// direct import of the whole file. A new event file in a log directory grows its run as well.
    @Test func fileStillBeingWrittenUpdatesItsRunAsItGrows() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("tb.sqlite"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("openrlhf-ppo.tfevents")))
        try FileManager.default.createDirectory(atPath: dir.path("ppo"), withIntermediateDirectories: false)
        let growing = dir.path("ppo/events.out.tfevents.1764763200.host")
        try whole.prefix(whole.count - 20).write(to: URL(fileURLWithPath: growing))
        let first = try ImportWorkflow.run(Self.request(growing), store: store)
        #expect(first.action == .created && first.run == "ppo")
        #expect(first.warnings.count == 1 && first.warnings[0].contains("\(growing): the record at byte offset"))
        try whole.write(to: URL(fileURLWithPath: growing))
        let grown = try ImportWorkflow.run(Self.request(growing), store: store)
        #expect(grown.action == .updated && grown.points == 1 && grown.warnings.isEmpty)

        let reference = try Store(path: dir.path("reference.sqlite"))
        let direct = try ImportWorkflow.run(Self.request(Self.fixture("openrlhf-ppo.tfevents")), store: reference)
        let run = try #require(try store.run(named: "ppo"))
        let points = try store.points(ofRun: run.id!)
        #expect(points.count == direct.points && first.points + grown.points == direct.points)
        let referencePoints = try reference.points(ofRun: try #require(direct.runID))
        #expect(Set(points) == Set(referencePoints))

        // A log directory gains a second event file (a resumed writer): its steps are appended.
        let logs = dir.path("verl")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: false)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixture("verl-grpo")).sorted()
        try FileManager.default.copyItem(atPath: Self.fixture("verl-grpo/\(files[0])"), toPath: "\(logs)/\(files[0])")
        #expect(try ImportWorkflow.run(Self.request(logs), store: store).steps == 11)
        try FileManager.default.copyItem(atPath: Self.fixture("verl-grpo/\(files[1])"), toPath: "\(logs)/\(files[1])")
        let resumed = try ImportWorkflow.run(Self.request(logs), store: store)
        #expect(resumed.action == .updated && resumed.steps == 10)
        #expect(try store.runs().count == 2)
    }

    /// A damaged record: the error names the file and the record's byte offset; nothing is stored.
    @Test func corruptFileStoresNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path("tb.sqlite"))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("openrlhf-ppo.tfevents"))))
        bytes[2465 + 12 + 3] ^= 0x20  // a data byte of the record at byte offset 2465
        let path = dir.path("bad.tfevents")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect {
            try ImportWorkflow.run(Self.request(path), store: store)
        } throws: { "\($0)".contains("\(path): byte offset 2465: data CRC mismatch") }
        #expect(try store.runs().isEmpty)
        #expect(try store.importedFiles(path: path).isEmpty)
    }
}
