import Foundation
import ParserTargets

/// The target named by `ISOPLAN_FUZZ_TARGET` and this process's scratch directory.
enum Fuzzing {
    static let target: ParserTarget = {
        let name = ProcessInfo.processInfo.environment["ISOPLAN_FUZZ_TARGET"] ?? ""
        guard let target = ParserTarget(rawValue: name) else {
            let names = ParserTarget.allCases.map(\.rawValue).joined(separator: ", ")
            fatalError("set ISOPLAN_FUZZ_TARGET to one of: \(names)")
        }
        return target
    }()

    static let scratch: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return URL(fileURLWithPath: base).appendingPathComponent("isoplan-fuzz-\(getpid())")
    }()
}

/// libFuzzer's entry: one input through the target's parser; a broken error rule is a crash too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let outcome = Fuzzing.target.run(bytes, scratch: Fuzzing.scratch)
    if let violation = Fuzzing.target.violation(of: outcome, scratch: Fuzzing.scratch) {
        fatalError(violation)
    }
    return 0
}
