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

    /// The inputs of the bugs the fuzzers found (`regression-…`), each refused with its fix's
    /// message rather than a trap or a multi-line error.
    @Test(arguments: [
        (ParserTarget.tasks, "regression-metadata-not-an-object", "metadata must be a JSON object"),
        (.labels, "regression-newline-in-header", #"rollout\nid"#),
        (.manifest, "regression-newline-in-header", #"fi\nle"#),
        (.metricCSV, "regression-newline-in-header", #"st\nep"#),
        (.miniSWEAgentPredictions, "regression-newline-in-header", #"tri\nals"#),
        (.simulationParameters, "regression-empty-file", "parameters.json: not valid JSON"),
    ])
    func theFuzzersFindingsAreRefusedByTheirFixes(_ target: ParserTarget, name: String, message: String) throws {
        let bytes = try #require(try Self.inputs(target).first { $0.name == name }, "\(target.rawValue)/\(name)").bytes
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("isoplan-regression-\(target.rawValue)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outcome = target.run(bytes, scratch: scratch)
        guard case .refused(let refusal) = outcome else {
            Issue.record("\(target.rawValue)/\(name) was accepted")
            return
        }
        #expect(refusal.contains(message), "\(refusal)")
        #expect(target.violation(of: outcome, scratch: scratch) == nil)
    }
}
