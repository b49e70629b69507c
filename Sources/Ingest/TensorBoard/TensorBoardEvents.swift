import Foundation
import SwiftProtobuf

/// One event file's bytes.
public struct TensorBoardEventFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// A TensorBoard run read from its event files.
public struct TensorBoardRun: Sendable {
    /// The scalars by step under their tags, with each scalar's wall time; format `tensorboard`.
    public var log: TrainingLog
    /// Summary values that are not scalar measurements (histograms, images, audio, text, tensors of
    /// several elements, non-finite numbers), left out.
    public var skippedValues: Int
    /// Complete records read, over all files.
    public var records: Int
}

/// TensorBoard event files (`events.out.tfevents.*`): TFRecord framing with masked CRC-32C around
/// `Event` protobufs (decoded by swift-protobuf from `TensorBoard/Proto/tensorboard_events.proto`).
/// Scalars are `simple_value`s and one-element tensors (see `Tensorboard_Summary.Value.scalar`);
/// everything else is counted and skipped. A file that ends inside a record (a writer still
/// writing) is read up to its last complete record, with a warning; a record whose checksum does
/// not match or whose protobuf does not decode fails the whole read.
public enum TensorBoardEvents {
    /// The event files at `path`: a file as is; a directory's files whose names contain `tfevents`,
    /// in name order (TensorBoard's log directory of a run, one file per writer start).
    public static func files(at path: String) throws(ImportError) -> [TensorBoardEventFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file or directory")
        }
        var paths = [path]
        if isDirectory.boolValue {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw .unreadable(file: path, reason: "cannot list the directory")
            }
            paths = names.filter { $0.contains("tfevents") }.sorted().map {
                (path as NSString).appendingPathComponent($0)
            }
            guard !paths.isEmpty else { throw .unreadable(file: path, reason: "no events.out.tfevents.* file in it") }
        }
        return try paths.map { file throws(ImportError) in
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .unreadable(file: file, reason: "cannot read")
            }
            return TensorBoardEventFile(path: file, bytes: [UInt8](data))
        }
    }

    /// Reads the event files at `path` (see ``files(at:)``) as one run.
    public static func read(_ path: String) throws(ImportError) -> TensorBoardRun {
        try read(try files(at: path), name: path)
    }

    /// Reads event files as one run: steps merged over files and tags (a later value of a tag at a
    /// step wins); `name` names the run in the log.
    /// - Throws: ``ImportError/corrupt(file:offset:reason:)`` for a damaged record, or a step
    ///   outside 0…10^15.
    public static func read(_ files: [TensorBoardEventFile], name: String) throws(ImportError) -> TensorBoardRun {
        var steps: [Int: LoggedStep] = [:]  // merged in place: one record per tag and step is common
        var skipped = 0
        var records = 0
        var warnings: [String] = []
        for file in files {
            let framing = try TFRecords(file.bytes, file: file.path)
            for record in framing.records {
                let event: Tensorboard_Event
                do { event = try Tensorboard_Event(serializedBytes: Array(file.bytes[record.data])) } catch {
                    throw .corrupt(file: file.path, offset: record.offset, reason: "not an Event protobuf (\(error))")
                }
                guard case .summary(let summary) = event.what else { continue }
                guard (0...1_000_000_000_000_000).contains(event.step) else {
                    throw .corrupt(
                        file: file.path, offset: record.offset, reason: "step \(event.step) is not in 0…10^15")
                }
                let step = Int(event.step)
                for value in summary.value {
                    let tag = value.tag.isEmpty ? value.nodeName : value.tag
                    guard !tag.isEmpty, let number = value.scalar, number.isFinite else {
                        skipped += 1
                        continue
                    }
                    steps[step, default: LoggedStep(step: step, values: [:])].values[tag] = number
                    steps[step, default: LoggedStep(step: step, values: [:])].wallTimes[tag] = event.wallTime
                }
            }
            records += framing.records.count
            if let offset = framing.incompleteOffset {
                warnings.append(
                    "\(file.path): the record at byte offset \(offset) is incomplete (the file is still being written?): read the \(framing.records.count) complete records before it"
                )
            }
        }
        var log = TrainingLog(file: name, format: "tensorboard", records: Array(steps.values))
        log.warnings = warnings
        return TensorBoardRun(log: log, skippedValues: skipped, records: records)
    }
}
