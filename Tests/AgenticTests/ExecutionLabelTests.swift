import Agentic
import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import Testing

/// What a label pins and who may run it.
@Suite("Execution labels: settings pinned by the first committed call, one run at a time")
struct ExecutionLabelTests {
    static func execute(
        _ population: SyntheticPopulation, server: ScriptedServer, endpoint: URL, model: String, store: Store
    ) async throws -> ExecutionResult {
        let client = try OpenAIChatClient(endpoint: endpoint, model: model, apiKeyVariable: nil)
        var settings = ExecutionSettings()
        settings.tournament.votes = 2
        settings.summary.includeRolloutReference = true
        let request = ExecutionRequest(
            label: "pin", settings: settings, tasks: population.tasks, rollouts: population.rollouts,
            labels: population.labels)
        return try await Executor.run(request, store: store, client: client)
    }

    /// A mistyped model refused with 404 commits nothing, so the corrected rerun may change the
    /// model; once a call is committed, the label's settings are fixed.
    @Test func aStartRefusedBeforeAnyCallDoesNotPinTheLabel() async throws {
        let directory = try TemporaryDirectory()
        let population = SyntheticPopulation(tasks: 3, rollouts: 4, seed: 5)
        let server = try ScriptedServer(
            directory: directory.url, seed: 1, labels: population.serverLabels, judgeAccuracy: 0.8)
        defer { server.stop() }
        let store = try Store(path: directory.path("pin.sqlite"))
        let wrong = server.endpoint.appendingPathComponent("no-such-route")
        await #expect(throws: LLMError.self) {
            try await Self.execute(population, server: server, endpoint: wrong, model: "mistyped", store: store)
        }
        #expect(try store.llmCalls(label: "pin").isEmpty)
        let result = try await Self.execute(
            population, server: server, endpoint: server.endpoint, model: "scripted", store: store)
        #expect(result.tasks.count == 3)
        #expect(try store.executorTasks(label: "pin").count == 3)
        let changed = await #expect(throws: ExecutorError.self) {
            try await Self.execute(population, server: server, endpoint: server.endpoint, model: "other", store: store)
        }
        #expect(changed?.description.contains("other settings") == true)
    }

    /// The lock is exclusive per label and store, released with its value, and independent
    /// across labels.
    @Test func aLabelIsLockedByOneRunAtATime() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.path("lock.sqlite"))
        var first: ExecutionLock? = try store.lockExecution(label: "a")
        let refused = #expect(throws: StoreError.self) { try store.lockExecution(label: "a") }
        #expect(refused == .executionInUse(path: store.path, label: "a", holder: getpid()))
        let other = try store.lockExecution(label: "b")
        first = nil
        // Released at once, unless another test of this process was spawning a subprocess at that
        // moment: its child shares the descriptor table until it execs (O_CLOEXEC closes it then),
        // so allow a spawn's few milliseconds before insisting.
        var again: ExecutionLock?
        for _ in 0..<50 where again == nil {
            again = try? store.lockExecution(label: "a")
            if again == nil { usleep(20_000) }
        }
        #expect(again != nil, "the label stayed locked after its lock was released")
        withExtendedLifetime((first, other, again)) {}
    }
}
