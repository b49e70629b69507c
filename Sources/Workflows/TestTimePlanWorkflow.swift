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
        /// A pass@1 and the share of tasks at 0 of `rollouts` (a point mass at 0 plus a Beta part).
        case zeroShare(passAt1: Double, zeroShare: Double, rollouts: Int, concentration: Double?)
    }

    /// Where the judges' accuracies come from: one per PDR iteration, iteration 0 first (later
    /// iterations use the last).
    public enum Judge: Sendable {
        case voteAccuracy([Double])
        /// Pairwise (G = 2) group accuracies after `votes` votes, converted to vote accuracies.
        case pairAccuracy([Double], votes: Int)
        /// The per-vote accuracies the executor measured, iteration by iteration, from the store's
        /// judge tallies.
        case fromStore(path: String, label: String?)
    }

    public var population: Population
    public var judge: Judge
    public var refinement: RefinementModel = .reference
    /// Also predict the refined population task by task (a fixed select-K pipeline, T ≥ 2).
    public var redistribution = false
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
        let judges = try judges(request.judge)
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
            population: population, judges: judges, objective: objective,
            inputs: request.inputs)
        planning.refinement = request.refinement
        planning.redistribution = request.redistribution
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
        case .zeroShare(let mean, let share, let n, let concentration):
            return .zeroShare(passAt1: mean, zeroShare: share, rollouts: n, concentration: concentration)
        }
    }

    /// The judges, with measured ones' vote totals read from the store: iteration 0, 1, … up to
    /// the first iteration without votes on a mixed group (later iterations use the last measured).
    static func judges(_ judge: TestTimePlanRequest.Judge) throws(WorkflowError) -> [TestTimePlanner.Request.Judge] {
        switch judge {
        case .voteAccuracy(let accuracies):
            return accuracies.map { .voteAccuracy($0) }
        case .pairAccuracy(let accuracies, let votes):
            return accuracies.map { .pairAccuracy($0, votes: votes) }
        case .fromStore(let path, let label):
            var perIteration: [JudgeVoteTotals] = []
            var pooled: JudgeVoteTotals
            do {
                let store = try Store(path: path, createIfMissing: false)
                pooled = try store.judgeVoteTotals(label: label)
                while perIteration.count < 64 {
                    let totals = try store.judgeVoteTotals(label: label, iteration: perIteration.count)
                    guard totals.votes > 0 else { break }
                    perIteration.append(totals)
                }
            } catch {
                throw .store(error)
            }
            let origin = path + (label.map { " (\($0))" } ?? "")
            guard pooled.votes > 0 else {
                throw .empty(
                    "\(path): no judge votes on mixed groups recorded\(label.map { " for \"\($0)\"" } ?? "")"
                        + " — run the executor first, or give --judge-vote-accuracy")
            }
            guard !perIteration.isEmpty else {  // votes only in later iterations: pool them for all
                return [
                    .measured(
                        correctVotes: pooled.correctVotes, votes: pooled.votes, groups: pooled.groups,
                        origin: origin + ", all iterations")
                ]
            }
            return perIteration.enumerated().map { t, totals in
                .measured(
                    correctVotes: totals.correctVotes, votes: totals.votes, groups: totals.groups,
                    origin: origin + ", iteration \(t)")
            }
        }
    }
}
