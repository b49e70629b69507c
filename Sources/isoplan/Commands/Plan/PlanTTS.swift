import ArgumentParser
import Foundation
import Planner
import Workflows

extension PlanCommand {
    /// `isoplan plan tts`: size a test-time pipeline (RTV, select-K + PDR) for a budget.
    struct TestTimeScaling: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tts",
            abstract:
                "Size test-time rollout populations: the budget-optimal (N, G, V, K, T), or predict one configuration.",
            discussion: """
                The task population comes from evaluation outputs (--solve-rates, any format \
                `fit solve-rates` reads; a Beta-binomial fit) or from a population pass@1 alone \
                (--pass-at-1; a documented default shape, with a sensitivity table over shapes). \
                The judge is a per-vote accuracy, a pairwise accuracy converted to one, or the \
                accuracy the executor measured (--judge-from-store, from --db).

                Modes: --budget (most accurate configuration within it), --target-accuracy \
                (cheapest reaching it), --config (predict one). Accuracy is the expected fraction \
                of tasks whose final answer passes, with a 95% predictive interval for the mean \
                over the task set (task sampling and judge randomness, plus the fit's bootstrap \
                uncertainty). Budgets and totals are for the whole task set unless --per-task.

                  isoplan plan tts --solve-rates counts.csv --system openhands \\
                      --judge-vote-accuracy 0.66 --budget 500 --unit usd
                  isoplan plan tts --pass-at-1 0.45 --judge-vote-accuracy 0.66 --config N=16,G=2,V=8,K=4,T=2
                """)

        @OptionGroup var global: GlobalOptions

        // Population.
        @Option(
            name: .customLong("solve-rates"),
            help: ArgumentHelp("Evaluation output (PATH or NAME=PATH); repeat to merge runs.", valueName: "file"))
        var solveRateFiles: [String] = []

        @OptionGroup var solveRates: SolveRateInputOptions

        @OptionGroup var passAtOne: PassAtOneOptions

        @Option(
            name: .customLong("zero-share"),
            help: ArgumentHelp(
                "With --pass-at-1 and --config: the share of tasks none of N iteration-0 rollouts solved; "
                    + "the shape becomes a point mass at 0 plus a Beta part (--concentration, default 1.399).",
                valueName: "z"))
        var zeroShare: Double?

        @Flag(
            name: .customLong("redistribution"),
            help: "With --config (select-K, T ≥ 2, K = 4): also predict the refined population task by task.")
        var redistribution = false

        // Judge.
        @Option(
            name: .customLong("judge-vote-accuracy"),
            help: ArgumentHelp(
                "P(one vote on a mixed group picks a passing candidate); one per iteration (0.67,0.58) or one for all.",
                valueName: "a[,a…]"))
        var judgeVoteAccuracy: PerIteration?

        @Option(
            name: .customLong("judge-pair-accuracy"),
            help: ArgumentHelp(
                "P(a mixed pair's winner passes) after --judge-pair-votes votes, converted to a vote accuracy; "
                    + "one per iteration (0.67,0.58) or one for all.",
                valueName: "A[,A…]"))
        var judgePairAccuracy: PerIteration?

        @Option(
            name: .customLong("judge-pair-votes"),
            help: ArgumentHelp("Votes behind --judge-pair-accuracy.", valueName: "V"))
        var judgePairVotes = 8

        @Flag(
            name: .customLong("judge-from-store"),
            help: "Use the per-vote accuracies the executor measured, iteration by iteration (judge tallies in --db).")
        var judgeFromStore = false

        @Option(
            name: .customLong("judge-label"),
            help: ArgumentHelp("Only the judge tallies of this execution label.", valueName: "label"))
        var judgeLabel: String?

        // Objective.
        @Option(
            help: ArgumentHelp(
                "Budget for the whole task set (or per task with --per-task), in --unit.", valueName: "value"))
        var budget: Double?

        @Option(help: ArgumentHelp("Unit of budgets and totals: usd or tokens.", valueName: "usd|tokens"))
        var unit = CostUnit.usd

        @Flag(name: .customLong("per-task"), help: "The budget is per task.")
        var perTask = false

        @Option(
            name: .customLong("target-accuracy"),
            help: ArgumentHelp("Cheapest configuration reaching this accuracy.", valueName: "x"))
        var targetAccuracy: Double?

        @Option(
            name: .customLong("max-rounds"),
            help: ArgumentHelp(
                "Latency bound: at most this many sequential rounds (rollout, summary and judge waves).", valueName: "n"
            ))
        var maxRounds: Int?

        @Option(
            help: ArgumentHelp("Predict this configuration: N=16,G=2,V=8[,K=4,T=2,S=select|random].", valueName: "spec")
        )
        var config: String?

        // Costs.
        @Option(name: .customLong("price-in"), help: ArgumentHelp("USD per million input tokens.", valueName: "usd"))
        var priceIn = 3.0

        @Option(name: .customLong("price-out"), help: ArgumentHelp("USD per million output tokens.", valueName: "usd"))
        var priceOut = 15.0

        @Option(
            name: .customLong("tokens-in-per-rollout"),
            help: ArgumentHelp(
                "Input tokens of one iteration-0 rollout, summed over its steps (context re-read each step).",
                valueName: "n"))
        var tokensInPerRollout = 400_000.0

        @Option(
            name: .customLong("tokens-out-per-rollout"),
            help: ArgumentHelp("Output tokens of one iteration-0 rollout.", valueName: "n"))
        var tokensOutPerRollout = 8_000.0

        @Option(
            name: .customLong("refined-fraction"),
            help: ArgumentHelp(
                "Refined (iteration ≥ 1) rollouts' tokens as a fraction of iteration 0's (reference: 0.35–0.56).",
                valueName: "f"))
        var refinedFraction = 0.5

        @Option(
            name: .customLong("steps-per-rollout"),
            help: ArgumentHelp(
                "Agent steps of an iteration-0 rollout: refined rollouts re-read their priors at each step.",
                valueName: "n"))
        var stepsPerRollout = 40.0

        @Option(
            name: .customLong("trajectory-tokens"),
            help: ArgumentHelp("Tokens a summary call reads (the trajectory).", valueName: "n"))
        var trajectoryTokens = 40_000.0

        @Option(
            name: .customLong("summary-tokens"),
            help: ArgumentHelp(
                "Tokens of one summary (written once, read by every judge call on its group).", valueName: "n"))
        var summaryTokens = 1_000.0

        @Option(
            name: .customLong("judge-tokens"),
            help: ArgumentHelp(
                "Input tokens of a judge call besides the summaries (instructions and task).", valueName: "n"))
        var judgeTokens = 2_000.0

        @Option(
            name: .customLong("judge-tokens-out"), help: ArgumentHelp("Output tokens of a judge call.", valueName: "n"))
        var judgeTokensOut = 300.0

        // Search and models.
        @Option(
            name: .customLong("max-rollouts"),
            help: ArgumentHelp("Largest N searched (default 64, at most 256).", valueName: "n"))
        var maxRollouts: Int?

        @Option(
            name: .customLong("max-iterations"),
            help: ArgumentHelp("Largest T searched (default 3; 1: RTV only).", valueName: "n"))
        var maxIterations: Int?

        @Option(help: ArgumentHelp("Prior selection searched: select (default), random or both.", valueName: "mode"))
        var selection: SearchSpace.Selections?

        @Option(
            name: .customLong("refinement-table"),
            help: ArgumentHelp(
                "Refined-rollout success with 0…K passing priors, comma-separated; fits the logistic (default: the reference's Table 2).",
                valueName: "f0,…,fK"))
        var refinementTable: String?

        @Option(
            help: ArgumentHelp(
                "Tasks in the set (interval and totals; default: the measured set, else 100).", valueName: "n"))
        var tasks: Int?

        @Option(
            help: ArgumentHelp("Task-bootstrap refits behind the interval (0: task sampling only).", valueName: "n"))
        var bootstrap = 200

        @OptionGroup var seed: SeedOptions

        func validate() throws {
            try validatePopulationAndJudge()
            try validateObjective()
            try validateCostsAndSearch()
            _ = try makeRequest()
        }

        func validatePopulationAndJudge() throws {
            guard solveRateFiles.isEmpty != (passAtOne.passAt1 == nil) else {
                throw ValidationError("give the population with --solve-rates FILE or --pass-at-1 P (one of them)")
            }
            let judges = [judgeVoteAccuracy != nil, judgePairAccuracy != nil, judgeFromStore].filter { $0 }.count
            guard judges == 1 else {
                throw ValidationError(
                    "give the judge with one of --judge-vote-accuracy, --judge-pair-accuracy, --judge-from-store")
            }
            for (name, value) in [
                ("--judge-vote-accuracy", judgeVoteAccuracy), ("--judge-pair-accuracy", judgePairAccuracy),
            ] {
                if let value, !value.values.allSatisfy({ $0 >= 0 && $0 <= 1 }) {
                    throw ValidationError("\(name) must lie in [0, 1] (each iteration's value)")
                }
            }
            guard judgePairVotes >= 1 && judgePairVotes <= 64 else {
                throw ValidationError("--judge-pair-votes must lie in 1…64")
            }
            if let zeroShare {
                guard passAtOne.passAt1 != nil && config != nil else {
                    throw ValidationError("--zero-share goes with --pass-at-1 and --config (its N)")
                }
                guard zeroShare >= 0 && zeroShare < 1 else { throw ValidationError("--zero-share must lie in [0, 1)") }
            }
            if redistribution && config == nil { throw ValidationError("--redistribution goes with --config") }
            if judgeLabel != nil && !judgeFromStore {
                throw ValidationError("--judge-label goes with --judge-from-store")
            }
        }

        func validateObjective() throws {
            let modes = [budget != nil, targetAccuracy != nil, config != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("give exactly one of --budget, --target-accuracy, --config") }
            if let budget, !(budget > 0 && budget.isFinite) {
                throw ValidationError("--budget must be a positive number")
            }
            if let targetAccuracy, !(targetAccuracy > 0 && targetAccuracy < 1) {
                throw ValidationError("--target-accuracy must lie in (0, 1)")
            }
            if let maxRounds, maxRounds < 2 {
                throw ValidationError("--max-rounds must be ≥ 2 (a rollout and a summary wave)")
            }
            if config != nil && (maxRounds != nil || selection != nil || maxRollouts != nil || maxIterations != nil) {
                throw ValidationError(
                    "--config predicts one configuration: --max-rounds, --selection, "
                        + "--max-rollouts and --max-iterations shape a search")
            }
        }

        func validateCostsAndSearch() throws {
            let costs = [
                ("--price-in", priceIn), ("--price-out", priceOut),
                ("--tokens-in-per-rollout", tokensInPerRollout), ("--tokens-out-per-rollout", tokensOutPerRollout),
                ("--trajectory-tokens", trajectoryTokens), ("--summary-tokens", summaryTokens),
                ("--judge-tokens", judgeTokens), ("--judge-tokens-out", judgeTokensOut),
            ]
            for (name, value) in costs where !(value >= 0) { throw ValidationError("\(name) must be ≥ 0") }
            guard refinedFraction > 0 && stepsPerRollout >= 0 else {
                throw ValidationError("--refined-fraction must be positive and --steps-per-rollout ≥ 0")
            }
            if let tasks, !(1...100_000).contains(tasks) { throw ValidationError("--tasks must lie in 1…100000") }
            guard bootstrap == 0 || (2...2000).contains(bootstrap) else {
                throw ValidationError("--bootstrap needs 0 or 2…2000 refits")
            }
        }

        /// The workflow's request; a bad --config, search bound or --refinement-table is a usage error.
        func makeRequest() throws -> TestTimePlanRequest {
            var request = TestTimePlanRequest(population: population, judge: judge, inputs: costInputs)
            request.unit = unit
            request.budget = budget
            request.budgetPerTask = perTask
            request.targetAccuracy = targetAccuracy
            request.maxRounds = maxRounds
            request.fixed = try config.map(Self.pipeline)
            do {
                request.space = try SearchSpace(
                    largestRollouts: maxRollouts, maxIterations: maxIterations,
                    selections: selection ?? .select)
            } catch {
                throw ValidationError("\(error)")
            }
            if let refinementTable {
                do { request.refinement = try RefinementModel(tableSpecification: refinementTable) } catch {
                    throw ValidationError("\(error)")
                }
            }
            request.redistribution = redistribution
            if let zeroShare, let passAt1 = passAtOne.passAt1, let fixed = request.fixed {
                request.population = .zeroShare(
                    passAt1: passAt1, zeroShare: zeroShare, rollouts: fixed.configuration.rollouts,
                    concentration: passAtOne.concentration)
            }
            request.tasks = tasks
            request.bootstrapResamples = bootstrap
            request.seed = seed.seed
            return request
        }

        /// A `--config` pipeline, within the sizes the planner supports.
        static func pipeline(_ specification: String) throws -> TestTimePipeline {
            let pipeline: TestTimePipeline
            do { pipeline = try TestTimePipeline(specification: specification) } catch {
                throw ValidationError("--config: \(error)")
            }
            let c = pipeline.configuration
            guard c.rollouts <= 512 && c.groupSize <= 16 && c.votes <= 64 && c.iterations <= 8 else {
                throw ValidationError("--config: N ≤ 512, G ≤ 16, V ≤ 64 and T ≤ 8 are supported")
            }
            return pipeline
        }

        var population: TestTimePlanRequest.Population {
            passAtOne.passAt1.map { .passAt1($0, concentration: passAtOne.concentration) }
                ?? .measured(
                    files: solveRateFiles, system: solveRates.system, options: solveRates.importOptions,
                    kind: solveRates.kind)
        }

        var judge: TestTimePlanRequest.Judge {
            if let judgeVoteAccuracy { return .voteAccuracy(judgeVoteAccuracy.values) }
            if let judgePairAccuracy { return .pairAccuracy(judgePairAccuracy.values, votes: judgePairVotes) }
            return .fromStore(path: global.databasePath, label: judgeLabel)
        }

        var costInputs: CostInputs {
            var inputs = CostInputs(
                rolloutTokensIn: tokensInPerRollout, rolloutTokensOut: tokensOutPerRollout,
                priceIn: priceIn / 1e6, priceOut: priceOut / 1e6)
            inputs.refinedRolloutFraction = refinedFraction
            inputs.stepsPerRollout = stepsPerRollout
            inputs.summaryTokensIn = trajectoryTokens
            inputs.summaryTokensOut = summaryTokens
            inputs.judgeTokensBase = judgeTokens
            inputs.judgeTokensPerCandidate = summaryTokens
            inputs.judgeTokensOut = judgeTokensOut
            return inputs
        }

        func run() throws {
            try reportingFailures {
                let plan = try TestTimePlanWorkflow.run(makeRequest())
                try global.render(plan) { render(plan, format: $0) }
            }
        }

        func render(_ plan: TestTimePlan, format: OutputFormat) -> String {
            TestTimePlanRendering(plan: plan, format: format, priceIn: priceIn / 1e6, priceOut: priceOut / 1e6).text
        }
    }
}
