import Domain
import Foundation
import IsoplanTestSupport
import Testing

@testable import Ingest

/// What `make_tensorboard_fixtures.py` wrote (`Fixtures/tensorboard/expected.json`).
struct TensorBoardExpectation: Decodable {
    struct Scalar: Decodable {
        let tag: String
        let step: Int
        let wallTime: Double
        let value: Double
        let encoding: String

        enum CodingKeys: String, CodingKey {
            case tag, step, value, encoding
            case wallTime = "wall_time"
        }
    }

    struct Run: Decodable {
        let scalars: [Scalar]
        let skipped: Int
    }

    struct Truncated: Decodable {
        struct Lost: Decodable {
            let tag: String
            let step: Int
        }
        let bytes: Int
        let incompleteRecordOffset: Int
        let lost: [Lost]

        enum CodingKeys: String, CodingKey {
            case bytes, lost
            case incompleteRecordOffset = "incomplete_record_offset"
        }
    }

    struct Corrupt: Decodable {
        let recordOffset: Int

        enum CodingKeys: String, CodingKey { case recordOffset = "record_offset" }
    }

    struct OpenRLHF: Decodable {
        let scalars: [Scalar]
        let skipped: Int
        let records: Int
        let truncated: Truncated
        let corrupt: Corrupt
    }

    let verl: Run
    let openRLHF: OpenRLHF

    enum CodingKeys: String, CodingKey {
        case verl = "verl-grpo"
        case openRLHF = "openrlhf-ppo"
    }
}

@Suite("TensorBoard event files")
struct TensorBoardTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/tensorboard/\(name)")
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(name)")
        return url.path
    }

    static func expectation() throws -> TensorBoardExpectation {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixture("expected.json")))
        return try JSONDecoder().decode(TensorBoardExpectation.self, from: data)
    }

    /// Every scalar of `expected` is in `log` with its step, value and wall time exactly, and
    /// nothing else is.
    static func expectRoundTrip(_ log: TrainingLog, _ expected: [TensorBoardExpectation.Scalar]) {
        let read = log.steps.reduce(0) { $0 + $1.values.count }
        #expect(read == expected.count)
        let steps = Dictionary(uniqueKeysWithValues: log.steps.map { ($0.step, $0) })
        for scalar in expected {
            let step = steps[scalar.step]
            #expect(step?.values[scalar.tag] == scalar.value, "\(scalar.tag) at \(scalar.step) (\(scalar.encoding))")
            #expect(step?.wallTimes[scalar.tag] == scalar.wallTime, "wall time of \(scalar.tag) at \(scalar.step)")
        }
    }

    @Test func crc32cKnownVectorAndMask() {
        #expect(CRC32C.checksum(of: Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(of: [UInt8]()) == 0)
        #expect(CRC32C.masked(0) == 0xA282_EAD8)
        #expect(CRC32C.masked(0x8000) == 0xA282_EAD9)
    }

    /// A log directory of two event files is one run: every scalar of every encoding (simple_value,
    /// float, double, half, int32 and int64 tensors) with its step and wall time; histograms, text
    /// and a 3-element tensor counted and left out.
    @Test func verlDirectoryRoundTripsEveryScalar() throws {
        let expected = try Self.expectation().verl
        let run = try TensorBoardEvents.read(try Self.fixture("verl-grpo"))
        #expect(run.log.format == "tensorboard")
        #expect(run.log.steps.map(\.step) == Array(0...20))
        #expect(run.log.warnings.isEmpty)
        #expect(run.skippedValues == expected.skipped)
        Self.expectRoundTrip(run.log, expected.scalars)
        #expect(Set(expected.scalars.map(\.encoding)).count == 7)
        // verl's tag names keep their `@` (torch's writer does not rewrite tags).
        #expect(
            run.log.steps[5].values.keys.filter { MetricAliases.canonical($0) == .validationReward } == [
                "val-core/openai/gsm8k/reward/mean@1"
            ])
    }

    @Test func openRLHFFileRoundTripsEveryScalar() throws {
        let expected = try Self.expectation().openRLHF
        let run = try TensorBoardEvents.read(try Self.fixture("openrlhf-ppo.tfevents"))
        #expect(run.records == expected.records)
        #expect(run.skippedValues == expected.skipped)
        Self.expectRoundTrip(run.log, expected.scalars)
    }

    /// A file still being written: the complete records, and a warning naming the file and the
    /// byte where the incomplete record starts — whether its data or its header is cut.
    @Test func truncatedFileReadsToTheLastCompleteRecord() throws {
        let expected = try Self.expectation().openRLHF
        let path = try Self.fixture("openrlhf-ppo-truncated.tfevents")
        let lost = Set(expected.truncated.lost.map { "\($0.tag)@\($0.step)" })
        let complete = expected.scalars.filter { !lost.contains("\($0.tag)@\($0.step)") }
        #expect(complete.count == expected.scalars.count - 1)
        let run = try TensorBoardEvents.read(path)
        #expect(run.records == expected.records - 1)
        Self.expectRoundTrip(run.log, complete)
        let offset = expected.truncated.incompleteRecordOffset
        #expect(run.log.warnings.count == 1)
        #expect(run.log.warnings.first?.contains("\(path): the record at byte offset \(offset) is incomplete") == true)

        let dir = try TemporaryDirectory()
        let headerCut = dir.path("header-cut.tfevents")
        let full = try Data(contentsOf: URL(fileURLWithPath: try Self.fixture("openrlhf-ppo.tfevents")))
        try full.prefix(offset + 5).write(to: URL(fileURLWithPath: headerCut))
        let fromHeaderCut = try TensorBoardEvents.read(headerCut)
        Self.expectRoundTrip(fromHeaderCut.log, complete)
        #expect(fromHeaderCut.log.warnings.first?.contains("byte offset \(offset)") == true)
    }

    /// A damaged record fails the read as one line with the file, the record's byte offset and the
    /// reason: a data CRC, a length CRC, a protobuf that does not decode.
    @Test func corruptRecordsFailNamingFileOffsetAndReason() throws {
        let expected = try Self.expectation().openRLHF
        let offset = expected.corrupt.recordOffset
        let path = try Self.fixture("openrlhf-ppo-corrupt.tfevents")
        #expect {
            try TensorBoardEvents.read(path)
        } throws: { error in
            guard case .corrupt(let file, let at, let reason) = error as? ImportError else { return false }
            return file == path && at == offset && reason.hasPrefix("data CRC mismatch")
                && "\(error)".hasPrefix("\(path): byte offset \(offset): data CRC mismatch")
                && !"\(error)".contains("\n")
        }

        let dir = try TemporaryDirectory()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.fixture("openrlhf-ppo.tfevents"))))
        bytes[offset + 2] ^= 0x01
        let lengthFlipped = dir.path("length.tfevents")
        try Data(bytes).write(to: URL(fileURLWithPath: lengthFlipped))
        #expect {
            try TensorBoardEvents.read(lengthFlipped)
        } throws: { "\($0)".hasPrefix("\(lengthFlipped): byte offset \(offset): length CRC mismatch") }

        // A valid Event (wall_time 0; 25 bytes framed), then valid framing around bytes that are
        // not an Event (field number 0 is never valid).
        let event = Self.frame([0x09] + [UInt8](repeating: 0, count: 8))
        let undecodable = TensorBoardEventFile(path: "garbage.tfevents", bytes: event + Self.frame([0x00, 0x01, 0x02]))
        #expect {
            try TensorBoardEvents.read([undecodable], name: "garbage")
        } throws: { "\($0)".hasPrefix("garbage.tfevents: byte offset 25: not an Event protobuf") }
    }

    /// Scalar tensors in every encoding a writer may choose, and what is not a scalar.
    @Test func scalarTensorEncodings() {
        func tensor(_ dtype: Tensorboard_DataType, shape: [Int64] = [], _ fill: (inout Tensorboard_TensorProto) -> Void)
            -> Tensorboard_Summary.Value
        {
            var proto = Tensorboard_TensorProto()
            proto.dtype = dtype
            proto.tensorShape.dim = shape.map { size in
                var dim = Tensorboard_TensorShapeProto.Dim()
                dim.size = size
                return dim
            }
            fill(&proto)
            var value = Tensorboard_Summary.Value()
            value.tensor = proto
            return value
        }
        let little = { (bits: UInt64, count: Int) in
            Data((0..<count).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) })
        }
        #expect(tensor(.dtDouble) { $0.tensorContent = little(2.5.bitPattern, 8) }.scalar == 2.5)
        #expect(
            tensor(.dtFloat, shape: [1, 1]) { $0.tensorContent = little(UInt64(Float(0.75).bitPattern), 4) }.scalar
                == 0.75)
        #expect(tensor(.dtInt64) { $0.tensorContent = little(UInt64(bitPattern: -3), 8) }.scalar == -3)
        #expect(tensor(.dtInt32) { $0.tensorContent = little(UInt64(UInt32(bitPattern: -7)), 4) }.scalar == -7)
        #expect(tensor(.dtHalf) { $0.halfVal = [0x3C00] }.scalar == 1)
        #expect(tensor(.dtHalf) { $0.halfVal = [0xC100] }.scalar == -2.5)
        #expect(tensor(.dtHalf) { $0.halfVal = [0x0001] }.scalar == 0x1p-24)
        #expect(tensor(.dtHalf) { $0.tensorContent = little(0x7BFF, 2) }.scalar == 65504)
        #expect(tensor(.dtBfloat16) { $0.halfVal = [0x3FC0] }.scalar == 1.5)
        #expect(tensor(.dtFloat) { _ in }.scalar == 0)  // no values: TensorFlow's zero-filled tensor
        #expect(tensor(.dtFloat, shape: [3]) { $0.floatVal = [1, 2, 3] }.scalar == nil)
        #expect(tensor(.dtString) { $0.stringVal = [Data("x".utf8)] }.scalar == nil)
        #expect(tensor(.dtDouble) { $0.tensorContent = little(1, 4) }.scalar == nil)  // wrong byte count
        var histogram = tensor(.dtDouble) { $0.doubleVal = [1] }
        histogram.metadata.pluginData.pluginName = "histograms"
        #expect(histogram.scalar == nil)
        #expect(Tensorboard_TensorProto.half(0x7C00) == .infinity && Tensorboard_TensorProto.half(0x7E00).isNaN)
    }

    /// OpenRLHF's TensorBoard tags (openrlhf/utils/logging_utils.py, openrlhf/trainer/ppo_trainer.py).
    @Test func openRLHFAliases() {
        #expect(MetricAliases.canonical("train/reward") == .trainReward)
        #expect(MetricAliases.canonical("train/rollout/reward_mean") == .trainReward)
        #expect(MetricAliases.canonical("train/response_length") == .responseLength)
        #expect(MetricAliases.canonical("train/rollout/response_length_mean") == .responseLength)
        #expect(MetricAliases.canonical("eval/eval_gsm8k_pass1") == .validationReward)
        #expect(MetricAliases.canonical("eval/eval_openai_math_pass8") == .validationBest(at: 8))
        #expect(MetricAliases.canonical("eval/eval_response_length_mean") == nil)
        #expect(MetricAliases.canonical("eval/eval_gsm8k_passx") == nil)
        #expect(MetricAliases.canonical("train/policy_loss") == nil)
    }

    @Test func pathsWithoutEventFiles() throws {
        let dir = try TemporaryDirectory()
        #expect { try TensorBoardEvents.read(dir.path("none")) } throws: { "\($0)".contains("no such file") }
        #expect { try TensorBoardEvents.read(dir.url.path) } throws: { "\($0)".contains("no events.out.tfevents") }
        let empty = dir.path("events.out.tfevents.1.host")
        try Data().write(to: URL(fileURLWithPath: empty))
        let run = try TensorBoardEvents.read(dir.url.path)
        #expect(run.log.steps.isEmpty && run.records == 0 && run.log.warnings.isEmpty)
    }

    /// TFRecord framing of `data`, as a writer frames it.
    static func frame(_ data: [UInt8]) -> [UInt8] {
        let length = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(data.count) >> (8 * $0)) }
        let le = { (value: UInt32) in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        return length + le(CRC32C.masked(CRC32C.checksum(of: length))) + data
            + le(CRC32C.masked(CRC32C.checksum(of: data)))
    }
}
