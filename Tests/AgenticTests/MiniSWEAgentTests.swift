import Agentic
import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import RunStore
import Testing

/// mini-SWE-agent as PDR's agent, end to end: `isoplan agent mini-swe-agent` (the built binary)
/// runs the real mini (`Tests/MiniSWEAgent`) with SmolLM2-135M behind the local llama.cpp server
/// on the two project-written repository tasks of `Fixtures/MiniSWETasks`; the executor imports
/// the trajectories, the hidden tests grade them, SmolLM2 summarises and judges, and iteration 1
/// receives iteration 0's selected summary. The model rarely fixes anything: the test checks the
/// loop, not the model.
@Suite("mini-SWE-agent as PDR's agent")
struct MiniSWEAgentTests {
    static var prerequisites: Bool { LocalLLMServer.isInstalled && MiniSWEAgentInstall.isInstalled }

    @Test(
        .enabled(
            if: ExternalPrerequisite.shouldRun(available: prerequisites),
            "mini-SWE-agent or the llama.cpp server is not installed: `make test` installs both (Tests/MiniSWEAgent/setup.sh, Tests/LLMServer/setup.sh)"
        ))
    func pdrRunsMiniSWEAgentOnRepositoryTasks() async throws {
        try #require(
            Self.prerequisites,
            "mini-SWE-agent or the llama.cpp server is not installed: run `make test` (it runs both setup scripts first)"
        )
        let dir = try TemporaryDirectory("isoplan-mini-e2e")
        // Keyless: the adapter's key handling is checked with a stand-in mini (MiniSWEAgentAdapterTests).
        let server = try await LocalLLMServer(apiKey: nil, logDirectory: dir.url, contextTokens: 4_096)
        defer { server.stop() }
        let fixtures = MiniSWEAgentAdapterTests.fixtures
        let tasks = try AgentRollouts.tasks(fixtures.appendingPathComponent("tasks.jsonl").path)
        let agent = AgentCommand(
            argv: [
                try CommandRunner.isoplanURL().path, "agent", "mini-swe-agent", "--task-file", "{task_file}",
                "--priors-file", "{priors_file}", "--out-dir", "{out_dir}", "--endpoint",
                server.endpoint.absoluteString,
                "--model", "smollm2-135m-instruct", "--mini", MiniSWEAgentInstall.mini.path, "--repo-root",
                fixtures.path, "--step-limit", "2", "--max-tokens", "64", "--test-timeout", "120",
            ], timeout: 900, workDirectory: dir.path("work"))
        var options = OpenAIChatClient.Options()
        options.concurrency = 1  // the server answers one request at a time
        options.timeout = 300
        options.maxAttempts = 3
        let client = try OpenAIChatClient(
            endpoint: server.endpoint, model: "smollm2-135m-instruct", apiKeyVariable: nil, options: options)
        var settings = ExecutionSettings()
        settings.mode = .pdr
        settings.rollouts = 2
        settings.iterations = 2
        settings.priors = 1
        settings.priorSelection = .select
        settings.tournament.votes = 1
        settings.tournament.maxReasks = 1
        settings.tournament.maxTieBreakVotes = 1
        settings.tournament.judgeMaxTokens = 24
        settings.summary.contextCharacters = 2_500
        settings.summary.maxTokens = 80
        settings.summary.maxSummaryCharacters = 600
        settings.seed = 5
        var request = ExecutionRequest(label: "mini", settings: settings, tasks: tasks, agent: agent)
        // One agent at a time: the server keeps one prompt's cache, which a rollout's next step reuses.
        request.agentsAtOnce = 1
        let store = try Store(path: dir.path("mini.sqlite"))
        let start = Date()
        let result = try await Executor.run(request, store: store, client: client)
        let seconds = Date().timeIntervalSince(start)

        #expect(result.tasks.map(\.taskID).sorted() == ["calc-add", "textstats-words"])
        var graded = 0
        var resolved = 0
        var statuses: [String] = []
        for (row, task) in try store.executorTasks(label: "mini") {
            let outcome = try #require(result.tasks.first { $0.taskID == task.taskID })
            #expect(outcome.population == [2, 2])
            #expect(outcome.selectedRolloutID.hasPrefix("it1-"), "the final pick is among iteration 1's rollouts")
            let selected = try #require(
                try store.decisions(taskRow: row).first { $0.kind == .priors && $0.iteration == 0 }?.chosen.first)
            for iteration in 0..<2 {
                for stored in try store.rollouts(taskRow: row, iteration: iteration) {
                    let rollout = stored.rollout
                    statuses.append(rollout.exitStatus ?? "-")
                    // mini ran and its trajectory was imported (not the executor's failure record).
                    #expect(stored.agentExitCode == 0, "\(rollout.messages.last?.content.suffix(300) ?? "")")
                    #expect(rollout.messages.first?.content.contains("software engineering agent") == true)
                    #expect(rollout.source.hasSuffix(AgentCommand.safeName(rollout.rolloutID)))
                    // Graded by really running the hidden test against the agent's working copy.
                    let log = try String(
                        contentsOfFile: rollout.source + "/hidden-test.log", encoding: .utf8)
                    #expect(log.contains("Ran "))
                    #expect(rollout.resolved == log.hasSuffix("OK\n"), "\(log.suffix(200))")
                    graded += rollout.resolved == nil ? 0 : 1
                    resolved += rollout.resolved == true ? 1 : 0
                    #expect(!(try store.summary(rolloutRow: stored.rowID) ?? "").isEmpty, "every rollout is summarised")
                    // Iteration 1's task text holds iteration 0's selected summary; iteration 0's has no priors.
                    let taskText = rollout.messages.first { $0.role == "user" }?.content ?? ""
                    if iteration == 0 {
                        #expect(taskText.hasPrefix(task.statement) && !taskText.contains("## Previous attempts"))
                    } else {
                        let prior = try #require(
                            try store.rollouts(taskRow: row, iteration: 0).first { $0.rollout.rolloutID == selected })
                        let summary = try #require(try store.summary(rolloutRow: prior.rowID))
                        #expect(taskText.contains("## Previous attempts"))
                        #expect(taskText.contains(summary.trimmingCharacters(in: .whitespacesAndNewlines)))
                    }
                }
            }
            #expect(try store.decisions(taskRow: row).contains { $0.kind == .final })
        }
        #expect(graded == 8, "every rollout graded by its hidden test")
        let calls = try store.llmCalls(label: "mini")
        print(
            "mini-SWE-agent PDR: 8 agent runs in \(Int(seconds)) s; exit statuses \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count)); \(resolved) of 8 resolved; \(calls.count) judge-side calls"
        )
    }
}
