import ArgumentParser
import Domain
import Foundation
import Ingest
import Planner
import RunStore
import Workflows

extension PlanCommand {
    /// `isoplan plan train`: (n, B_p, M, η) and the recipe for a training budget.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract:
                "Plan RL training for a budget: rollouts per problem n, problems per batch B_p, steps M, learning rate and recipe.",
            discussion: """
                n comes from the compute-optimal law: the newest stored frontier fit for the \
                difficulty (`isoplan fit frontier`), else the paper's published law (--law q1, Fig. 6; \
                q3-joint, Fig. 10), rounded to a power of two and capped at the saturation (easy 512, \
                hard 128). B_p defaults to 32 (at least 32 on hard sets), M = C/(B_p·n), η = 1e-6·√(B_p·n/1024). \
                With --batch B the fixed-batch law n*(M) is used. The plan is stored.

                  isoplan plan train --budget 4e6 --difficulty easy
                  isoplan plan train --budget 1e7 --difficulty auto --solve-rates counts.csv --export verl
                  isoplan plan train --budget 2000 --unit gpu-hours --gpus 8 --throughput-from pilot

                GPU-hours and dollars (--unit gpu-hours|usd) convert through seconds per step fitted to a                 stored pilot run's logged timing (--throughput-from RUN; verl's timing_s/*, TRL's                 train_runtime) or a hand-given --rollouts-per-gpu-second; with a throughput every plan                 prints its steps, wall clock, GPU-hours, epochs and dollars with their arithmetic. Every                 plan prints the expected share of zero-advantage groups across n over the population                 (--solve-rates, --beta, --pass-at-1, else the difficulty's own) and the over-sampling                 a dynamic-sampling recipe needs.

                --export verl|trl|openrlhf prints ready-to-paste settings instead of the table, checked \
                against the framework's start-up assertions on --gpus G (default 8) over --nodes N with \
                --micro-batch m samples per GPU (default 4); a plan they reject moves to the nearest \
                setting that passes (B_p first, then the micro batch, then n by powers of two) and the \
                output says what changed and what it costs as # comments (docs/FRAMEWORKS.md). With \
                --json: the framework, its settings, the adjustments and their cost. --format \
                verl|trl|openrlhf is a deprecated alias of --export, kept for one release; json and md as \
                everywhere.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Budget C.", valueName: "C"))
        var budget: Double

        @Option(help: ArgumentHelp("Unit of the budget.", valueName: "unit"))
        var unit = BudgetUnit.rollouts

        @Option(
            name: .customLong("tokens-per-rollout"),
            help: ArgumentHelp(
                "Tokens per rollout: counts a token budget's steps; with a throughput, the response length costed (default: the pilot's).",
                valueName: "T"))
        var tokensPerRollout: Double?

        @Option(
            help: ArgumentHelp(
                "The population; auto classifies --solve-rates with the paper's avg@16 bins.",
                valueName: "name"))
        var difficulty = DifficultyName.easy

        @Option(
            name: .customLong("solve-rates"),
            help: ArgumentHelp(
                "Counts file (task_id,trials,successes): classified by --difficulty auto, and the zero-advantage table's population.",
                valueName: "file"))
        var solveRates: String?

        @Option(
            help: ArgumentHelp(
                "Law: q1 (default; Fig. 6), q3-joint (Fig. 10) or fit (a stored frontier fit only). Without it a stored fit wins over q1.",
                valueName: "name"))
        var law: LawName?

        @Option(help: ArgumentHelp("Fixed batch B = B_p·n (fixed-batch mode).", valueName: "B"))
        var batch: Int?

        @Option(help: ArgumentHelp("Train problems D (caps B_p; small sets warn).", valueName: "D"))
        var problems: Int?

        @Option(name: .customLong("bp"), help: ArgumentHelp("Problems per batch B_p.", valueName: "B_p"))
        var problemsPerBatch = 32

        @Option(
            name: .customLong("extrapolation-widening"),
            help: ArgumentHelp(
                "Doublings of n per decade the n* interval widens by outside the compute the data identify.",
                valueName: "d"))
        var extrapolationWidening = DataRange.defaultDoublingsPerDecade

        @OptionGroup(title: "Cluster") var cluster: ClusterOptions

        @Option(
            help: ArgumentHelp(
                "Population p ~ Beta(α, β) of the zero-advantage table, two numbers in (0, 1e6], e.g. 0.5,2 (default: --solve-rates, else the difficulty's own).",
                valueName: "α,β"))
        var beta: BetaShape?

        @OptionGroup var passAtOne: PassAtOneOptions

        @Option(
            help: ArgumentHelp(
                "Print ready-to-paste settings of this training framework instead of the table.",
                valueName: "framework"))
        var export: Framework?

        func validate() throws {
            guard budget > 0, budget <= Limits.maxPlanBudget else {
                throw ValidationError("--budget must lie in (0, 1e18]")
            }
            if difficulty == .auto && solveRates == nil {
                throw ValidationError("--difficulty auto needs --solve-rates FILE")
            }
            if let batch, !(2...Limits.maxBatch).contains(batch) { throw ValidationError("--batch must lie in 2…2^30") }
            guard (1...Limits.maxProblemsPerBatch).contains(problemsPerBatch) else {
                throw ValidationError("--bp must lie in 1…2^24")
            }
            guard extrapolationWidening >= 0, extrapolationWidening.isFinite else {
                throw ValidationError("--extrapolation-widening must be a number ≥ 0")
            }
            if let tokensPerRollout, !(tokensPerRollout > 0) {
                throw ValidationError("--tokens-per-rollout must be positive")
            }
            if [beta != nil, passAtOne.passAt1 != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give one population: --beta or --pass-at-1 (or --solve-rates)")
            }
            if unit.isClusterTime && cluster.throughput == nil {
                throw ValidationError(
                    "--unit \(unit.rawValue) needs a throughput: --throughput-from RUN or --rollouts-per-gpu-second X")
            }
            if unit == .usd && cluster.usdPerGPUHour == nil {
                throw ValidationError("--unit usd needs --usd-per-gpu-hour P")
            }
            if let export, let alias = global.frameworkAlias, export != alias {
                throw ValidationError(
                    "--export \(export.rawValue) conflicts with --format \(alias.rawValue); give --export only")
            }
        }

        func run() throws {
            try reportingFailures {
                let store = try Store(path: global.databasePath)
                let plan = try TrainingPlanWorkflow.run(request, store: store)
                if let framework = export ?? global.frameworkAlias {
                    var settings = try framework.export(plan, on: try cluster.shape)
                    ClusterBudget.annotate(&settings, plan: plan)
                    print(global.outputFormat == .json ? try jsonString(settings) : framework.render(settings))
                } else {
                    try global.render(plan) { format in trainingPlanSummary(plan, format: format) }
                }
            }
        }

        /// The workflow's request from the options.
        var request: TrainingPlanRequest {
            var request = TrainingPlanRequest(budget: budget, difficulty: difficultyChoice)
            request.unit = unit
            request.tokensPerRollout = tokensPerRollout
            request.law = (law ?? .q1).rawValue
            request.preferStoredFit = law == nil
            request.batch = batch
            request.problems = problems
            request.problemsPerBatch = problemsPerBatch
            request.extrapolationDoublingsPerDecade = extrapolationWidening
            request.throughput = cluster.throughput
            request.gpus = cluster.gpus
            request.usdPerGPUHour = cluster.usdPerGPUHour
            if let beta {
                request.population = .beta(alpha: beta.alpha, beta: beta.beta)
            } else if let passAt1 = passAtOne.passAt1 {
                request.population = .passAt1(passAt1, concentration: passAtOne.concentrationOrDefault)
            } else if let solveRates {
                request.population = .counts(file: solveRates)
            }
            return request
        }

        /// `--difficulty`, with `auto` reading `--solve-rates` (required by `validate`).
        var difficultyChoice: TrainingPlanRequest.DifficultyChoice {
            if let named = difficulty.named { return .named(named) }
            return .auto(solveRatesFile: solveRates ?? "")
        }
    }
}

extension PlanCommand.Train {
    /// `--difficulty`: a population of the study, or `auto` from measured solve rates.
    enum DifficultyName: String, CaseIterable, ExpressibleByArgument {
        case easy, hard, mixed, auto

        /// The population it names; `nil` for `auto`.
        var named: PlanDifficulty? {
            switch self {
            case .easy: .easy
            case .hard: .hard
            case .mixed: .mixed
            case .auto: nil
            }
        }
    }

    /// `--law`: a published law (q1: Fig. 6; q3-joint: Fig. 10) or only a stored frontier fit.
    enum LawName: String, CaseIterable, ExpressibleByArgument {
        case q1
        case q3Joint = "q3-joint"
        case fit
    }
}
