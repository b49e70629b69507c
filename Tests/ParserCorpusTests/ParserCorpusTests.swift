import Foundation
import ParserTargets
import Testing

/// The fuzzers' minimised corpora (`Corpus/<target>/`, written by `make fuzz`) replayed through
/// their parsers: no input traps, and every refusal keeps the error rule. A bug the fuzzer found
/// stays fixed because its input is in the corpus.
@Suite("Parser corpora")
struct ParserCorpusTests {
    static let corpus = Bundle.module.resourceURL!.appendingPathComponent("Corpus")

    /// The inputs committed for `target`, by file name.
    static func inputs(_ target: ParserTarget) throws -> [(name: String, bytes: [UInt8])] {
        let directory = corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: directory.appendingPathComponent($0)))) }
    }

    @Test(arguments: ParserTarget.allCases)
    func everyCommittedInputIsAcceptedOrRefusedByTheRule(_ target: ParserTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 10, "a minimised corpus for \(target.rawValue)")
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("isoplan-corpus-\(target.rawValue)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var refused = 0
        for (name, bytes) in inputs {
            let outcome = target.run(bytes, scratch: scratch)
            if case .refused = outcome { refused += 1 }
            let violation = target.violation(of: outcome, scratch: scratch)
            #expect(violation == nil, "\(target.rawValue)/\(name): \(violation ?? "")")
        }
        print("\(target.rawValue): \(inputs.count) inputs, \(inputs.count - refused) accepted, \(refused) refused")
    }
}
