import Agentic
import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import Testing

/// A real model end to end: SmolLM2-135M-Instruct behind llama-cpp-python's OpenAI-compatible
/// server writes the summaries and judges an RTV over 4 tasks × 4 rollouts. The model is weak, so
/// unparsable answers, re-asks and seeded fallbacks happen for real; the test checks that the
/// executor copes and records them, not what the model says.
@Suite("Real model end to end")
struct RealModelTests {
    // Skipped without the server under a plain `swift test`; required under `make test`
    // (ISOPLAN_REQUIRE_EXTERNAL=1), where the #require below fails when it is missing.
    @Test(
        .enabled(
            if: ExternalPrerequisite.shouldRun(available: LocalLLMServer.isInstalled),
            "the llama.cpp server is not installed: `make test` builds it (Tests/LLMServer/setup.sh)"))
    func smolLMSummarisesAndJudgesAnRTV() async throws {
        try #require(
            LocalLLMServer.isInstalled,
            "the llama.cpp server is not installed: run `make test` (it runs Tests/LLMServer/setup.sh first)")
        let dir = try TemporaryDirectory("isoplan-llm")
        let key = "sk-local-\(UUID().uuidString)"
        let server = try await LocalLLMServer(apiKey: key, logDirectory: dir.url)
        defer { server.stop() }
        var options = OpenAIChatClient.Options()
        options.concurrency = 1  // the server answers one request at a time
        options.timeout = 180
        options.maxAttempts = 3
        let client = try OpenAIChatClient(
            endpoint: server.endpoint, model: "smollm2-135m-instruct", apiKeyVariable: "LLM_KEY",
            options: options, environment: ["LLM_KEY": key])
        var settings = ExecutionSettings()
        settings.tournament.votes = 2
        settings.tournament.maxReasks = 1
        settings.tournament.maxTieBreakVotes = 1
        settings.tournament.judgeMaxTokens = 48
        settings.summary.contextCharacters = 2_500
        settings.summary.maxTokens = 120
        settings.summary.maxSummaryCharacters = 700
        settings.seed = 7
        let population = SyntheticPopulation(tasks: 4, rollouts: 4, alpha: 1, beta: 1, seed: 9, taskPrefix: "smol")
        let store = try Store(path: dir.path("llm.sqlite"))
        let request = ExecutionRequest(
            label: "smol", settings: settings, tasks: population.tasks, rollouts: population.rollouts,
            labels: population.labels)
        let start = Date()
        let result = try await Executor.run(request, store: store, client: client)
        let seconds = Date().timeIntervalSince(start)

        #expect(result.tasks.count == 4)
        var votes: [JudgeVote] = []
        for (row, task) in try store.executorTasks(label: "smol") {
            let mine = try store.votes(taskRow: row)
            votes += mine
            let winner = try #require(result.tasks.first { $0.taskID == task.taskID }?.selectedRolloutID)
            #expect((0..<4).map { "r\($0)" }.contains(winner))
            // 3 groups × 2 slots: each slot ends in exactly one counted vote or one fallback.
            let groups = try store.decisions(taskRow: row).filter { $0.kind == .group }
            #expect(groups.count == 3)
            for decision in groups {
                let slots = mine.filter {
                    $0.round == decision.round && $0.group == decision.group && $0.voteIndex < settings.tournament.votes
                }
                let ends = Dictionary(grouping: slots, by: \.voteIndex).mapValues { records in
                    records.filter { $0.counted }.count + records.filter { $0.purpose == .fallback }.count
                }
                #expect(ends.count == 2 && ends.values.allSatisfy { $0 == 1 }, "\(ends)")
            }
            for rollout in try store.rollouts(taskRow: row, iteration: 0) {
                #expect(!(try store.summary(rolloutRow: rollout.rowID) ?? "").isEmpty, "every rollout has a summary")
            }
        }
        let calls = try store.llmCalls(label: "smol")
        #expect(calls.allSatisfy { $0.promptTokens > 0 && $0.latency > 0 }, "usage and latency recorded")
        #expect(calls.filter { $0.purpose == "summary" }.count == 16)
        let firstAsks = votes.filter { $0.attempt == 0 && $0.purpose != .fallback }
        let unparsed = firstAsks.filter { !$0.counted }.count
        let reasks = votes.filter { $0.purpose == .reask }.count
        let fallbacks = votes.filter { $0.purpose == .fallback }.count
        print(
            "SmolLM2-135M (\(result.answerFormat?.rawValue ?? "-")): \(calls.count) calls in \(Int(seconds)) s; \(firstAsks.count) first asks, \(unparsed) unparsable, \(reasks) re-asks, \(fallbacks) fallbacks; selected success \(result.evaluation.map { String($0.selectedSuccess) } ?? "-")"
        )
        #expect(reasks == unparsed, "every unparsable first answer was re-asked (max-reasks 1)")
        // llama-cpp-python's server refuses OpenAI's json_schema form and takes json_object with a
        // schema; constrained that way even the 135M model answers {"choice": k}.
        #expect(result.answerFormat == .jsonObject)
        #expect(
            Double(firstAsks.count - unparsed) >= 0.95 * Double(firstAsks.count), "\(unparsed) of \(firstAsks.count)")
        // The key never reached the store.
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("llm.sqlite")))
        #expect(data.range(of: Data(key.utf8)) == nil)
    }
}
