import Agentic
import ArgumentParser
import Domain
import Foundation
import RunStore
import Workflows

extension TTSCommand {
    /// `isoplan tts rtv`: select one rollout per task by Recursive Tournament Voting.
    struct RTV: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rtv",
            abstract: "Select the best rollout per task by Recursive Tournament Voting over structured summaries.",
            discussion: """
                Rollouts come from mini-SWE-agent run directories (--trajectories, one rollout per \
                directory) or generic JSONL (--rollouts-file). Each is summarised (task understanding, \
                hypotheses, approach, changes, verification evidence as observed, failure modes, final \
                state); then each round shuffles the survivors into groups of G, asks the judge V \
                times per group with the candidates' order permuted per vote, and advances the \
                plurality winner (ties: extra votes, then a seeded draw; a lone leftover: a bye). \
                With --labels it also reports population pass@1, oracle pass@N, the selected \
                rollout's success and the judge's measured per-vote accuracy on mixed groups, stored \
                for `isoplan plan tts --judge-from-store --judge-label LABEL`.

                  isoplan tts rtv --trajectories runs/r1 runs/r2 runs/r3 runs/r4 --labels r1.json r2.json r3.json r4.json \\
                      --endpoint http://127.0.0.1:8000/v1 --model judge --api-key-env OPENAI_API_KEY -G 2 -V 8
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var executor: ExecutorOptions

        func run() async throws {
            var settings = executor.settings
            settings.mode = .rtv
            try await execute(executor.request(settings: settings), global: global)
        }
    }

    /// `isoplan tts pdr`: Parallel-Distill-Refine with an agent command, then a final RTV.
    struct PDR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pdr",
            abstract:
                "Refine with agentic Parallel-Distill-Refine: T iterations of N new rollouts conditioned on K prior summaries, then a final RTV.",
            discussion: """
                Iteration 0 uses the given rollouts, or runs the agent N times. Before each later \
                iteration the priors are chosen — select (the K survivors of an RTV, the same for every \
                new rollout), random (K drawn per rollout) or own (each rollout's own summary) — and \
                N new rollouts run in fresh directories through the agent command: a JSON argv array \
                (no shell) whose elements may hold {task_id}, {task_file}, {priors_file} and \
                {out_dir}. The agent leaves rollout.json (the generic schema) or a mini-SWE-agent run \
                layout in {out_dir}, optionally resolved.json. The final RTV runs over the last \
                iteration only.

                  isoplan tts pdr --tasks tasks.jsonl --agent-command '["python3","agent.py","{task_id}","{task_file}","{priors_file}","{out_dir}"]' \\
                      --endpoint http://127.0.0.1:8000/v1 --model m -N 16 -T 2 -K 4
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var executor: ExecutorOptions

        @Option(
            name: .customLong("agent-command"),
            help: ArgumentHelp(
                "JSON argv array of the agent, with {task_id} {task_file} {priors_file} {out_dir} placeholders.",
                valueName: "json"))
        var agentCommand: String

        @Option(
            name: .customLong("agent-timeout"),
            help: ArgumentHelp(
                "Seconds before an agent run is stopped (then counted as a failed rollout).", valueName: "s"))
        var agentTimeout = 3600.0

        @Option(
            name: .customLong("work-dir"),
            help: ArgumentHelp("Where each new rollout's fresh directory is made.", valueName: "dir"))
        var workDir = "isoplan-pdr"

        @Option(
            name: .customLong("agents-at-once"),
            help: ArgumentHelp("Agent runs at once, over all tasks.", valueName: "n"))
        var agentsAtOnce = 4

        @Option(
            name: [.customShort("N"), .customLong("rollouts")],
            help: ArgumentHelp("New rollouts per iteration N.", valueName: "N"))
        var rollouts = 16

        @Option(
            name: [.customShort("T"), .customLong("iterations")],
            help: ArgumentHelp("Iterations T, including iteration 0.", valueName: "T"))
        var iterations = 2

        @Option(
            name: [.customShort("K"), .customLong("priors")],
            help: ArgumentHelp("Prior summaries per refined rollout K.", valueName: "K"))
        var priors = 4

        @Option(
            name: .customLong("prior-selection"),
            help: ArgumentHelp("How priors are chosen: select, random or own.", valueName: "mode"))
        var priorSelection = PriorSelection.select

        func validate() throws {
            guard agentTimeout > 0 else { throw ValidationError("--agent-timeout must be positive") }
            guard (1...64).contains(agentsAtOnce) else { throw ValidationError("--agents-at-once must lie in 1…64") }
            do { _ = try AgentCommand(json: agentCommand, timeout: agentTimeout, workDirectory: workDir) } catch {
                throw ValidationError("\(error)")
            }
            var settings = executor.settings
            settings.mode = .pdr
            settings.rollouts = rollouts
            settings.iterations = iterations
            settings.priors = priors
            do { try settings.validate() } catch { throw ValidationError("\(error)") }
        }

        func run() async throws {
            var settings = executor.settings
            settings.mode = .pdr
            settings.rollouts = rollouts
            settings.iterations = iterations
            settings.priors = priors
            settings.priorSelection = priorSelection
            var request = executor.request(settings: settings)
            request.agent = try AgentCommand(json: agentCommand, timeout: agentTimeout, workDirectory: workDir)
            request.agentsAtOnce = agentsAtOnce
            try await execute(request, global: global)
        }
    }
}

/// Runs an execution and prints its outcome (table or --json); a reached budget or an unreachable
/// endpoint exits 75 (rerun to resume).
func execute(_ request: TestTimeExecutionRequest, global: GlobalOptions) async throws {
    let database = global.databasePath
    let result = try await reportingFailures {
        try await cancellingOnSignals {
            try await TestTimeExecutionWorkflow.run(request, database: database, progress: TerminalProgressBar())
        }
    }
    for warning in result.warnings { printError("warning: \(warning)") }
    try global.render(result) { format in executionSummary(result, request: request, format: format) }
}

/// The table of selections (the first 40 tasks), the call counters, the evaluation and the output paths.
private func executionSummary(_ result: ExecutionResult, request: TestTimeExecutionRequest, format: OutputFormat)
    -> String
{
    let yesNo = { (flag: Bool?) in flag.map { $0 ? "yes" : "no" } ?? "-" }
    var rows = result.tasks.map { t in
        [
            t.taskID, t.selectedRolloutID, t.population.map(String.init).joined(separator: "+"),
            yesNo(t.selectedResolved),
            t.populationPassAt1.map { String(format: "%.3f", $0) } ?? "-", yesNo(t.oraclePass),
        ]
    }
    if rows.count > 40 { rows = Array(rows.prefix(40)) + [["…", "", "", "", "", ""]] }
    let c = result.counters
    let judgeRecords = result.judgeCalls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
        separator: ", ")
    var lines = [
        table(header: ["task", "selected", "rollouts", "resolved", "pass@1", "oracle"], rows: rows, format: format),
        String(
            format: "calls: %d sent, %d from the store; %d + %d tokens; $%.4f; judge records %@",
            c.sent, c.cached, c.promptTokens, c.completionTokens, c.dollars, judgeRecords),
        "judge answers asked for as: "
            + (result.answerFormat.map {
                $0 == .tags ? "<choice> tags (no structured output)" : "\($0.rawValue) structured output"
            }
                ?? "- (every judge answer came from the store)"),
    ]
    if let e = result.evaluation {
        let judge =
            e.voteAccuracy.map {
                String(
                    format: "%.3f per vote over %d votes on %d mixed groups (stored as judge tallies \"%@\")",
                    $0, e.mixedVotes, e.mixedGroups, request.label)
            } ?? "not measured (no mixed group)"
        lines.append(
            String(
                format: "evaluation over %d graded tasks: population pass@1 %.3f, oracle pass@N %.3f, "
                    + "selected %.3f; judge %@",
                e.gradedTasks, e.populationPassAt1, e.oraclePassAtN, e.selectedSuccess, judge))
    }
    lines.append("predictions: \(request.predictionsPath); decisions: \(request.decisionsPath)")
    return lines.joined(separator: "\n")
}
