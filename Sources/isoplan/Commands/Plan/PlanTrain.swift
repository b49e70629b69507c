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
            abstract: "Plan RL training for a budget: rollouts per problem n, problems per batch B_p, steps M, learning rate and recipe.",
            discussion: """
                n comes from the compute-optimal law: the newest stored frontier fit for the \
                difficulty (`isoplan fit frontier`), else the paper's published law (--law q1, Fig. 6; \
                q3-joint, Fig. 10), rounded to a power of two and capped at the saturation (easy 512, \
                hard 128). B_p defaults to 32 (at least 32 on hard sets), M = C/(B_p·n), η = 1e-6·√(B_p·n/1024). \
                With --batch B the fixed-batch law n*(M) is used. The plan is stored.

                  isoplan plan train --budget 4e6 --difficulty easy
                  isoplan plan train --budget 1e7 --difficulty auto --solve-rates counts.csv --export verl

                --export verl|trl|openrlhf prints ready-to-paste settings instead of the table (TRL: with \
                --processes and --per-device-batch); --format verl|trl|openrlhf is a deprecated alias of \
                --export, kept for one release; json and md as everywhere.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Budget C.", valueName: "C"))
        var budget: Double

        @Option(help: ArgumentHelp("Unit of the budget: rollouts or tokens.", valueName: "unit"))
        var unit = "rollouts"

        @Option(name: .customLong("tokens-per-rollout"), help: ArgumentHelp("Tokens per rollout, to plan a token budget.", valueName: "T"))
        var tokensPerRollout: Double?

        @Option(help: ArgumentHelp("easy, hard, mixed, or auto (from --solve-rates with the paper's avg@16 bins).", valueName: "name"))
        var difficulty = "easy"

        @Option(name: .customLong("solve-rates"), help: ArgumentHelp("Counts file for --difficulty auto.", valueName: "file"))
        var solveRates: String?

        @Option(help: ArgumentHelp("Law: q1 (default; Fig. 6), q3-joint (Fig. 10) or fit (a stored frontier fit only). Without it a stored fit wins over q1.",
                                   valueName: "name"))
        var law: String?

        @Option(help: ArgumentHelp("Fixed batch B = B_p·n (fixed-batch mode).", valueName: "B"))
        var batch: Int?

        @Option(help: ArgumentHelp("Train problems D (caps B_p; small sets warn).", valueName: "D"))
        var problems: Int?

        @Option(name: .customLong("bp"), help: ArgumentHelp("Problems per batch B_p.", valueName: "B_p"))
        var problemsPerBatch = 32

        @Option(help: ArgumentHelp("Print ready-to-paste settings of this training framework instead of the table.",
                                   valueName: "framework"))
        var export: FrameworkExport?

        @Option(help: ArgumentHelp("TRL processes (with --export trl).", valueName: "n"))
        var processes = 1

        @Option(name: .customLong("per-device-batch"), help: ArgumentHelp("TRL per-device train batch (with --export trl).", valueName: "n"))
        var perDeviceBatch = 8

        func validate() throws {
            guard budget > 0, budget <= 1e18 else { throw ValidationError("--budget must lie in (0, 1e18]") }
            guard ["rollouts", "tokens"].contains(unit) else { throw ValidationError("--unit must be rollouts or tokens") }
            guard ["easy", "hard", "mixed", "auto"].contains(difficulty) else { throw ValidationError("--difficulty must be easy, hard, mixed or auto") }
            if difficulty == "auto" && solveRates == nil { throw ValidationError("--difficulty auto needs --solve-rates FILE") }
            if let law, !["q1", "q3-joint", "fit"].contains(law) { throw ValidationError("--law must be q1, q3-joint or fit") }
            if let batch, !(2...(1 << 30)).contains(batch) { throw ValidationError("--batch must lie in 2…2^30") }
            guard (1...(1 << 24)).contains(problemsPerBatch), (1...(1 << 20)).contains(processes), (1...(1 << 20)).contains(perDeviceBatch) else {
                throw ValidationError("--bp (≤ 2^24), --processes and --per-device-batch (≤ 2^20) must be ≥ 1")
            }
            if let tokensPerRollout, !(tokensPerRollout > 0) { throw ValidationError("--tokens-per-rollout must be positive") }
            if let export, let alias = global.frameworkAlias, export != alias {
                throw ValidationError("--export \(export.rawValue) conflicts with --format \(alias.rawValue); give --export only")
            }
        }

        func run() throws {
            do {
                var word = difficulty
                var notes: [String] = []
                if difficulty == "auto" {
                    let systems = try SolveRateCounts.read(solveRates!)
                    let merged = SolveRates(system: nil, tasks: systems.flatMap(\.tasks))
                    let result = DifficultyClassifier.classify(merged)
                    word = result.difficulty
                    notes = ["auto: \(result.easy) easy, \(result.hard) hard tasks → \(word)"] + result.warnings
                }
                var request = TrainingPlanRequest(budget: budget, difficulty: word)
                request.unit = unit
                request.tokensPerRollout = tokensPerRollout
                request.law = law ?? "q1"
                request.preferStoredFit = law == nil
                request.batch = batch
                request.problems = problems
                request.problemsPerBatch = problemsPerBatch
                request.notes = notes
                let store = try Store(path: global.databasePath)
                let plan = try TrainingPlanWorkflow.run(request, store: store)
                if let framework = export ?? global.frameworkAlias {
                    switch framework {
                    case .verl: print(PlanExport.verl(plan))
                    case .trl: print(try PlanExport.trl(plan, processes: processes, perDeviceBatch: perDeviceBatch))
                    case .openrlhf: print(PlanExport.openrlhf(plan))
                    }
                    return
                }
                switch global.outputFormat {
                case .json: print(try jsonString(plan))
                case .table, .md:
                    print(keyValueTable([
                        ("n (rollouts per problem)", String(plan.rolloutsPerProblem)), ("B_p (problems per batch)", String(plan.problemsPerBatch)),
                        ("M (steps)", String(plan.steps)), ("batch B = B_p·n", String(plan.batch)),
                        ("learning rate", String(format: "%.3g", plan.learningRate)),
                        ("n* (unrounded)", formatNumber(plan.optimalRollouts)
                            + (plan.optimalRolloutsInterval.map { " (95% bootstrap interval \(formatNumber($0[0]))–\(formatNumber($0[1])))" } ?? "")),
                        ("expected val_reward", plan.expectedReward.map { formatNumber($0) + (plan.expectedRewardExtrapolated == true ? " (extrapolated beyond the curve's data)" : "") }
                            ?? "no fitted curve for this n"),
                        ("law", plan.lawSource),
                        ("recipe", plan.recipe.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
                        ("stored as plan", plan.id.map(String.init) ?? "-"),
                    ], format: global.outputFormat))
                    print("\n" + plan.rationale)
                    for warning in plan.warnings { print("warning: \(warning)") }
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                throw reportFailure(error)
            }
        }
    }
}
