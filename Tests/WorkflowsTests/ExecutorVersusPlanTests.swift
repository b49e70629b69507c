import Agentic
import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import Planner
import RunStore
import Testing
import Workflows

/// The executor (Agentic) against the test-time plan (Workflows): an integration of two floors,
/// so it lives with the upper one.
@Suite("RTV executor against the planner's interval")
struct ExecutorVersusPlanTests {
    /// RTV over a synthetic population against a fresh scripted judge right on `accuracy` of mixed
    /// votes: the client and execution settings of `AgenticTests`' fault-free runs.
    static func rtv(_ population: SyntheticPopulation, seed: Int, accuracy: Double, directory: TemporaryDirectory)
        async throws -> (result: ExecutionResult, store: Store)
    {
        let server = try ScriptedServer(
            directory: directory.url, seed: seed, labels: population.serverLabels,
            judgeAccuracy: accuracy, slowSeconds: 31, name: "run")
        defer { server.stop() }
        var options = OpenAIChatClient.Options()
        options.concurrency = 8
        options.timeout = 30
        options.initialBackoff = 0.05
        options.maxBackoff = 1
        options.maxAttempts = 12
        let client = try OpenAIChatClient(
            endpoint: server.endpoint, model: "scripted", apiKeyVariable: nil,
            options: options)
        var settings = ExecutionSettings()
        settings.tournament.votes = 8
        settings.summary.includeRolloutReference = true  // the scripted judge grades by reference
        settings.seed = UInt64(seed)
        var request = ExecutionRequest(
            label: "run", settings: settings, tasks: population.tasks,
            rollouts: population.rollouts, labels: population.labels)
        request.concurrentTasks = 8
        request.callsInFlight = options.concurrency
        let store = try Store(path: directory.path("run.sqlite"))
        return (try await Executor.run(request, store: store, client: client), store)
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
            let (result, store) = try await Self.rtv(population, seed: seed, accuracy: 0.7, directory: dir)
            let evaluation = try #require(result.evaluation)
            // Counted votes per tournament: exactly V per full group, 15 groups for N = 16, G = 2.
            for (row, task) in try store.executorTasks(label: "run") {
                let votes = try store.votes(taskRow: row)
                #expect(votes.filter { $0.counted && $0.purpose == .vote }.count == 120, "\(task.taskID)")
                let ties = try store.decisions(taskRow: row)
                    .filter { $0.kind == .group && $0.method != "plurality" }
                #expect(ties.allSatisfy { $0.method == "tie-break votes" || $0.method == "seeded draw after ties" })
                #expect(
                    votes.filter { $0.purpose == .tieBreak }.count >= ties.count,
                    "every tie is logged as tie-break votes")
            }
            let counts = dir.url.appendingPathComponent("counts.csv")
            try population.countsCSV().write(to: counts, atomically: true, encoding: .utf8)
            var plan = TestTimePlanRequest(
                population: .measured(
                    files: [counts.path], system: nil, options: SolveRateImportOptions(),
                    kind: .betaBinomial),
                judge: .voteAccuracy([0.7]), inputs: .codingAgentDefaults)
            plan.fixed = try TestTimePipeline(specification: "N=16,G=2,V=8")
            plan.seed = UInt64(seed)
            let interval = try TestTimePlanWorkflow.run(plan).recommendation.interval
            let hit = interval.lower <= evaluation.selectedSuccess && evaluation.selectedSuccess <= interval.upper
            if hit { inside += 1 }
            let line = "seed %d: selected %.3f, interval %.3f–%.3f, pass@1 %.3f, oracle %.3f, judge %.3f"
            lines.append(
                String(
                    format: line, seed, evaluation.selectedSuccess, interval.lower, interval.upper,
                    evaluation.populationPassAt1, evaluation.oraclePassAtN, evaluation.voteAccuracy ?? -1))
        }
        print(lines.joined(separator: "\n"))
        #expect(inside >= 8, "\(inside) of 10 seeds inside the interval:\n\(lines.joined(separator: "\n"))")
    }
}
