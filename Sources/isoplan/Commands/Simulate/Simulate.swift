import ArgumentParser
import Cluster
import Domain
import Foundation
import Ingest
import RLSim
import RunStore
import Workflows

/// `isoplan simulate …`: simulated GRPO runs stored like imported logs.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate on-policy GRPO runs over a problem population and store them (model: docs/SIMULATOR.md).",
        subcommands: [RunCommand.self, SweepCommand.self, ShardCommand.self])
}

/// Where the simulated problems come from, and the model's parameter file.
struct PopulationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A named population.", valueName: "name"))
    var difficulty: Difficulty?

    @Option(
        help: ArgumentHelp(
            "Population p ~ Beta(α, β) instead of a named one: two numbers in (0, 1e6], e.g. 0.5,2.", valueName: "α,β"))
    var beta: BetaShape?

    @Option(
        help: ArgumentHelp(
            "Population from a counts file (task_id,trials,successes): each problem draws a task's Jeffreys posterior.",
            valueName: "file"))
    var counts: String?

    @Option(help: ArgumentHelp("The counts file's system.", valueName: "name"))
    var system: String?

    @Option(help: ArgumentHelp("Train problems D (default: 6,000 easy, 5,000 otherwise).", valueName: "D"))
    var problems: Int?

    @Option(name: .customLong("validation-problems"), help: ArgumentHelp("Validation problems.", valueName: "V"))
    var validationProblems = 300

    @Option(
        help: ArgumentHelp(
            "A parameter file replacing the committed one (every field; see docs/SIMULATOR.md).", valueName: "file"))
    var parameters: String?

    func validate(defaultDifficulty: Difficulty?) throws {
        let given = [difficulty != nil, beta != nil, counts != nil].filter { $0 }.count
        guard given <= 1 else { throw ValidationError("give one population: --difficulty, --beta or --counts") }
        guard given == 1 || defaultDifficulty != nil else {
            throw ValidationError("give a population: --difficulty, --beta or --counts")
        }
        if let problems, problems < 1 { throw ValidationError("--problems must be ≥ 1") }
        guard validationProblems >= 1 else { throw ValidationError("--validation-problems must be ≥ 1") }
    }

    /// The population given (nil: none of --difficulty, --beta, --counts).
    func source() throws -> PopulationSource? {
        if let beta { return .beta(alpha: beta.alpha, beta: beta.beta) }
        if let counts {
            do { return try SimulationWorkflow.countsPopulation(file: counts, system: system) } catch {
                switch error {
                case .input(let error): throw error
                case .ambiguousSystem(_, let matching):
                    throw ValidationError("--counts holds \(matching) systems matching; choose one with --system")
                }
            }
        }
        return difficulty.map(PopulationSource.difficulty)
    }

    func loadParameters() throws -> SimulationParameters {
        guard let parameters else { return .standard }
        do { return try SimulationParameters.load(parameters) } catch {
            throw ValidationError("--parameters: \(error)")
        }
    }
}

extension SimulateCommand {
    struct RunCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Simulate one configuration (n, B_p) to a budget and store it.",
            discussion: """
                The run is named from its population, train-set size, budget, allocation and seed, so \
                running the same request again finds it stored and does not simulate it twice.

                  isoplan simulate run --difficulty easy -n 64 --bp 32 --budget 1e7 --seed 0
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var population: PopulationOptions

        @Option(
            name: [.customShort("n"), .customLong("rollouts-per-problem")],
            help: ArgumentHelp("Rollouts per problem n (≥ 2).", valueName: "n"))
        var rolloutsPerProblem: Int

        @Option(
            name: [.customLong("bp"), .customLong("problems-per-batch")],
            help: ArgumentHelp("Problems per batch B_p.", valueName: "B_p"))
        var problemsPerBatch: Int

        @Option(help: ArgumentHelp("Budget C in rollouts.", valueName: "C"))
        var budget = 1e7

        @OptionGroup var seed: SeedOptions

        func validate() throws {
            try population.validate(defaultDifficulty: nil)
            try validateAllocation(
                n: rolloutsPerProblem, bp: problemsPerBatch, budget: budget, problems: population.problems)
        }

        func run() throws {
            guard let source = try population.source() else {
                throw ValidationError("give a population: --difficulty, --beta or --counts")
            }
            let configuration = SimulationConfiguration(
                rolloutsPerProblem: rolloutsPerProblem, problemsPerBatch: problemsPerBatch,
                budget: budget, seed: seed.seed)
            var request = SimulationRequest(
                source: source, configuration: configuration,
                trainSize: population.problems)
            request.validationSize = population.validationProblems
            request.parameters = try population.loadParameters()
            try simulate(request, global: global)
        }
    }

    struct SweepCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Simulate a preset grid of (n, B_p) configurations over seeds and store every run.",
            discussion: """
                Presets: \(SweepPreset.all.map { "\($0.name) (\($0.grid.count) configurations, \($0.difficulty.rawValue), D = \($0.trainSize), C = 1e7)" }.joined(separator: "; ")). \
                Configurations with B_p above the train set are dropped and reported. The sweep id \
                is derived from the request, so rerunning it resumes: stored runs are not simulated again.

                  isoplan simulate sweep --preset isocompute-q1-easy --seeds 3
                  isoplan simulate sweep --preset isocompute-q1-easy --problems 500 --budget 1e6
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Preset grid.", valueName: "name"))
        var preset: SweepPreset

        @OptionGroup var population: PopulationOptions

        @Option(help: ArgumentHelp("Seeds per configuration (0…S−1).", valueName: "S"))
        var seeds = 3

        @Option(help: ArgumentHelp("Budget C in rollouts (default: the preset's 1e7).", valueName: "C"))
        var budget: Double?

        @OptionGroup var engine: EngineOptions

        func validate() throws {
            try population.validate(defaultDifficulty: preset.difficulty)
            guard seeds >= 1 else { throw ValidationError("--seeds must be ≥ 1") }
            if let budget, !(budget > 0 && budget <= Limits.maxSimulatedBudget) {
                throw ValidationError("--budget must be a positive number of rollouts, at most 1e13")
            }
        }

        func run() throws {
            var sweep = SweepRequest(preset: preset)
            sweep.population = try population.source()
            sweep.trainSize = population.problems
            sweep.validationSize = population.validationProblems
            sweep.seeds = seeds
            sweep.budget = budget
            sweep.parameters = try population.loadParameters()
            let request = SimulationWorkflow.prepare(sweep)
            if !request.dropped.isEmpty {
                printError(
                    "note: \(request.dropped.count) configuration(s) dropped: "
                        + "B_p above the \(request.trainSize) train problems")
            }
            try simulate(request, global: global, engine: try engine.shardEngine())
        }
    }

    struct ShardCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shard",
            abstract: "Simulate one shard spec into a result file (what the Ray driver runs on a worker).",
            discussion: """
                The spec is a JSON file written by `simulate sweep --engine ray` (one run: population, \
                train-set size, parameters, sweep and configuration); the result file holds the run and \
                its points. Nothing is stored. See docs/SCALE_OUT.md.
                """)

        @Option(help: ArgumentHelp("The shard spec (JSON).", valueName: "file"))
        var spec: String

        @Option(help: ArgumentHelp("Where to write the result (JSON).", valueName: "file"))
        var output: String

        func run() throws {
            try reportingFailures {
                let specBytes: Data
                do { specBytes = try Data(contentsOf: URL(fileURLWithPath: spec)) } catch {
                    throw ImportError.unreadable(file: spec, reason: "no such file or not readable")
                }
                let result = try SimulationWorkflow.runShard(spec: specBytes)
                try result.write(to: URL(fileURLWithPath: output), options: .atomic)
            }
        }
    }
}

/// Usage checks shared by `simulate run`: n ≥ 2, B_p ≥ 1 and within the train set, a positive budget.
func validateAllocation(n: Int, bp: Int, budget: Double, problems: Int?) throws {
    guard n >= 2 else { throw ValidationError("-n must be ≥ 2: GRPO needs two outcomes per group (got \(n))") }
    guard bp >= 1 else { throw ValidationError("--bp must be ≥ 1 (got \(bp))") }
    guard n <= Limits.maxRolloutsPerProblem, bp <= Limits.maxProblemsPerBatch else {
        throw ValidationError("-n ≤ 2^20 and --bp ≤ 2^24 are supported")
    }
    guard budget <= Limits.maxSimulatedBudget else {
        throw ValidationError("--budget: at most 1e13 rollouts can be simulated")
    }
    if let problems, bp > problems {
        throw ValidationError("--bp \(bp) exceeds the \(problems) train problems (--problems)")
    }
    guard budget > 0, budget.isFinite else {
        throw ValidationError("--budget must be a positive number of rollouts (got \(budget))")
    }
    guard budget >= Double(n * bp) else {
        throw ValidationError("--budget \(budget) buys no step of B_p·n = \(n * bp) rollouts")
    }
}

/// Runs a simulation request against the store and prints its summary.
func simulate(_ request: SimulationRequest, global: GlobalOptions, engine: (any ShardEngine)? = nil) throws {
    try reportingFailures {
        let store = try Store(path: global.databasePath)
        let result = try SimulationWorkflow.run(request, store: store, engine: engine, progress: TerminalProgressBar())
        for submission in result.engine?.submissions ?? [] {
            let what = submission.reattached ? "re-attached" : "\(submission.shardsSubmitted) shards submitted"
            printError("Ray job \(submission.id) (\(what)): \(submission.url ?? "")")
        }
        try global.render(result) { format in
            let rows = result.runs.map { r in
                [
                    r.name, String(r.rolloutsPerProblem), String(r.problemsPerBatch), String(r.seed), String(r.steps),
                    r.learningRate.map(formatNumber) ?? "-", r.bestValidationReward.map(formatNumber) ?? "-",
                    r.finalValidationReward.map(formatNumber) ?? "-", r.alreadyStored ? "already stored" : "stored",
                ]
            }
            let simulated = result.runs.filter { !$0.alreadyStored }.count
            return table(
                header: ["run", "n", "B_p", "seed", "steps", "lr", "best val", "final val", ""], rows: rows,
                format: format)
                + "\n\n\(simulated) simulated, \(result.runs.count - simulated) already stored, "
                + "\(result.dropped.count) dropped; \(String(format: "%.1f", result.seconds)) s"
        }
    }
}
