import Domain
import Testing

@Suite("Run filter")
struct RunFilterTests {
    static let runs = [
        Run(
            id: 1, name: "easy-n8", source: .sim, rolloutsPerProblem: 8, problemsPerBatch: 32, learningRate: 1e-6,
            difficulty: .easy),
        Run(id: 2, name: "easy-n64", source: .sim, rolloutsPerProblem: 64, problemsPerBatch: 32, difficulty: .easy),
        Run(
            id: 3, name: "hard-n64", source: .verl, rolloutsPerProblem: 64, problemsPerBatch: 128, model: "Qwen2.5-7B",
            difficulty: .hard),
    ]

    static func select(_ expression: String) throws -> [Int64] {
        let filter = try RunFilter(expression)
        return runs.filter(filter.matches).compactMap(\.id)
    }

    @Test func selectsByEveryKindOfTerm() throws {
        #expect(try Self.select("") == [1, 2, 3])
        #expect(try Self.select("source=sim difficulty=easy n>=32") == [2])
        #expect(try Self.select("n=8,128") == [1])
        #expect(try Self.select("bp!=32") == [3])
        #expect(try Self.select("name~n64") == [2, 3])
        #expect(try Self.select("lr<=1e-6") == [1])
        #expect(try Self.select("model!=Qwen2.5-7B") == [1, 2])
        #expect(try Self.select("id>1  id<3") == [2])
        #expect(try RunFilter("  n>=32   source=sim ").description == "n>=32 source=sim")
        // The first operator splits key from value, so values may contain operator characters.
        #expect(
            try RunFilter("name~lr=1e-6").terms == [RunFilter.Term(key: "name", op: .contains, values: ["lr=1e-6"])])
    }

    @Test func rejectsMalformedTermsNamingThem() {
        for bad in ["n", "size=3", "n>=abc", "source>sim", "n~3", "n<3,4", "source="] {
            #expect(throws: DomainError.self, "\(bad)") { try RunFilter(bad) }
        }
        #expect {
            try RunFilter("difficulty=easy flavour=mint")
        } throws: { error in
            String(describing: error).contains("flavour")
        }
    }
}
