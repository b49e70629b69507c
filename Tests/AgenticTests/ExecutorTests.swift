import Agentic
import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import Synchronization
import Testing

/// The RTV runner the executor's suites share (the executor-versus-plan test is in WorkflowsTests).
enum ExecutorTests {
    /// Runs RTV over a synthetic population against a fresh scripted server; `waits` records the
    /// client's waits between attempts. `backoff` is the client's (initial, cap) in seconds: short
    /// by default so fault tests run fast, the product's (0.5, 30) where the test measures time.
    static func rtv(
        _ population: SyntheticPopulation, seed: Int, accuracy: Double, votes: Int = 8, directory: TemporaryDirectory,
        unparseable: Double = 0, faultRate: Double = 0, timeout: Double = 30, backoff: (Double, Double) = (0.05, 1),
        retryAfter: Double = 0,
        name: String = "run",
        limit: SpendLimit = SpendLimit(), server existing: ScriptedServer? = nil, waits: WaitLog? = nil
    )
        async throws -> (result: ExecutionResult, store: Store, server: ScriptedServer)
    {
        let server =
            try existing
            ?? ScriptedServer(
                directory: directory.url, seed: seed, labels: population.serverLabels, judgeAccuracy: accuracy,
                unparseableRate: unparseable, faultRate: faultRate, slowSeconds: timeout + 1, retryAfter: retryAfter,
                name: name)
        var options = OpenAIChatClient.Options()
        options.concurrency = 8
        options.timeout = timeout
        (options.initialBackoff, options.maxBackoff) = backoff
        options.maxAttempts = 12
        if let waits {
            options.sleep = { seconds in
                waits.record(seconds)
                try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            }
        }
        let client = try OpenAIChatClient(
            endpoint: server.endpoint, model: "scripted", apiKeyVariable: nil, options: options)
        var settings = ExecutionSettings()
        settings.tournament.votes = votes
        settings.summary.includeRolloutReference = true  // the scripted judge grades by reference
        settings.seed = UInt64(seed)
        var request = ExecutionRequest(
            label: name, settings: settings, tasks: population.tasks, rollouts: population.rollouts,
            labels: population.labels)
        request.concurrentTasks = 8
        let store = try Store(path: directory.path("\(name).sqlite"))
        request.callsInFlight = options.concurrency
        let result = try await Executor.run(request, store: store, client: client, limit: limit)
        return (result, store, server)
    }
}

@Suite("Structured judge answers")
struct StructuredAnswerTests {
    /// The client asks for the judge's choice through `response_format` in the first form the
    /// endpoint accepts — OpenAI's json_schema, llama-cpp-python's json_object with a schema, else
    /// the tag protocol alone — and the run records which; the selections do not depend on it.
    @Test func theFirstAcceptedAnswerFormatIsUsedAndRecorded() async throws {
        let population = SyntheticPopulation(tasks: 6, rollouts: 4, seed: 21)
        var selections: [[String]] = []
        for (refused, expected) in [
            ([], AnswerFormat.jsonSchema), (["json_schema"], .jsonObject), (["json_schema", "json_object"], .tags),
        ] as [([String], AnswerFormat)] {
            let directory = try TemporaryDirectory()
            let server = try ScriptedServer(
                directory: directory.url, seed: 8, labels: population.serverLabels, judgeAccuracy: 0.7,
                refusedResponseFormats: refused, name: "formats")
            defer { server.stop() }
            let run = try await ExecutorTests.rtv(
                population, seed: 8, accuracy: 0.7, votes: 2, directory: directory, name: "formats", server: server)
            #expect(run.result.answerFormat == expected)
            let refusals = server.requests().filter { $0.outcome == "422" }.count
            // Only the calls sent before the first acceptance probe (at most the 8 in flight per refused form).
            #expect(refusals <= 8 * refused.count && (refused.isEmpty || refusals > 0), "\(refusals) refusals")
            selections.append(run.result.tasks.map(\.selectedRolloutID))
        }
        #expect(selections.allSatisfy { $0 == selections[0] })
    }
}

@Suite("Executor fault tolerance")
struct FaultToleranceTests {
    /// A server that drops 10 % of connections (closes the socket without answering) costs less
    /// than twice the fault-free wall time of a 20-task × 8-rollout RTV: a dropped connection is
    /// retried after the client's backoff (the product's: 0.5 s, full jitter), not after the
    /// 120 s request time-out. Every answer takes 50 ms, a model's think time, so the fault-free
    /// run is not dominated by the loopback's zero latency.
    @Test func droppedConnectionsAreRetriedPromptly() async throws {
        let population = SyntheticPopulation(tasks: 20, rollouts: 8, seed: 11)
        func run(dropping rate: Double) async throws -> (seconds: Double, selections: [String], drops: Int) {
            let directory = try TemporaryDirectory()
            let server = try ScriptedServer(
                directory: directory.url, seed: 4, labels: population.serverLabels, judgeAccuracy: 0.7,
                faultRate: rate, faultKinds: "drop", latency: 0.05, name: "drops")
            defer { server.stop() }
            let start = Date()
            let outcome = try await ExecutorTests.rtv(
                population, seed: 4, accuracy: 0.7, directory: directory, timeout: 120, backoff: (0.5, 30),
                name: "drops", server: server)
            let seconds = Date().timeIntervalSince(start)
            let drops = server.requests().filter { $0.outcome == "drop" }.count
            return (seconds, outcome.result.tasks.map(\.selectedRolloutID), drops)
        }
        let clean = try await run(dropping: 0)
        let dropped = try await run(dropping: 0.1)
        print("dropped connections: \(dropped.drops) drops, \(dropped.seconds) s vs \(clean.seconds) s fault-free")
        #expect(clean.drops == 0 && dropped.drops > 60, "about 10 % of ~1,300 requests dropped: \(dropped.drops)")
        #expect(dropped.selections == clean.selections)
        #expect(
            dropped.seconds < 2 * clean.seconds,
            "with drops \(dropped.seconds) s, fault-free \(clean.seconds) s")
    }

    /// 20 % of requests fail (429 with Retry-After, 500, time-outs, malformed JSON, dropped
    /// connections) and 20 % of judge answers are unparsable: the run completes with the same
    /// selections as a fault-free run with the same seed; re-asks and fallbacks are logged.
    @Test func faultsDoNotChangeSelections() async throws {
        let population = SyntheticPopulation(tasks: 8, rollouts: 8, seed: 42)
        let clean = try TemporaryDirectory()
        let faulty = try TemporaryDirectory()
        let reference = try await ExecutorTests.rtv(
            population, seed: 5, accuracy: 0.7, votes: 4, directory: clean, unparseable: 0.2)
        reference.server.stop()
        let waits = WaitLog()
        let stressed = try await ExecutorTests.rtv(
            population, seed: 5, accuracy: 0.7, votes: 4, directory: faulty, unparseable: 0.2,
            faultRate: 0.2, timeout: 1, retryAfter: 1, waits: waits)
        stressed.server.stop()
        #expect(stressed.result.tasks.map(\.selectedRolloutID) == reference.result.tasks.map(\.selectedRolloutID))
        #expect(stressed.result.tasks.map(\.patch) == reference.result.tasks.map(\.patch))
        let outcomes = Dictionary(grouping: stressed.server.requests(), by: \.outcome).mapValues(\.count)
        for kind in ["429", "500", "slow", "malformed", "drop"] {
            #expect((outcomes[kind] ?? 0) > 0, "fault \(kind) was injected: \(outcomes)")
        }
        let failed = outcomes.filter { $0.key != "ok" }.values.reduce(0, +)
        let total = outcomes.values.reduce(0, +)
        #expect(Double(failed) / Double(total) > 0.12, "about a fifth of the requests failed: \(outcomes)")
        // Same votes, same re-asks, same fallbacks: faults are transport retries, never re-asks.
        for (ref, got) in zip(
            try reference.store.executorTasks(label: "run"), try stressed.store.executorTasks(label: "run"))
        {
            let a = try reference.store.votes(taskRow: ref.rowID)
            let b = try stressed.store.votes(taskRow: got.rowID)
            #expect(a.count == b.count && Set(a.map(\.callID)) == Set(b.map(\.callID)))
            #expect(Set(a.map { "\($0.callID) \($0.choice ?? 0)" }) == Set(b.map { "\($0.callID) \($0.choice ?? 0)" }))
        }
        let purposes = stressed.result.judgeCalls
        #expect((purposes["re-ask"] ?? 0) > 0, "unparsable answers were re-asked: \(purposes)")
        // Each committed call was answered once: retries of a call id never reach the store twice.
        let calls = try stressed.store.llmCalls(label: "run")
        #expect(Set(calls.map(\.callID)).count == calls.count)
        #expect(calls.contains { $0.attempts > 1 }, "some calls needed transport retries")
        // A 429's Retry-After of 1 s is waited out: the client asked for a wait of exactly 1 s after
        // each 429 it received (jittered backoffs are drawn from [0, 1) s). A 429 whose answer came
        // after the client's 1 s time-out counts as a time-out, hence at most one wait per 429.
        let delays = waits.delays
        let retryAfterWaits = delays.filter { $0 == 1 }.count
        #expect(
            retryAfterWaits > 0 && retryAfterWaits <= outcomes["429"] ?? 0,
            "\(retryAfterWaits) waits of 1 s: \(outcomes)")
        // Retry waits stay bounded: none longer than max(maxBackoff, Retry-After) = 1 s, and at most
        // maxAttempts − 1 = 11 of them per committed call.
        #expect(delays.allSatisfy { (0...1).contains($0) }, "longest wait \(delays.max() ?? 0) s")
        #expect(calls.allSatisfy { (1...12).contains($0.attempts) }, "\(calls.map(\.attempts).max() ?? 0) attempts")
    }
}

@Suite("Executor spend cap and priors")
struct SpendCapAndPriorTests {
    /// A token cap stops new calls (overshooting by at most the calls in flight); rerunning with
    /// no cap resumes and ends where an uncapped run ends.
    @Test func theCapStopsNewCallsAndARerunResumes() async throws {
        let population = SyntheticPopulation(tasks: 6, rollouts: 8, seed: 8)
        let reference = try TemporaryDirectory()
        let capped = try TemporaryDirectory()
        let full = try await ExecutorTests.rtv(population, seed: 2, accuracy: 0.7, votes: 4, directory: reference)
        full.server.stop()
        let cap = 20_000
        let server = try ScriptedServer(
            directory: capped.url, seed: 2, labels: population.serverLabels, judgeAccuracy: 0.7, name: "capped")
        await #expect(throws: LLMError.self) {
            _ = try await ExecutorTests.rtv(
                population, seed: 2, accuracy: 0.7, votes: 4, directory: capped,
                limit: SpendLimit(capTokens: cap), server: server)
        }
        let store = try Store(path: capped.path("run.sqlite"))
        let calls = try store.llmCalls(label: "run")
        var total = 0
        var crossedAt: Int?
        for (i, call) in calls.enumerated() {
            total += call.promptTokens + call.completionTokens
            if crossedAt == nil && total >= cap { crossedAt = i }
        }
        let after = calls.count - 1 - (crossedAt ?? calls.count)
        #expect(
            crossedAt != nil && after <= 8, "\(after) calls committed after the cap was reached (8 in flight at most)")
        #expect(calls.count < (try full.store.llmCalls(label: "run")).count, "the capped run stopped early")
        let resumed = try await ExecutorTests.rtv(
            population, seed: 2, accuracy: 0.7, votes: 4, directory: capped, server: server)
        server.stop()
        #expect(resumed.result.tasks.map(\.selectedRolloutID) == full.result.tasks.map(\.selectedRolloutID))
        // The resumed run sent exactly the calls the capped one had not committed.
        let fullCalls = try full.store.llmCalls(label: "run")
        #expect(resumed.result.counters.sent == fullCalls.count - calls.count)
        #expect(Set(try store.llmCalls(label: "run").map(\.callID)) == Set(fullCalls.map(\.callID)))
    }

    /// PDR priors: own gives rollout i of the next iteration the summary of rollout i (natural
    /// order, r10 after r9); random gives each new rollout its own K distinct summaries.
    @Test(arguments: [PriorSelection.own, .random])
    func priorsFollowTheirMode(mode: PriorSelection) async throws {
        let dir = try TemporaryDirectory()
        let tasks = [AgentTask(taskID: "t/1", statement: "fix it", metadataJSON: "{\"solve_rate\": 0.5}")]
        let server = try ScriptedServer(directory: dir.url, seed: 1, labels: [:], judgeAccuracy: 0.7)
        defer { server.stop() }
        var settings = ExecutionSettings()
        settings.mode = .pdr
        settings.rollouts = 12
        settings.iterations = 2
        settings.priors = 3
        settings.priorSelection = mode
        settings.tournament.votes = 1
        let agent = AgentCommand(
            argv: [
                "python3", ScriptedServer.scripts.appendingPathComponent("fake_agent.py").path,
                "{task_id}", "{task_file}", "{priors_file}", "{out_dir}",
            ], timeout: 60, workDirectory: dir.path("work"))
        var request = ExecutionRequest(label: "p", settings: settings, tasks: tasks, agent: agent)
        request.agentsAtOnce = 6
        let store = try Store(path: dir.path("p.sqlite"))
        let client = try OpenAIChatClient(endpoint: server.endpoint, model: "scripted", apiKeyVariable: nil)
        let result = try await Executor.run(request, store: store, client: client)
        #expect(result.tasks[0].population == [12, 12])
        let row = try #require(try store.executorTasks(label: "p").first?.rowID)
        let priors = try store.decisions(taskRow: row).filter { $0.kind == .priors }.sorted {
            ($0.group ?? 0) < ($1.group ?? 0)
        }
        #expect(priors.count == 12)
        for (i, decision) in priors.enumerated() {
            switch mode {
            case .own: #expect(decision.chosen == ["it0-r\(i)"], "it1-r\(i) refines its own rollout")
            case .random:
                #expect(Set(decision.chosen).count == 3 && decision.chosen.allSatisfy { $0.hasPrefix("it0-r") })
            case .select: break
            }
        }
        if mode == .random { #expect(Set(priors.map(\.chosen)).count > 1, "draws differ between rollouts") }
        // The agent saw those priors: its priors file lists them.
        let work = dir.url.appendingPathComponent("work").path
        let files = (FileManager.default.enumerator(atPath: work)?.allObjects as? [String] ?? []).filter {
            $0.hasSuffix("it1-r10-\(String(StableHash.hex("it1-r10").prefix(8))).priors.json")
        }
        let file = try #require(files.first)
        let object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/" + file)))
            as! [String: Any]
        let listed = (object["priors"] as! [[String: Any]]).map { $0["rollout_id"] as! String }
        #expect(listed == priors[10].chosen)
    }
}

/// The waits a client asked for between attempts, in seconds (any order: calls run concurrently).
final class WaitLog: Sendable {
    private let recorded = Mutex<[Double]>([])

    func record(_ seconds: Double) { recorded.withLock { $0.append(seconds) } }

    var delays: [Double] { recorded.withLock { $0 } }
}
