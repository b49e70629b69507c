public import Domain
import Foundation
import Ingest
import Planner
public import RunStore
import ScalingLaws

/// `isoplan plan train`: a (n, B_p, M, η) recipe for a budget, stored.
public struct TrainingPlanRequest: Sendable {
    /// The population the plan is for.
    public enum DifficultyChoice: Sendable, Hashable {
        /// A named population.
        case named(PlanDifficulty)
        /// Classified from a counts file (`task_id,trials,successes`; every system in it pooled)
        /// by `DifficultyClassifier` with the paper's avg@16 bins; how is kept as the plan's first warnings.
        case auto(solveRatesFile: String)
    }

    public var budget: Double
    public var unit = BudgetUnit.rollouts
    public var tokensPerRollout: Double?
    public var difficulty: DifficultyChoice
    /// `q1` (default) or `q3-joint`; `fit` uses only the latest stored frontier fit.
    public var law = "q1"
    /// Prefer the latest stored frontier fit of the difficulty over the preset (when one exists).
    public var preferStoredFit = true
    public var batch: Int?
    public var problems: Int?
    public var problemsPerBatch = 32
    /// How fast the n* interval widens outside the data's identified range (`DataRange`).
    public var extrapolationDoublingsPerDecade = DataRange.defaultDoublingsPerDecade
    /// Where seconds per step come from: needed for GPU-hour and dollar budgets, and when
    /// given the plan is costed whatever its unit.
    public var throughput: ThroughputSource?
    /// GPUs the plan runs on, and the price of a GPU-hour (for dollars).
    public var gpus = 8
    public var usdPerGPUHour: Double?
    /// The problems' success rates for the zero-advantage table (nil: a counts file given for
    /// `auto`, else the difficulty's own population).
    public var population: PopulationChoice?

    public init(budget: Double, difficulty: DifficultyChoice) {
        self.budget = budget
        self.difficulty = difficulty
    }
}

/// The source of a plan's throughput model.
public enum ThroughputSource: Sendable, Hashable {
    /// Fitted to these stored pilot runs; `pilotGPUs` where their logs do not tell.
    case runs([String], pilotGPUs: Int?)
    /// A figure given by hand.
    case given(rolloutsPerGPUSecond: Double)
}

/// The population of per-problem success rates a plan's zero-advantage table is computed over.
public enum PopulationChoice: Sendable, Hashable {
    /// A counts file (`task_id,trials,successes`), every system pooled.
    case counts(file: String)
    case beta(alpha: Double, beta: Double)
    /// A population pass@1 with a Beta shape of concentration α + β
    /// (``SolveRateModel/assumedShape(passAt1:concentration:)``; default 0.41).
    case passAt1(Double, concentration: Double)
}

public enum TrainingPlanWorkflow {
    /// Picks the law (the newest stored frontier fit for the difficulty's `val_reward`, else the
    /// preset), plans — a cluster-time budget through the throughput model — costs the plan,
    /// adds the zero-advantage table, and stores it.
    public static func run(_ request: TrainingPlanRequest, store: Store) throws(WorkflowError) -> Plan {
        do {
            // A counts file of `auto` is read once: it classifies the set and is the zero-advantage population.
            var counts: (file: String, rates: SolveRates)?
            if case .auto(let file) = request.difficulty { counts = (file, try pooledCounts(file)) }
            let (difficulty, notes) = try counts.map { classified($0.rates) } ?? resolve(request.difficulty)
            let throughput = try request.throughput.map { source throws in
                try throughputModel(source, store: store, responseTokens: request.tokensPerRollout)
            }
            let lawRequest = try rolloutRequest(request, throughput: throughput)
            let (law, lawSource, analysis, lawNotes) = try law(for: lawRequest, difficulty: difficulty, store: store)
            let dataRange = analysis?.identifiedRange.map { range in
                DataRange(
                    compute: range[0]...range[1], ceiling: analysis?.stillRising.max(),
                    doublingsPerDecade: request.extrapolationDoublingsPerDecade)
            }
            let planning = { (budget: Double) throws(DomainError) -> Plan in
                try TrainingPlanner.plan(
                    budget: budget, unit: lawRequest.unit, tokensPerRollout: request.tokensPerRollout,
                    difficulty: difficulty, law: law, lawSource: lawSource, batch: request.batch,
                    problems: request.problems, problemsPerBatch: request.problemsPerBatch,
                    lawSamples: lawSource.hasPrefix("fit:") ? analysis?.lawBootstrap?.samples ?? [] : [],
                    dataRange: dataRange)
            }
            var plan = try plan(request, throughput: throughput, planning: planning)
            if let analysis, request.batch == nil {
                // The reward the plan's n curve predicts at the rollouts it samples.
                let x = request.unit.isClusterTime ? Double(plan.steps * plan.batch) : request.budget
                if let curve = analysis.curves.first(where: { $0.rolloutsPerProblem == plan.rolloutsPerProblem }) {
                    plan.expectedReward = curve.value(at: x)
                    plan.expectedRewardExtrapolated = x > curve.xMax
                }
            }
            plan.zeroAdvantage = try zeroAdvantage(request, difficulty: difficulty, plan: plan, counts: counts)
            plan.warnings = notes + lawNotes + plan.warnings + (plan.cost?.throughput.notes ?? [])
            return try store.insert(plan)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// The law to plan with: the newest stored frontier fit of the difficulty (easy, else hard)
    /// when preferred or asked for (`--law fit`; rollout budgets only), with its analysis for the
    /// n* interval and the expected reward; else the published preset. A stored law that is not
    /// identified is never used: the plan falls back to the best measured n at the swept budget
    /// nearest the request when the budget lies within the identified range, else to the
    /// published law, and says so in the notes.
    static func law(for request: TrainingPlanRequest, difficulty: PlanDifficulty, store: Store) throws
        -> (law: AllocationLawSpec, source: String, analysis: FrontierAnalysis?, notes: [String])
    {
        let lawDifficulty: Difficulty = difficulty == .easy ? .easy : .hard
        var notes: [String] = []
        // The data's analysis still bounds the plan's interval when its law is not used.
        var unusedAnalysis: FrontierAnalysis?
        if request.preferStoredFit || request.law == "fit",
            let fit = try store.latestFit(
                kind: .frontier, metric: .validationReward, difficulty: lawDifficulty.rawValue,
                family: .law),
            fit.family == .law, fit.parameters.count == 4, request.unit == .rollouts
        {
            let id = fit.id ?? 0
            let analysis = try? JSONDecoder().decode(FrontierAnalysis.self, from: Data(fit.detailsJSON.utf8))
            if let reason = unusableReason(fit, analysis: analysis) {
                notes.append("stored frontier fit \(id) is not used: \(reason)")
                if let measured = measuredFallback(request, fitID: id, analysis: analysis) {
                    return (measured.law, "measured:\(id)", analysis, notes + [measured.note])
                }
                guard request.law != "fit" else {
                    throw WorkflowError.empty("stored frontier fit \(id) is not identified (\(reason)); use --law q1")
                }
                notes.append("planned with the published \(request.law) law instead")
                unusedAnalysis = analysis
            } else {
                let law = AllocationLawSpec.fitted(
                    name: "fit-\(id)", parameters: fit.parameters,
                    source: "stored frontier fit \(id) of \(fit.runIDs.count) runs (\(fit.runFilter ?? "all runs"))")
                return (law, "fit:\(id)", analysis, notes)
            }
        }
        guard request.law != "fit" else {
            throw WorkflowError.empty(
                "no stored frontier fit for \(lawDifficulty.rawValue); run `isoplan fit frontier` or use --law q1")
        }
        guard
            let preset = PublishedLaws.law(request.law, difficulty: lawDifficulty, unit: request.unit)
                ?? PublishedLaws.law(request.law, difficulty: lawDifficulty, unit: .rollouts)
        else {
            throw WorkflowError.empty(
                "no published \(request.law) law for \(lawDifficulty.rawValue) in \(request.unit.rawValue) "
                    + "(token budgets have a published law for easy only)")
        }
        return (preset, "preset:\(preset.name)", unusedAnalysis, notes)
    }

    /// The best measured n as a constant law, when the budget lies within the identified range
    /// (a free-mode plan): inside the swept range a measurement is the best evidence; beyond it
    /// n* keeps rising, so a measured n would lag and the published law is the better guess.
    static func measuredFallback(_ request: TrainingPlanRequest, fitID id: Int64, analysis: FrontierAnalysis?)
        -> (law: AllocationLawSpec, note: String)?
    {
        guard request.batch == nil, let analysis, let range = analysis.identifiedRange,
            request.budget >= range[0] * 0.9999, request.budget <= range[1] * 1.0001,
            let measured = bestMeasured(analysis, near: request.budget)
        else { return nil }
        let at = String(format: "%.3g", measured.x)
        let law = AllocationLawSpec.fitted(
            name: "measured-\(id)", parameters: [0, 0, 0, log2(Double(measured.n))], cap: measured.n,
            source: "best measured n of stored frontier fit \(id) at \(at)")
        return (law, "planned with the best measured n = \(measured.n) at the swept budget \(at) nearest the request")
    }

    /// Why a stored frontier fit may not be planned with (`nil`: it may): its analysis's
    /// identification, and for every record (those stored before identification existed too)
    /// L or k on a bound or a decreasing law.
    static func unusableReason(_ fit: Fit, analysis: FrontierAnalysis?) -> String? {
        if let analysis, !analysis.lawIdentified { return analysis.lawReason ?? "not identified" }
        if fit.parametersOnBound.contains(where: { $0 == "L" || $0 == "k" }) { return "L or k on a bound" }
        return fit.parameters[0] <= 0 ? "the law decreases with compute" : nil
    }

    /// The winning n at the resolved grid point of the identified range nearest the budget (in
    /// log compute).
    static func bestMeasured(_ analysis: FrontierAnalysis, near budget: Double) -> (n: Int, x: Double)? {
        guard let range = analysis.identifiedRange else { return nil }
        return analysis.grid.filter { $0.resolved && $0.x >= range[0] && $0.x <= range[1] }
            .min { abs(log10($0.x / budget)) < abs(log10($1.x / budget)) }
            .map { ($0.rolloutsPerProblem, $0.x) }
    }

    /// The difficulty word of the plan and notes on how it was chosen: a named one as is, `auto`
    /// from the counts file's tasks (``classified(_:)``).
    public static func resolve(_ choice: TrainingPlanRequest.DifficultyChoice) throws(WorkflowError)
        -> (difficulty: PlanDifficulty, notes: [String])
    {
        switch choice {
        case .named(let word): return (word, [])
        case .auto(let file): return classified(try pooledCounts(file))
        }
    }

    /// `auto`'s word for a task set (`auto: <e> easy, <h> hard tasks → <word>`, then the
    /// classifier's warnings).
    static func classified(_ rates: SolveRates) -> (difficulty: PlanDifficulty, notes: [String]) {
        let result = DifficultyClassifier.classify(rates)
        let note = "auto: \(result.easy) easy, \(result.hard) hard tasks → \(result.difficulty.rawValue)"
        return (result.difficulty, [note] + result.warnings)
    }

    /// Every system's tasks of a counts file, pooled.
    static func pooledCounts(_ file: String) throws(WorkflowError) -> SolveRates {
        let systems: [SolveRates]
        do { systems = try SolveRateCounts.read(file) } catch { throw .input(error) }
        return SolveRates(system: nil, tasks: systems.flatMap(\.tasks))
    }
}
