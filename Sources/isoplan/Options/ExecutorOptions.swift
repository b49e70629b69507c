import Agentic
import ArgumentParser
import Domain
import Foundation
import Workflows

/// Options `tts rtv` and `tts pdr` share: inputs, the endpoint, the tournament, limits, outputs.
struct ExecutorOptions: ParsableArguments {
    // Inputs.
    @Option(
        name: .customLong("trajectories"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "mini-SWE-agent run directories, one rollout each (preds.json and *.traj.json).", valueName: "dir"))
    var trajectories: [String] = []

    @Option(
        name: .customLong("rollouts-file"),
        help: ArgumentHelp(
            "Generic rollout JSONL (task_id, rollout_id, messages|transcript, final_patch, resolved?); repeatable.",
            valueName: "file"))
    var rolloutFiles: [String] = []

    @Option(
        name: .customLong("tasks"),
        help: ArgumentHelp(
            "Tasks file: JSONL or JSON array of {task_id, problem_statement, metadata} (default: from the rollouts).",
            valueName: "file"))
    var tasksFile: String?

    @Option(
        name: .customLong("labels"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Grades for evaluation: a SWE-bench report per trajectory directory (in order), or a CSV task_id,rollout_id,resolved; repeatable.",
            valueName: "file"))
    var labels: [String] = []

    // Endpoint.
    @Option(help: ArgumentHelp("OpenAI-compatible base URL (…/v1).", valueName: "url"))
    var endpoint: String

    @Option(help: ArgumentHelp("Model name sent with every request.", valueName: "name"))
    var model: String

    @Option(
        name: .customLong("api-key-env"),
        help: ArgumentHelp(
            "Environment variable holding the API key (the key itself is never stored, logged or printed; omit for a keyless local server).",
            valueName: "NAME"))
    var apiKeyEnv: String?

    @Option(help: ArgumentHelp("Parallel HTTP requests (at most one in flight per slot).", valueName: "n"))
    var concurrency = 4

    @Option(name: .customLong("tasks-at-once"), help: ArgumentHelp("Tasks worked on at once.", valueName: "n"))
    var tasksAtOnce = 4

    @Option(help: ArgumentHelp("Per-request timeout in seconds.", valueName: "s"))
    var timeout = 120.0

    @Option(
        name: .customLong("max-attempts"),
        help: ArgumentHelp(
            "HTTP attempts per call (retries on 429, 5xx, time-outs, dropped connections, malformed bodies; Retry-After honoured).",
            valueName: "n"))
    var maxAttempts = 6

    @Option(
        name: .customLong("answer-format"),
        help: ArgumentHelp(
            "How the judge's choice is asked for: auto (json-schema, then json-object, then tags, keeping the first the endpoint accepts), json-schema, json-object or tags.",
            valueName: "format"))
    var answerFormat = AnswerFormatChoice.auto

    // Tournament.
    @Option(
        name: [.customShort("G"), .customLong("group-size")], help: ArgumentHelp("RTV group size G.", valueName: "G"))
    var groupSize = 2

    @Option(
        name: [.customShort("V"), .customLong("votes")],
        help: ArgumentHelp("Judge votes per group V (candidates' order permuted per vote).", valueName: "V"))
    var votes = 8

    @Option(
        name: .customLong("max-reasks"),
        help: ArgumentHelp(
            "Re-asks of an unparsable judge answer before a seeded fallback (never counted as a vote).", valueName: "n")
    )
    var maxReasks = 2

    @Option(
        name: .customLong("tie-break-votes"),
        help: ArgumentHelp("Extra votes, one at a time, to break a tie before a seeded draw.", valueName: "n"))
    var tieBreakVotes = 4

    @Option(
        name: .customLong("judge-temperature"),
        help: ArgumentHelp("Sampling temperature of judge calls (votes are independent samples).", valueName: "t"))
    var judgeTemperature = 0.7

    @Option(
        name: .customLong("context-chars"),
        help: ArgumentHelp(
            "Trajectory characters a summary prompt may carry (longer ones are cut: task, final diff, error lines, first and last steps).",
            valueName: "n"))
    var contextChars = 24_000

    @Option(
        name: .customLong("summary-chars"),
        help: ArgumentHelp("A stored summary's length bound in characters.", valueName: "n"))
    var summaryChars = 4_000

    @OptionGroup var seed: SeedOptions

    // Limits.
    @Option(
        name: .customLong("max-spend"),
        help: ArgumentHelp(
            "Stop sending new calls once this many USD are spent (with --price-in/--price-out).", valueName: "usd"))
    var maxSpend: Double?

    @Option(
        name: .customLong("max-tokens"),
        help: ArgumentHelp("Stop sending new calls once this many tokens are used.", valueName: "n"))
    var maxTokens: Int?

    @Option(name: .customLong("price-in"), help: ArgumentHelp("USD per million input tokens.", valueName: "usd"))
    var priceIn = 0.0

    @Option(name: .customLong("price-out"), help: ArgumentHelp("USD per million output tokens.", valueName: "usd"))
    var priceOut = 0.0

    // Outputs.
    @Option(help: ArgumentHelp("Execution label in the store: the same label resumes.", valueName: "name"))
    var label = "tts"

    @Option(
        help: ArgumentHelp(
            "SWE-bench predictions JSONL (instance_id, model_name_or_path, model_patch).", valueName: "file"))
    var predictions = "predictions.jsonl"

    @Option(
        help: ArgumentHelp(
            "Per-task decision record JSONL (every group, its votes' tally and method; priors; the final pick).",
            valueName: "file"))
    var decisions = "decisions.jsonl"

    func validate() throws {
        guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw ValidationError("--endpoint must be an http(s) URL such as http://127.0.0.1:8000/v1")
        }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must lie in 1…64") }
        guard (1...256).contains(tasksAtOnce) else { throw ValidationError("--tasks-at-once must lie in 1…256") }
        guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout must lie in (0, 3600] seconds") }
        guard (1...20).contains(maxAttempts) else { throw ValidationError("--max-attempts must lie in 1…20") }
        guard judgeTemperature >= 0 && judgeTemperature <= 2 else {
            throw ValidationError("--judge-temperature must lie in [0, 2]")
        }
        guard contextChars >= 2_000 && summaryChars >= 200 else {
            throw ValidationError("--context-chars must be ≥ 2000 and --summary-chars ≥ 200")
        }
        if let maxSpend, !(maxSpend > 0) { throw ValidationError("--max-spend must be positive") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be positive") }
        guard priceIn >= 0 && priceOut >= 0 else { throw ValidationError("--price-in and --price-out must be ≥ 0") }
        if maxSpend != nil && priceIn == 0 && priceOut == 0 {
            throw ValidationError("--max-spend needs --price-in/--price-out to count dollars")
        }
        guard !label.isEmpty else { throw ValidationError("--label must not be empty") }
        if let apiKeyEnv, apiKeyEnv.isEmpty || apiKeyEnv.contains("=") {
            throw ValidationError("--api-key-env takes a variable name, not a key")
        }
        do { try settings.validate() } catch {
            throw ValidationError("\(error) (-G/--group-size, -V/--votes, --max-reasks, --tie-break-votes)")
        }
    }

    /// The settings these options give (mode and PDR fields set by the command).
    var settings: ExecutionSettings {
        var settings = ExecutionSettings()
        settings.tournament.groupSize = groupSize
        settings.tournament.votes = votes
        settings.tournament.maxReasks = maxReasks
        settings.tournament.maxTieBreakVotes = tieBreakVotes
        settings.tournament.judgeTemperature = judgeTemperature
        settings.summary.contextCharacters = contextChars
        settings.summary.maxSummaryCharacters = summaryChars
        settings.seed = seed.seed
        return settings
    }

    func request(settings: ExecutionSettings) -> TestTimeExecutionRequest {
        var request = TestTimeExecutionRequest(
            label: label, settings: settings, endpoint: URL(string: endpoint)!, model: model,
            predictionsPath: predictions, decisionsPath: decisions)
        request.trajectories = trajectories
        request.rolloutFiles = rolloutFiles
        request.tasksFile = tasksFile
        request.labelFiles = labels
        request.apiKeyVariable = apiKeyEnv
        request.client.concurrency = concurrency
        request.client.timeout = timeout
        request.client.maxAttempts = maxAttempts
        request.client.answerFormats = answerFormat.formats
        request.concurrentTasks = tasksAtOnce
        request.limit = SpendLimit(
            priceIn: priceIn / 1e6, priceOut: priceOut / 1e6, capUSD: maxSpend, capTokens: maxTokens)
        return request
    }
}

/// `--answer-format`: structured output detected per endpoint, or one format fixed.
enum AnswerFormatChoice: String, CaseIterable, ExpressibleByArgument {
    case auto
    case jsonSchema = "json-schema"
    case jsonObject = "json-object"
    case tags

    /// The formats the client tries, in order.
    var formats: [AnswerFormat] {
        switch self {
        case .auto: AnswerFormat.allCases
        case .jsonSchema: [.jsonSchema]
        case .jsonObject: [.jsonObject]
        case .tags: [.tags]
        }
    }
}
