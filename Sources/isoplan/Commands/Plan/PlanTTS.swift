import ArgumentParser
import Foundation
import Planner
import Workflows

extension PlanCommand {
    /// `isoplan plan tts`: size a test-time pipeline (RTV, select-K + PDR) for a budget.
    struct TestTimeScaling: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tts",
            abstract: "Size test-time rollout populations: the budget-optimal (N, G, V, K, T), or predict one configuration.",
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
        @Option(name: .customLong("solve-rates"),
                help: ArgumentHelp("Evaluation output (PATH or NAME=PATH); repeat to merge runs.", valueName: "file"))
        var solveRateFiles: [String] = []

        @OptionGroup var solveRates: SolveRateInputOptions

        @Option(name: .customLong("pass-at-1"), help: ArgumentHelp("Population pass@1, when no per-task data exists.", valueName: "p"))
        var passAt1: Double?

        @Option(help: ArgumentHelp("Beta concentration α+β with --pass-at-1 (default 0.41, the median Terminal-Bench fit).",
                                   valueName: "k"))
        var concentration: Double?

        // Judge.
        @Option(name: .customLong("judge-vote-accuracy"),
                help: ArgumentHelp("P(one vote on a mixed group picks a passing candidate).", valueName: "a"))
        var judgeVoteAccuracy: Double?

        @Option(name: .customLong("judge-pair-accuracy"),
                help: ArgumentHelp("P(a mixed pair's winner passes) after --judge-pair-votes votes; converted to a vote accuracy.",
                                   valueName: "A"))
        var judgePairAccuracy: Double?

        @Option(name: .customLong("judge-pair-votes"), help: ArgumentHelp("Votes behind --judge-pair-accuracy.", valueName: "V"))
        var judgePairVotes = 8

        @Flag(name: .customLong("judge-from-store"), help: "Use the per-vote accuracy the executor measured (judge tallies in --db).")
        var judgeFromStore = false

        @Option(name: .customLong("judge-label"), help: ArgumentHelp("Only the judge tallies of this execution label.", valueName: "label"))
        var judgeLabel: String?

        // Objective.
        @Option(help: ArgumentHelp("Budget for the whole task set (or per task with --per-task), in --unit.", valueName: "value"))
        var budget: Double?

        @Option(help: ArgumentHelp("Unit of budgets and totals: usd or tokens.", valueName: "usd|tokens"))
        var unit = CostUnit.usd.rawValue

        @Flag(name: .customLong("per-task"), help: "The budget is per task.")
        var perTask = false

        @Option(name: .customLong("target-accuracy"), help: ArgumentHelp("Cheapest configuration reaching this accuracy.", valueName: "x"))
        var targetAccuracy: Double?

        @Option(name: .customLong("max-rounds"), help: ArgumentHelp("Latency bound: at most this many sequential rounds (rollout, summary and judge waves).", valueName: "n"))
        var maxRounds: Int?

        @Option(help: ArgumentHelp("Predict this configuration: N=16,G=2,V=8[,K=4,T=2,S=select|random].", valueName: "spec"))
        var config: String?

        // Costs.
        @Option(name: .customLong("price-in"), help: ArgumentHelp("USD per million input tokens.", valueName: "usd"))
        var priceIn = 3.0

        @Option(name: .customLong("price-out"), help: ArgumentHelp("USD per million output tokens.", valueName: "usd"))
        var priceOut = 15.0

        @Option(name: .customLong("tokens-in-per-rollout"),
                help: ArgumentHelp("Input tokens of one iteration-0 rollout, summed over its steps (context re-read each step).",
                                   valueName: "n"))
        var tokensInPerRollout = 400_000.0

        @Option(name: .customLong("tokens-out-per-rollout"), help: ArgumentHelp("Output tokens of one iteration-0 rollout.", valueName: "n"))
        var tokensOutPerRollout = 8_000.0

        @Option(name: .customLong("refined-fraction"),
                help: ArgumentHelp("Refined (iteration ≥ 1) rollouts' tokens as a fraction of iteration 0's (reference: 0.35–0.56).",
                                   valueName: "f"))
        var refinedFraction = 0.5

        @Option(name: .customLong("steps-per-rollout"),
                help: ArgumentHelp("Agent steps of an iteration-0 rollout: refined rollouts re-read their priors at each step.",
                                   valueName: "n"))
        var stepsPerRollout = 40.0

        @Option(name: .customLong("trajectory-tokens"), help: ArgumentHelp("Tokens a summary call reads (the trajectory).", valueName: "n"))
        var trajectoryTokens = 40_000.0

        @Option(name: .customLong("summary-tokens"),
                help: ArgumentHelp("Tokens of one summary (written once, read by every judge call on its group).", valueName: "n"))
        var summaryTokens = 1_000.0

        @Option(name: .customLong("judge-tokens"),
                help: ArgumentHelp("Input tokens of a judge call besides the summaries (instructions and task).", valueName: "n"))
        var judgeTokens = 2_000.0

        @Option(name: .customLong("judge-tokens-out"), help: ArgumentHelp("Output tokens of a judge call.", valueName: "n"))
        var judgeTokensOut = 300.0

        // Search and models.
        @Option(name: .customLong("max-rollouts"), help: ArgumentHelp("Largest N searched (default 64, at most 256).", valueName: "n"))
        var maxRollouts: Int?

        @Option(name: .customLong("max-iterations"), help: ArgumentHelp("Largest T searched (default 3; 1: RTV only).", valueName: "n"))
        var maxIterations: Int?

        @Option(help: ArgumentHelp("Prior selection searched: select (default), random or both.", valueName: "mode"))
        var selection: String?

        @Option(name: .customLong("refinement-table"),
                help: ArgumentHelp("Refined-rollout success with 0…K passing priors, comma-separated; fits the logistic (default: the reference's Table 2).",
                                   valueName: "f0,…,fK"))
        var refinementTable: String?

        @Option(help: ArgumentHelp("Tasks in the set (interval and totals; default: the measured set, else 100).", valueName: "n"))
        var tasks: Int?

        @Option(help: ArgumentHelp("Task-bootstrap refits behind the interval (0: task sampling only).", valueName: "n"))
        var bootstrap = 200

        @OptionGroup var seed: SeedOptions

        func validate() throws {
            guard solveRateFiles.isEmpty != (passAt1 == nil) else {
                throw ValidationError("give the population with --solve-rates FILE or --pass-at-1 P (one of them)")
            }
            if let passAt1, !(passAt1 > 0 && passAt1 < 1) { throw ValidationError("--pass-at-1 must lie in (0, 1)") }
            if let concentration, !(concentration > 0 && concentration <= 1e6) {
                throw ValidationError("--concentration must lie in (0, 1e6]")
            }
            if concentration != nil && passAt1 == nil { throw ValidationError("--concentration goes with --pass-at-1") }
            let judges = [judgeVoteAccuracy != nil, judgePairAccuracy != nil, judgeFromStore].filter { $0 }.count
            guard judges == 1 else {
                throw ValidationError("give the judge with one of --judge-vote-accuracy, --judge-pair-accuracy, --judge-from-store")
            }
            for (name, value) in [("--judge-vote-accuracy", judgeVoteAccuracy), ("--judge-pair-accuracy", judgePairAccuracy)] {
                if let value, !(value >= 0 && value <= 1) { throw ValidationError("\(name) must lie in [0, 1]") }
            }
            guard judgePairVotes >= 1 && judgePairVotes <= 64 else { throw ValidationError("--judge-pair-votes must lie in 1…64") }
            if judgeLabel != nil && !judgeFromStore { throw ValidationError("--judge-label goes with --judge-from-store") }
            guard CostUnit(rawValue: unit) != nil else { throw ValidationError("--unit must be usd or tokens, got \"\(unit)\"") }
            let modes = [budget != nil, targetAccuracy != nil, config != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("give exactly one of --budget, --target-accuracy, --config") }
            if let budget, !(budget > 0 && budget.isFinite) { throw ValidationError("--budget must be a positive number") }
            if let targetAccuracy, !(targetAccuracy > 0 && targetAccuracy < 1) { throw ValidationError("--target-accuracy must lie in (0, 1)") }
            if let maxRounds, maxRounds < 2 { throw ValidationError("--max-rounds must be ≥ 2 (a rollout and a summary wave)") }
            if let config {
                let pipeline: TestTimePipeline
                do { pipeline = try TestTimePipeline(specification: config) } catch { throw ValidationError("--config: \(error)") }
                guard pipeline.configuration.rollouts <= 512 && pipeline.configuration.groupSize <= 16 && pipeline.configuration.votes <= 64
                    && pipeline.configuration.iterations <= 8 else {
                    throw ValidationError("--config: N ≤ 512, G ≤ 16, V ≤ 64 and T ≤ 8 are supported")
                }
                if maxRounds != nil || selection != nil || maxRollouts != nil || maxIterations != nil {
                    throw ValidationError("--config predicts one configuration: --max-rounds, --selection, --max-rollouts and --max-iterations shape a search")
                }
            }
            for (name, value) in [("--price-in", priceIn), ("--price-out", priceOut), ("--tokens-in-per-rollout", tokensInPerRollout),
                                  ("--tokens-out-per-rollout", tokensOutPerRollout), ("--trajectory-tokens", trajectoryTokens),
                                  ("--summary-tokens", summaryTokens), ("--judge-tokens", judgeTokens), ("--judge-tokens-out", judgeTokensOut)]
            where !(value >= 0) { throw ValidationError("\(name) must be ≥ 0") }
            guard refinedFraction > 0 && stepsPerRollout >= 0 else {
                throw ValidationError("--refined-fraction must be positive and --steps-per-rollout ≥ 0")
            }
            if let maxRollouts, !(1...256).contains(maxRollouts) { throw ValidationError("--max-rollouts must lie in 1…256") }
            if let maxIterations, !(1...5).contains(maxIterations) { throw ValidationError("--max-iterations must lie in 1…5") }
            if let selection, !["select", "random", "both"].contains(selection) {
                throw ValidationError("--selection must be select, random or both")
            }
            if let refinementTable {
                let values = refinementTable.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard values.count >= 2, values.allSatisfy({ $0.map { $0 >= 0 && $0 <= 1 } ?? false }) else {
                    throw ValidationError("--refinement-table needs two or more probabilities in [0, 1]")
                }
            }
            if let tasks, !(1...100_000).contains(tasks) { throw ValidationError("--tasks must lie in 1…100000") }
            guard bootstrap == 0 || (2...2000).contains(bootstrap) else { throw ValidationError("--bootstrap needs 0 or 2…2000 refits") }
        }

        var request: TestTimePlanRequest {
            let population: TestTimePlanRequest.Population = passAt1.map { .passAt1($0, concentration: concentration) }
                ?? .measured(files: solveRateFiles, system: solveRates.system, options: solveRates.importOptions, kind: solveRates.kind)
            let judge: TestTimePlanRequest.Judge
            if let judgeVoteAccuracy { judge = .voteAccuracy(judgeVoteAccuracy) }
            else if let judgePairAccuracy { judge = .pairAccuracy(judgePairAccuracy, votes: judgePairVotes) }
            else { judge = .fromStore(path: global.databasePath, label: judgeLabel) }
            var inputs = CostInputs(rolloutTokensIn: tokensInPerRollout, rolloutTokensOut: tokensOutPerRollout,
                                    priceIn: priceIn / 1e6, priceOut: priceOut / 1e6)
            inputs.refinedRolloutFraction = refinedFraction
            inputs.stepsPerRollout = stepsPerRollout
            inputs.summaryTokensIn = trajectoryTokens
            inputs.summaryTokensOut = summaryTokens
            inputs.judgeTokensBase = judgeTokens
            inputs.judgeTokensPerCandidate = summaryTokens
            inputs.judgeTokensOut = judgeTokensOut
            var request = TestTimePlanRequest(population: population, judge: judge, inputs: inputs)
            request.unit = CostUnit(rawValue: unit)!
            request.budget = budget
            request.budgetPerTask = perTask
            request.targetAccuracy = targetAccuracy
            request.maxRounds = maxRounds
            request.fixed = config.map { try! TestTimePipeline(specification: $0) }
            let largest = maxRollouts ?? 64
            request.space.rollouts = request.space.rollouts.filter { $0 < largest }
                + stride(from: 80, to: largest, by: 16).filter { $0 > 64 } + [largest]
            request.space.maxIterations = maxIterations ?? 3
            let mode = selection ?? "select"
            request.space.selections = mode == "both" ? [.select, .random] : [PriorSelection(rawValue: mode)!]
            if let refinementTable {
                request.refinement = .fit(table: refinementTable.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! })
            }
            request.tasks = tasks
            request.bootstrapResamples = bootstrap
            request.seed = seed.seed
            return request
        }

        func run() throws {
            do {
                let plan = try TestTimePlanWorkflow.run(request)
                switch global.outputFormat {
                case .json: print(try jsonString(plan))
                case .table, .md: print(render(plan, format: global.outputFormat))
                }
            } catch {
                throw reportFailure(error)
            }
        }

        func render(_ plan: TestTimePlan, format: OutputFormat) -> String {
            let r = plan.recommendation
            let c = r.pipeline.configuration
            let unitName = plan.unit == .usd ? "USD" : "tokens"
            let money = { (x: Double) in plan.unit == .usd ? String(format: "$%.2f", x) : formatNumber(x) }
            let heading: String
            switch plan.mode {
            case "fixed": heading = "Prediction for \(r.pipeline.specification)"
            case "target": heading = "Cheapest configuration reaching accuracy \(formatNumber(plan.targetAccuracy ?? 0))"
            default: heading = "Recommendation for a budget of \(money(plan.budget ?? 0)) over \(plan.tasks) tasks"
            }
            var rows: [(String, String)] = [
                ("configuration", r.pipeline.specification),
                ("rollouts N", String(c.rollouts)), ("group size G", String(c.groupSize)), ("votes V", String(c.votes)),
            ]
            if c.iterations > 1 {
                rows += [("priors K", String(c.priors)), ("iterations T", String(c.iterations)), ("selection", r.pipeline.selection.rawValue)]
            }
            rows += [
                ("expected accuracy", formatNumber(r.prediction.accuracy)),
                ("95% predictive interval", "\(formatNumber(r.interval.lower))–\(formatNumber(r.interval.upper)) (mean over \(plan.tasks) tasks)"),
                ("cost per task", "\(String(format: "$%.2f", r.dollarsPerTask)), \(formatNumber(r.tokensPerTask)) tokens"),
                ("total (\(unitName))", money(r.totalCost)),
                ("sequential rounds", String(r.cost.sequentialRounds)),
                ("population", plan.population.assumedShape
                    ? "assumed Beta(\(formatNumber(plan.population.model.alpha)), \(formatNumber(plan.population.model.beta)))"
                    : "\(plan.population.system ?? plan.population.source): \(plan.population.model.kind.rawValue) α = \(formatNumber(plan.population.model.alpha)), β = \(formatNumber(plan.population.model.beta))"),
                ("judge", "vote accuracy \(formatNumber(plan.judge.voteAccuracy)) (\(plan.judge.source)); pair accuracy after \(c.votes) votes \(formatNumber(r.pairAccuracy))"),
            ]
            var out = "\(heading)\n\n" + keyValueTable(rows, format: format)
            let b = r.cost
            let usd = { (tokensIn: Double, tokensOut: Double) in
                String(format: "%.2f", tokensIn * (priceIn / 1e6) + tokensOut * (priceOut / 1e6))
            }
            out += "\n\nCost per task\n\n" + table(header: ["part", "calls", "tokens in", "tokens out", "USD"], rows: [
                ["rollouts", String(b.rollouts), formatNumber(b.rolloutTokensIn), formatNumber(b.rolloutTokensOut), usd(b.rolloutTokensIn, b.rolloutTokensOut)],
                ["summaries", String(b.summaries), formatNumber(b.summaryTokensIn), formatNumber(b.summaryTokensOut), usd(b.summaryTokensIn, b.summaryTokensOut)],
                ["judge calls", String(b.judgeCalls), formatNumber(b.judgeTokensIn), formatNumber(b.judgeTokensOut), usd(b.judgeTokensIn, b.judgeTokensOut)],
                ["total", String(b.rollouts + b.summaries + b.judgeCalls), formatNumber(b.tokensIn), formatNumber(b.tokensOut), usd(b.tokensIn, b.tokensOut)],
            ], format: format)
            out += "\n\nIterations\n\n" + table(header: ["iteration", "pass@1", "pass@N"], rows: r.prediction.iterations.enumerated().map {
                [String($0.offset), formatNumber($0.element.passAt1), formatNumber($0.element.passAtN)]
            }, format: format)
            if !plan.curve.isEmpty {
                out += "\n\nAccuracy vs budget (\(plan.configurationsScored) configurations scored)\n\n"
                    + table(header: ["budget (\(unitName))", "accuracy", "configuration"], rows: plan.curve.map {
                        [money($0.budget), formatNumber($0.accuracy), $0.pipeline.specification]
                    }, format: format)
            }
            if !plan.sensitivity.isEmpty {
                out += "\n\nSensitivity to the assumed shape (same pass@1)\n\n"
                    + table(header: ["alpha+beta", "best configuration", "its accuracy", "recommended's accuracy"], rows: plan.sensitivity.map {
                        [formatNumber($0.concentration), $0.best?.specification ?? "none", $0.bestAccuracy.map(formatNumber) ?? "-",
                         formatNumber($0.recommendedAccuracy)]
                    }, format: format)
            }
            for note in plan.notes { out += "\n\nnote: \(note)" }
            return out
        }
    }
}
