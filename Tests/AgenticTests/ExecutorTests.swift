import Agentic
import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Planner
import RunStore
import Testing
import Workflows

@Suite("RTV executor against the scripted judge")
struct ExecutorTests {
    /// Runs RTV over a synthetic population against a fresh scripted server.
    static func rtv(_ population: SyntheticPopulation, seed: Int, accuracy: Double, votes: Int = 8, directory: TemporaryDirectory,
                    unparseable: Double = 0, faultRate: Double = 0, timeout: Double = 30, name: String = "run")
        async throws -> (result: ExecutionResult, store: Store, server: ScriptedServer) {
        let server = try ScriptedServer(directory: directory.url, seed: seed, labels: population.serverLabels, judgeAccuracy: accuracy,
                                        unparseableRate: unparseable, faultRate: faultRate, slowSeconds: timeout + 1, name: name)
        var options = OpenAIChatClient.Options()
        options.concurrency = 8
        options.timeout = timeout
        options.initialBackoff = 0.05
        options.maxBackoff = 1
        options.maxAttempts = 12
        let client = try OpenAIChatClient(endpoint: server.endpoint, model: "scripted", apiKeyVariable: nil, options: options)
        var settings = ExecutionSettings()
        settings.tournament.votes = votes
        settings.seed = UInt64(seed)
        var request = ExecutionRequest(label: name, settings: settings, tasks: population.tasks, rollouts: population.rollouts,
                                       labels: population.labels)
        request.concurrentTasks = 8
        let store = try Store(path: directory.path("\(name).sqlite"))
        let result = try await Executor.run(request, store: store, client: client)
        return (result, store, server)
    }

    /// Done-when 1: 30 tasks × 16 rollouts with solve rates from Beta(0.2, 0.2), a judge right on
    /// 70 % of mixed votes: the selected success lies in `plan tts`'s 95 % predictive interval for
    /// at least 8 of 10 seeds; every tournament counts V·(N − 1)/(G − 1) = 120 votes.
    @Test func selectedSuccessFallsInThePlannersInterval() async throws {
        var inside = 0
        var lines: [String] = []
        for seed in 0..<10 {
            let dir = try TemporaryDirectory()
            let population = SyntheticPopulation(tasks: 30, rollouts: 16, seed: UInt64(seed))
            let (result, store, server) = try await Self.rtv(population, seed: seed, accuracy: 0.7, directory: dir)
            server.stop()
            let evaluation = try #require(result.evaluation)
            // Counted votes per tournament: exactly V per full group, 15 groups for N = 16, G = 2.
            for (row, task) in try store.executorTasks(label: "run") {
                let votes = try store.votes(taskRow: row)
                #expect(votes.filter { $0.counted && $0.purpose == .vote }.count == 120, "\(task.taskID)")
                let ties = try store.decisions(taskRow: row).filter { $0.kind == .group && $0.method != "plurality" }
                #expect(ties.allSatisfy { $0.method == "tie-break votes" || $0.method == "seeded draw after ties" })
                #expect(votes.filter { $0.purpose == .tieBreak }.count >= ties.count, "every tie is logged as tie-break votes")
            }
            let counts = dir.url.appendingPathComponent("counts.csv")
            try population.countsCSV().write(to: counts, atomically: true, encoding: .utf8)
            var plan = TestTimePlanRequest(population: .measured(files: [counts.path], system: nil, options: SolveRateImportOptions(), kind: .betaBinomial),
                                           judge: .voteAccuracy(0.7), inputs: .codingAgentDefaults)
            plan.fixed = try TestTimePipeline(specification: "N=16,G=2,V=8")
            plan.seed = UInt64(seed)
            let interval = try TestTimePlanWorkflow.run(plan).recommendation.interval
            let hit = interval.lower <= evaluation.selectedSuccess && evaluation.selectedSuccess <= interval.upper
            if hit { inside += 1 }
            lines.append(String(format: "seed %d: selected %.3f, interval %.3f–%.3f, pass@1 %.3f, oracle %.3f, judge %.3f", seed,
                                evaluation.selectedSuccess, interval.lower, interval.upper, evaluation.populationPassAt1,
                                evaluation.oraclePassAtN, evaluation.voteAccuracy ?? -1))
        }
        print(lines.joined(separator: "\n"))
        #expect(inside >= 8, "\(inside) of 10 seeds inside the interval:\n\(lines.joined(separator: "\n"))")
    }
}

@Suite("Executor fault tolerance")
struct FaultToleranceTests {
    /// 20 % of requests fail (429 with Retry-After, 500, time-outs, malformed JSON, dropped
    /// connections) and 20 % of judge answers are unparsable: the run completes with the same
    /// selections as a fault-free run with the same seed; re-asks and fallbacks are logged.
    @Test func faultsDoNotChangeSelections() async throws {
        let population = SyntheticPopulation(tasks: 8, rollouts: 8, seed: 42)
        let clean = try TemporaryDirectory(), faulty = try TemporaryDirectory()
        let reference = try await ExecutorTests.rtv(population, seed: 5, accuracy: 0.7, votes: 4, directory: clean, unparseable: 0.2)
        reference.server.stop()
        let stressed = try await ExecutorTests.rtv(population, seed: 5, accuracy: 0.7, votes: 4, directory: faulty, unparseable: 0.2,
                                                   faultRate: 0.2, timeout: 1)
        stressed.server.stop()
        #expect(stressed.result.tasks.map(\.selectedRolloutID) == reference.result.tasks.map(\.selectedRolloutID))
        #expect(stressed.result.tasks.map(\.patch) == reference.result.tasks.map(\.patch))
        let outcomes = Dictionary(grouping: stressed.server.requests(), by: \.outcome).mapValues(\.count)
        for kind in ["429", "500", "slow", "malformed", "drop"] { #expect((outcomes[kind] ?? 0) > 0, "fault \(kind) was injected: \(outcomes)") }
        let failed = outcomes.filter { $0.key != "ok" }.values.reduce(0, +), total = outcomes.values.reduce(0, +)
        #expect(Double(failed) / Double(total) > 0.12, "about a fifth of the requests failed: \(outcomes)")
        // Same votes, same re-asks, same fallbacks: faults are transport retries, never re-asks.
        for (ref, got) in zip(try reference.store.executorTasks(label: "run"), try stressed.store.executorTasks(label: "run")) {
            let a = try reference.store.votes(taskRow: ref.rowID), b = try stressed.store.votes(taskRow: got.rowID)
            #expect(a.count == b.count && Set(a.map(\.callID)) == Set(b.map(\.callID)))
            #expect(Set(a.map { "\($0.callID) \($0.choice ?? 0)" }) == Set(b.map { "\($0.callID) \($0.choice ?? 0)" }))
        }
        let purposes = stressed.result.judgeCalls
        #expect((purposes["re-ask"] ?? 0) > 0, "unparsable answers were re-asked: \(purposes)")
        // Each committed call was answered once: retries of a call id never reach the store twice.
        let calls = try stressed.store.llmCalls(label: "run")
        #expect(Set(calls.map(\.callID)).count == calls.count)
        #expect(calls.contains { $0.attempts > 1 }, "some calls needed transport retries")
    }
}
