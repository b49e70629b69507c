public import Domain
import Foundation
public import RunStore
import Synchronization

/// What an execution does: RTV over given rollouts, or PDR (iterations of new rollouts from an
/// agent command, conditioned on priors) followed by a final RTV.
public struct ExecutionSettings: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Codable { case rtv, pdr }

    public var mode: Mode = .rtv
    public var tournament = TournamentSettings()
    public var summary = SummaryOptions()
    public var summaryTemperature = 0.0
    /// PDR: new rollouts per iteration N, iterations T (including iteration 0), priors K.
    public var rollouts = 16
    public var iterations = 2
    public var priors = 4
    public var priorSelection: PriorSelection = .select
    public var seed: UInt64 = 0

    public init() {}

    /// Checks the ranges every run needs.
    public func validate() throws(ExecutorError) {
        guard tournament.groupSize >= 2 && tournament.groupSize <= 16 else {
            throw .invalid("the group size G must lie in 2…16")
        }
        guard tournament.votes >= 1 && tournament.votes <= 64 else { throw .invalid("the votes V must lie in 1…64") }
        guard tournament.maxReasks >= 0 && tournament.maxReasks <= 5 else { throw .invalid("re-asks must lie in 0…5") }
        guard tournament.maxTieBreakVotes >= 0 && tournament.maxTieBreakVotes <= 16 else {
            throw .invalid("tie-break votes must lie in 0…16")
        }
        if mode == .pdr {
            guard rollouts >= 1 && rollouts <= 256 else {
                throw .invalid("the rollouts per iteration N must lie in 1…256")
            }
            guard iterations >= 1 && iterations <= 8 else { throw .invalid("the iterations T must lie in 1…8") }
            guard priors >= 1 && priors <= 16 else { throw .invalid("the priors K must lie in 1…16") }
        }
    }
}

/// The inputs of an execution.
public struct ExecutionRequest: Sendable {
    /// Names the execution in the store: rerunning the same label resumes it.
    public var label: String
    public var settings: ExecutionSettings
    public var tasks: [AgentTask]
    /// Existing (iteration-0) rollouts; PDR runs the agent for iteration 0 of tasks that have none.
    public var rollouts: [AgentRollout]
    /// Grades of rollouts, `[task_id, rollout_id] → resolved`, for evaluation.
    public var labels: [[String]: Bool]
    public var agent: AgentCommand?
    /// Tasks worked on at once.
    public var concurrentTasks = 4
    /// LLM calls in flight at once (the client's concurrency): the spend cap's overshoot bound.
    public var callsInFlight = 4
    /// Agent command runs at once, over all tasks.
    public var agentsAtOnce = 4

    public init(
        label: String, settings: ExecutionSettings, tasks: [AgentTask], rollouts: [AgentRollout] = [],
        labels: [[String]: Bool] = [:], agent: AgentCommand? = nil
    ) {
        self.label = label
        self.settings = settings
        self.tasks = tasks
        self.rollouts = rollouts
        self.labels = labels
        self.agent = agent
    }
}

/// One task's outcome.
public struct TaskResult: Sendable, Codable, Equatable {
    public var taskID: String
    public var selectedRolloutID: String
    public var patch: String
    /// Rollouts per iteration.
    public var population: [Int]
    /// With labels: the selected rollout's grade, the final population's mean (pass@1) and
    /// whether any of it passes (oracle pass@N).
    public var selectedResolved: Bool?
    public var populationPassAt1: Double?
    public var oraclePass: Bool?
}

/// What an execution reports.
public struct ExecutionResult: Sendable, Codable {
    public var label: String
    public var tasks: [TaskResult]
    public var counters: ExecutionCounters
    public var evaluation: EvaluationSummary?
    /// Judge calls by purpose (vote, tie-break, re-ask) and the fallbacks recorded.
    public var judgeCalls: [String: Int]
    /// What the caller should know about its inputs (e.g. labels that grade only some rollouts).
    public var warnings: [String] = []
    /// How this run asked for the judge's choice (`nil` when every judge answer came from the store).
    public var answerFormat: AnswerFormat?
}

/// Evaluation over the graded tasks.
public struct EvaluationSummary: Sendable, Codable, Equatable {
    public var gradedTasks: Int
    public var populationPassAt1: Double
    public var oraclePassAtN: Double
    public var selectedSuccess: Double
    /// Counted votes on mixed groups and how many picked a passing candidate.
    public var mixedGroups: Int
    public var mixedVotes: Int
    public var correctMixedVotes: Int
    public var voteAccuracy: Double? { mixedVotes > 0 ? Double(correctMixedVotes) / Double(mixedVotes) : nil }
}

/// Runs executions: summaries, RTV, PDR, with every result committed before it is used.
public enum Executor {
    public static func run(
        _ request: ExecutionRequest, store: Store, client: any LLMClient, limit: SpendLimit = SpendLimit(),
        progress: any ProgressReporter = SilentProgress()
    ) async throws -> ExecutionResult {
        try request.settings.validate()
        if request.settings.mode == .pdr && request.agent == nil {
            throw ExecutorError.invalid("PDR needs an agent command")
        }
        for task in request.tasks { try task.validate() }
        let lock = try store.lockExecution(label: request.label)
        defer { withExtendedLifetime(lock) {} }
        let rolloutsByTask = Dictionary(grouping: request.rollouts, by: \.taskID)
        if request.settings.mode == .rtv {
            for task in request.tasks where (rolloutsByTask[task.taskID] ?? []).isEmpty {
                throw ExecutorError.invalid("task \(task.taskID) has no rollouts to select from")
            }
        }
        let fingerprint = configurationText(request, model: client.model)
        let stored = try store.executionConfiguration(label: request.label, recording: fingerprint)
        guard stored == fingerprint else {
            throw ExecutorError.changedConfiguration(label: request.label, detail: "stored \(stored)")
        }
        progress.begin("tasks", total: request.tasks.count)
        defer { progress.end() }
        let tasksDone = Mutex(0)
        let agentSlots = AsyncSemaphore(permits: max(1, request.agentsAtOnce))
        let llm = try CachedLLM(
            client: client, store: store, label: request.label, limit: limit, sendSlots: request.callsInFlight
        ) { counters in
            progress.status(
                String(
                    format:
                        "%d tasks done, %d rollouts (%d agent runs), %d LLM calls (%d from the store), %@ tokens, $%.2f",
                    tasksDone.withLock { $0 }, counters.rollouts, counters.agentRuns, counters.sent + counters.cached,
                    counters.cached,
                    compactCount(counters.promptTokens + counters.completionTokens), counters.dollars))
        }
        let results = try await withThrowingTaskGroup(of: TaskResult.self) { group in
            var pending = request.tasks.makeIterator()
            var running = 0
            var results: [TaskResult] = []
            func startNext() -> Bool {
                guard let task = pending.next() else { return false }
                group.addTask {
                    try await runTask(
                        task, request: request, initial: rolloutsByTask[task.taskID] ?? [], store: store, llm: llm,
                        agentSlots: agentSlots)
                }
                return true
            }
            while running < max(1, request.concurrentTasks), startNext() { running += 1 }
            while let result = try await group.next() {
                results.append(result)
                tasksDone.withLock { $0 += 1 }
                llm.update { $0.tasksDone += 1 }
                progress.advance(by: 1)
                if !startNext() { running -= 1 }
            }
            return results
        }
        let order = Dictionary(uniqueKeysWithValues: request.tasks.enumerated().map { ($0.element.taskID, $0.offset) })
        let sorted = results.sorted { order[$0.taskID]! < order[$1.taskID]! }
        let evaluation = try evaluate(sorted, label: request.label, store: store)
        var judgeCalls: [String: Int] = [:]
        for (row, _) in try store.executorTasks(label: request.label) {
            for vote in try store.votes(taskRow: row) { judgeCalls[vote.purpose.rawValue, default: 0] += 1 }
        }
        var result = ExecutionResult(
            label: request.label, tasks: sorted, counters: llm.counters.withLock { $0 }, evaluation: evaluation,
            judgeCalls: judgeCalls)
        result.answerFormat = client.answerFormat
        return result
    }

    /// The settings that must not change under a label (they shape every call).
    static func configurationText(_ request: ExecutionRequest, model: String) -> String {
        struct Fingerprint: Encodable {
            var model: String
            var settings: ExecutionSettings
            var agent: [String]?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data =
            (try? encoder.encode(Fingerprint(model: model, settings: request.settings, agent: request.agent?.argv)))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func runTask(
        _ task: AgentTask, request: ExecutionRequest, initial: [AgentRollout], store: Store, llm: CachedLLM,
        agentSlots: AsyncSemaphore
    ) async throws -> TaskResult {
        let settings = request.settings
        let taskRow = try store.executorTask(label: request.label, task)
        let context = TaskContext(
            label: request.label, seed: settings.seed, taskRow: taskRow, task: task, store: store, llm: llm,
            settings: settings.tournament)
        for var rollout in initial where rollout.iteration == 0 {
            if let label = request.labels[[task.taskID, rollout.rolloutID]] { rollout.resolved = label }
            try store.insertRollout(taskRow: taskRow, rollout)
        }
        let iterations = settings.mode == .pdr ? settings.iterations : 1
        var population: [Int] = []
        var priorsFor: [String: [String]] = [:]  // new rollout id → prior rollout ids
        var previousSummaries: [String: String] = [:]
        for t in 0..<iterations {
            var rollouts = try store.rollouts(taskRow: taskRow, iteration: t)
            // PDR: iteration 0 from the agent when no rollouts were given (filling in any an
            // interrupted run left missing), every later iteration from the agent.
            if settings.mode == .pdr && (t > 0 || !initial.contains { $0.iteration == 0 }) {
                rollouts = try await ensureAgentRollouts(
                    task: task, taskRow: taskRow, iteration: t, count: settings.rollouts,
                    priors: priorsFor, summaries: previousSummaries, request: request, store: store,
                    llm: llm, slots: agentSlots)
            }
            rollouts = try gradeUngraded(
                rollouts, of: task, iteration: t, taskRow: taskRow, labels: request.labels, store: store)
            guard !rollouts.isEmpty else {
                throw ExecutorError.invalid("task \(task.taskID) has no rollouts at iteration \(t)")
            }
            population.append(rollouts.count)
            llm.update { $0.rollouts += rollouts.count }
            let summaries = try await summarize(
                rollouts, context: context, iteration: t, options: settings.summary,
                temperature: settings.summaryTemperature)
            if t < iterations - 1 {
                priorsFor = try await choosePriors(
                    rollouts.map(\.rollout.rolloutID), summaries: summaries, iteration: t,
                    context: context, settings: settings)
                previousSummaries = summaries
            }
            if t == iterations - 1 {
                let selected = try await finalSelection(rollouts, summaries: summaries, iteration: t, context: context)
                let grades = rollouts.compactMap(\.rollout.resolved)
                let graded = grades.count == rollouts.count && !rollouts.isEmpty
                return TaskResult(
                    taskID: task.taskID, selectedRolloutID: selected.rolloutID, patch: selected.finalPatch,
                    population: population, selectedResolved: selected.resolved,
                    populationPassAt1: graded ? Double(grades.filter { $0 }.count) / Double(grades.count) : nil,
                    oraclePass: graded ? grades.contains(true) : nil)
            }
        }
        fatalError("unreachable: the last iteration returns")
    }

    /// The rollouts with the labels files' grades stored on those not yet graded.
    static func gradeUngraded(
        _ rollouts: [StoredRollout], of task: AgentTask, iteration: Int, taskRow: Int64, labels: [[String]: Bool],
        store: Store
    ) throws -> [StoredRollout] {
        guard !labels.isEmpty else { return rollouts }
        let grades = rollouts.reduce(into: [String: Bool]()) { map, r in
            if r.rollout.resolved == nil, let label = labels[[task.taskID, r.rollout.rolloutID]] {
                map[r.rollout.rolloutID] = label
            }
        }
        guard !grades.isEmpty else { return rollouts }
        try store.setResolved(taskRow: taskRow, iteration: iteration, grades)
        return try store.rollouts(taskRow: taskRow, iteration: iteration)
    }

    /// The last iteration's pick: the stored final decision, else a final tournament to one
    /// (committed as the task's final decision).
    static func finalSelection(
        _ rollouts: [StoredRollout], summaries: [String: String], iteration: Int, context: TaskContext
    ) async throws -> AgentRollout {
        let store = context.store
        let finalDecision = try store.decisions(taskRow: context.taskRow).first {
            $0.kind == .final && $0.iteration == iteration
        }
        let winner: String
        if let finalDecision, let chosen = finalDecision.chosen.first {
            winner = chosen
        } else {
            let ids = rollouts.map(\.rollout.rolloutID)
            winner = try await Tournament(context: context, iteration: iteration, stage: .final).run(
                candidates: ids, summaries: summaries, stopAt: 1)[0]
            try store.insertDecision(
                taskRow: context.taskRow,
                TournamentDecision(
                    kind: .final, stage: .final, iteration: iteration, candidates: ids.naturallySorted(),
                    chosen: [winner], method: "tournament"))
        }
        guard let selected = rollouts.first(where: { $0.rollout.rolloutID == winner }) else {
            throw ExecutorError.invalid("task \(context.task.taskID): the chosen rollout \(winner) is not stored")
        }
        return selected.rollout
    }

    /// Each rollout's summary: the stored one, else a summary call (committed before use).
    static func summarize(
        _ rollouts: [StoredRollout], context: TaskContext, iteration: Int, options: SummaryOptions,
        temperature: Double
    ) async throws -> [String: String] {
        try await withThrowingTaskGroup(of: (String, String).self) { group in
            for stored in rollouts {
                group.addTask {
                    if let text = try context.store.summary(rolloutRow: stored.rowID) {
                        return (stored.rollout.rolloutID, text)
                    }
                    let (messages, truncated) = SummaryPrompt.messages(
                        task: context.task, rollout: stored.rollout, options: options)
                    let callID = CallIdentity.summary(
                        task: context.task.taskID, iteration: iteration, rollout: stored.rollout.rolloutID)
                    var text = try await context.llm.text(
                        for: ChatRequest(
                            messages: messages, maxTokens: options.maxTokens,
                            temperature: temperature, callID: callID, purpose: "summary"))
                    if text.count > options.maxSummaryCharacters {
                        text = String(text.prefix(options.maxSummaryCharacters)) + " […]"
                    }
                    try context.store.insertSummary(
                        rolloutRow: stored.rowID, text: text, inputTruncated: truncated, callID: callID)
                    return (stored.rollout.rolloutID, text)
                }
            }
            var summaries: [String: String] = [:]
            for try await (id, text) in group { summaries[id] = text }
            return summaries
        }
    }

    /// The priors of every next-iteration rollout (`it{t+1}-r{i}`), committed as decisions.
    static func choosePriors(
        _ ids: [String], summaries: [String: String], iteration t: Int, context: TaskContext,
        settings: ExecutionSettings
    ) async throws -> [String: [String]] {
        let next = (0..<settings.rollouts).map { "it\(t + 1)-r\($0)" }
        let stored = try context.store.decisions(taskRow: context.taskRow).filter {
            $0.kind == .priors && $0.iteration == t
        }
        switch settings.priorSelection {
        case .select:
            let kept: [String]
            if let decision = stored.first {
                kept = decision.chosen
            } else {
                kept = try await Tournament(context: context, iteration: t, stage: .select).run(
                    candidates: ids, summaries: summaries,
                    stopAt: settings.priors)
                try context.store.insertDecision(
                    taskRow: context.taskRow,
                    TournamentDecision(
                        kind: .priors, stage: .select, iteration: t, candidates: ids.naturallySorted(),
                        chosen: kept.naturallySorted(),
                        method: "select-K"))
            }
            return Dictionary(uniqueKeysWithValues: next.map { ($0, kept.naturallySorted()) })
        case .random, .own:
            if stored.count == next.count {
                return Dictionary(
                    uniqueKeysWithValues: zip(next, stored.sorted { ($0.group ?? 0) < ($1.group ?? 0) }.map(\.chosen)))
            }
            // Rollout i of the next iteration pairs with rollout i of this one, in natural order
            // (it0-r2 before it0-r10).
            let sorted = ids.naturallySorted()
            var priors: [String: [String]] = [:]
            for (i, id) in next.enumerated() {
                let chosen: [String]
                if settings.priorSelection == .own {
                    chosen = [sorted[i % sorted.count]]
                } else {
                    var rng = CallIdentity.generator(seed: context.seed, context.task.taskID, String(t), "random-K", id)
                    chosen = Array(sorted.stableShuffled(using: &rng).prefix(settings.priors)).naturallySorted()
                }
                priors[id] = chosen
                if !stored.contains(where: { $0.group == i }) {
                    try context.store.insertDecision(
                        taskRow: context.taskRow,
                        TournamentDecision(
                            kind: .priors, stage: .select, iteration: t, group: i, candidates: sorted, chosen: chosen,
                            method: settings.priorSelection == .own ? "own-summary" : "random-K"))
                }
            }
            return priors
        }
    }

    /// Iteration `t`'s agent rollouts: the committed ones, and new runs for the rest (a committed
    /// rollout is never run again).
    static func ensureAgentRollouts(
        task: AgentTask, taskRow: Int64, iteration t: Int, count: Int, priors: [String: [String]],
        summaries: [String: String], request: ExecutionRequest, store: Store, llm: CachedLLM,
        slots: AsyncSemaphore
    ) async throws -> [StoredRollout] {
        guard let agent = request.agent else { throw ExecutorError.invalid("PDR needs an agent command") }
        let existing = Set(try store.rollouts(taskRow: taskRow, iteration: t).map(\.rollout.rolloutID))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                let id = "it\(t)-r\(i)"
                guard !existing.contains(id) else { continue }
                let shown = (priors[id] ?? []).map { (rolloutID: $0, summary: summaries[$0] ?? "") }
                group.addTask {
                    await slots.acquire()
                    let run: AgentRun
                    do {
                        run = try await AgentRunner.run(agent, task: task, rolloutID: id, iteration: t, priors: shown)
                    } catch {
                        await slots.release()
                        throw error
                    }
                    await slots.release()
                    try store.insertRollout(
                        taskRow: taskRow, run.rollout, agentExitCode: Int(run.exitCode), agentLog: run.log)
                    llm.update { $0.agentRuns += 1 }
                }
            }
            try await group.waitForAll()
        }
        return try store.rollouts(taskRow: taskRow, iteration: t)
    }

    /// Pass@1, oracle and selected success over graded tasks, and the judge's per-vote accuracy on
    /// mixed groups — stored as judge tallies (replacing the label's earlier ones) for
    /// `isoplan plan tts --judge-from-store`.
    static func evaluate(_ results: [TaskResult], label: String, store: Store) throws -> EvaluationSummary? {
        let graded = results.filter { $0.populationPassAt1 != nil && $0.selectedResolved != nil }
        guard !graded.isEmpty else { return nil }
        var tallies: [JudgeTally] = []
        for (row, task) in try store.executorTasks(label: label) {
            var grade: [[String]: Bool] = [:]  // [iteration, rollout id]
            var iteration = 0
            while true {
                let rollouts = try store.rollouts(taskRow: row, iteration: iteration)
                if rollouts.isEmpty { break }
                for r in rollouts {
                    if let resolved = r.rollout.resolved { grade[[String(iteration), r.rollout.rolloutID]] = resolved }
                }
                iteration += 1
            }
            let votes = try store.votes(taskRow: row).filter(\.counted)
            for decision in try store.decisions(taskRow: row)
            where decision.kind == .group && decision.candidates.count > 1 {
                let labels = decision.candidates.compactMap { grade[[String(decision.iteration), $0]] }
                guard labels.count == decision.candidates.count else { continue }
                let passing = labels.filter { $0 }.count
                let mine = votes.filter {
                    $0.stage == decision.stage && $0.iteration == decision.iteration && $0.round == decision.round
                        && $0.group == decision.group
                }
                guard !mine.isEmpty else { continue }
                let correct = mine.filter { grade[[String(decision.iteration), $0.chosenRolloutID ?? ""]] == true }
                    .count
                tallies.append(
                    JudgeTally(
                        label: label, taskID: task.taskID, iteration: decision.iteration,
                        groupSize: decision.candidates.count, passing: passing,
                        votes: mine.count, correctVotes: correct))
            }
        }
        try store.replaceJudgeTallies(label: label, with: tallies)
        let mixed = tallies.filter(\.isMixed)
        let n = Double(graded.count)
        return EvaluationSummary(
            gradedTasks: graded.count,
            populationPassAt1: graded.reduce(0) { $0 + $1.populationPassAt1! } / n,
            oraclePassAtN: Double(graded.filter { $0.oraclePass == true }.count) / n,
            selectedSuccess: Double(graded.filter { $0.selectedResolved == true }.count) / n,
            mixedGroups: mixed.count, mixedVotes: mixed.reduce(0) { $0 + $1.votes },
            correctMixedVotes: mixed.reduce(0) { $0 + $1.correctVotes })
    }
}

/// 1234 → "1.2k", 2_500_000 → "2.5M".
func compactCount(_ n: Int) -> String {
    switch n {
    case ..<1_000: String(n)
    case ..<1_000_000: String(format: "%.1fk", Double(n) / 1e3)
    default: String(format: "%.1fM", Double(n) / 1e6)
    }
}
