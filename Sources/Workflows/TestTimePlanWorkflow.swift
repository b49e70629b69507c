import Domain
import Foundation
public import Ingest
public import Planner
import RunStore

/// `isoplan plan tts`: size a test-time pipeline for a budget or a target, or predict one.
public struct TestTimePlanRequest: Sendable {
    /// Where the task population's solve rates come from.
    public enum Population: Sendable {
        /// Evaluation outputs (see ``SolveRateSources``), one system of them.
        case measured(files: [String], system: String?, options: SolveRateImportOptions, kind: SolveRateModel.Kind)
        /// Only a population pass@1 is known: a Beta of that mean and the given (else the
        /// default) concentration.
        case passAt1(Double, concentration: Double?)
    }

    /// Where the judge's accuracy comes from.
    public enum Judge: Sendable {
        case voteAccuracy(Double)
        /// A pairwise (G = 2) group accuracy after `votes` votes, converted to a vote accuracy.
        case pairAccuracy(Double, votes: Int)
        /// The per-vote accuracy the executor measured, from the store's judge tallies.
        case fromStore(path: String, label: String?)
    }

    public var population: Population
    public var judge: Judge
    public var refinement: RefinementModel = .reference
    public var inputs: CostInputs
    public var unit: CostUnit = .usd
    /// Budget for the whole task set (or per task when `budgetPerTask`).
    public var budget: Double?
    public var budgetPerTask = false
    public var targetAccuracy: Double?
    public var maxRounds: Int?
    /// Predict this pipeline instead of searching.
    public var fixed: TestTimePipeline?
    public var space = SearchSpace()
    /// Tasks in the set the interval is for (default: the measured set's size, else 100).
    public var tasks: Int?
    /// Task-bootstrap refits (and judge draws) behind the predictive interval.
    public var bootstrapResamples = 200
    public var seed: UInt64 = 0

    public init(population: Population, judge: Judge, inputs: CostInputs) {
        self.population = population
        self.judge = judge
        self.inputs = inputs
    }
}

public enum TestTimePlanWorkflow {
    /// Loads the request's inputs (solve-rate files, judge tallies from the store) and asks
    /// ``TestTimePlanner/plan(_:)``.
    public static func run(_ request: TestTimePlanRequest) throws(WorkflowError) -> TestTimePlan {
        let planning = try plannerRequest(request)
        do {
            return try TestTimePlanner.plan(planning)
        } catch let .invalid(error) {
            throw .domain(error)
        } catch {
            throw .empty(error.description)
        }
    }

    /// The planner's request: the inputs read, the objective chosen (a fixed pipeline, else a
    /// target, else a budget).
    static func plannerRequest(_ request: TestTimePlanRequest) throws(WorkflowError) -> TestTimePlanner.Request {
        let population = try population(request.population)
        let judge = try judge(request.judge)
        let objective: TestTimePlanner.Request.Objective
        if let fixed = request.fixed {
            objective = .fixed(fixed)
        } else if let target = request.targetAccuracy {
            objective = .targetAccuracy(target)
        } else if let budget = request.budget {
            objective = .budget(budget, perTask: request.budgetPerTask)
        } else {
            throw .empty("give --budget, --target-accuracy or --config")
        }
        var planning = TestTimePlanner.Request(
            population: population, judge: judge, objective: objective,
            inputs: request.inputs)
        planning.refinement = request.refinement
        planning.unit = request.unit
        planning.maxRounds = request.maxRounds
        planning.space = request.space
        planning.tasks = request.tasks
        planning.bootstrapResamples = request.bootstrapResamples
        planning.seed = request.seed
        return planning
    }

    /// Reads one system's solve rates (or passes a pass@1 through).
    static func population(_ population: TestTimePlanRequest.Population) throws(WorkflowError)
        -> TestTimePlanner.Request.Population
    {
        switch population {
        case .measured(let files, let system, let options, let kind):
            let systems = try SolveRatesWorkflow.load(files, system: system, options: options)
            guard systems.count == 1 else {
                let names = systems.map { $0.system ?? "(unnamed)" }.joined(separator: ", ")
                throw .empty("the inputs hold \(systems.count) systems (\(names)); choose one with --system")
            }
            return .measured(systems[0], source: files.joined(separator: ", "), kind: kind)
        case .passAt1(let mean, let concentration):
            return .passAt1(mean, concentration: concentration)
        }
    }

    /// The judge, with a measured one's vote totals read from the store.
    static func judge(_ judge: TestTimePlanRequest.Judge) throws(WorkflowError) -> TestTimePlanner.Request.Judge {
        switch judge {
        case .voteAccuracy(let a):
            return .voteAccuracy(a)
        case .pairAccuracy(let accuracy, let votes):
            return .pairAccuracy(accuracy, votes: votes)
        case .fromStore(let path, let label):
            let totals: JudgeVoteTotals
            do {
                totals = try Store(path: path, createIfMissing: false).judgeVoteTotals(label: label)
            } catch {
                throw .store(error)
            }
            guard totals.votes > 0 else {
                throw .empty(
                    "\(path): no judge votes on mixed groups recorded\(label.map { " for \"\($0)\"" } ?? "")"
                        + " — run the executor first, or give --judge-vote-accuracy")
            }
            return .measured(
                correctVotes: totals.correctVotes, votes: totals.votes, groups: totals.groups,
                origin: path + (label.map { " (\($0))" } ?? ""))
        }
    }
}
