public import Domain

extension TestTimePlanner {
    /// A test-time planning question with its inputs loaded (files read, judge tallies counted):
    /// what ``TestTimePlanner/plan(_:)`` answers.
    public struct Request: Sendable {
        /// The task population.
        public enum Population: Sendable {
            /// One system's per-task counts, fitted with `kind`; `source` names the inputs.
            case measured(SolveRates, source: String, kind: SolveRateModel.Kind)
            /// Only a population pass@1 is known: a Beta of that mean and the given concentration
            /// (nil: the documented default, with a sensitivity table over plausible shapes).
            case passAt1(Double, concentration: Double?)
            /// A population pass@1 and the share of tasks none of `rollouts` iteration-0 rollouts
            /// solved: a point mass at 0 plus a Beta part of the given concentration (nil: the
            /// reference ablation's, ``SolveRateModel/ablationConcentration``).
            case zeroShare(passAt1: Double, zeroShare: Double, rollouts: Int, concentration: Double?)
        }

        /// One iteration's judge.
        public enum Judge: Sendable {
            case voteAccuracy(Double)
            /// A pairwise (G = 2) group accuracy after `votes` votes, converted to a vote accuracy.
            case pairAccuracy(Double, votes: Int)
            /// Votes the executor recorded on `groups` mixed groups, `correctVotes` of `votes` picking
            /// a passing candidate; `origin` says where they were read (for the summary). Their
            /// sampling uncertainty (a Jeffreys posterior) joins the interval.
            case measured(correctVotes: Int, votes: Int, groups: Int, origin: String)
        }

        /// The question.
        public enum Objective: Sendable {
            /// The most accurate pipeline within `budget` (in the request's unit) for the whole task
            /// set, or per task.
            case budget(Double, perTask: Bool)
            /// The cheapest pipeline reaching this expected accuracy.
            case targetAccuracy(Double)
            /// Predict this pipeline instead of searching.
            case fixed(TestTimePipeline)
        }

        public var population: Population
        /// The judge of each PDR iteration, iteration 0 first; later iterations use the last.
        public var judges: [Judge]
        public var objective: Objective
        public var refinement: RefinementModel = .reference
        public var inputs: CostInputs
        public var unit: CostUnit = .usd
        /// Also predict the refined population task by task (``RedistributionModel``; a fixed
        /// select-K pipeline with T ≥ 2 only).
        public var redistribution = false
        /// Latency bound: at most this many sequential rounds (searches only).
        public var maxRounds: Int?
        public var space = SearchSpace()
        /// Tasks in the set the interval and totals are for (default: the measured set's size, else 100).
        public var tasks: Int?
        /// Task-bootstrap refits (used from 2) and measured-judge posterior draws behind the
        /// predictive interval.
        public var bootstrapResamples = 200
        public var seed: UInt64 = 0

        public init(population: Population, judges: [Judge], objective: Objective, inputs: CostInputs) {
            self.population = population
            self.judges = judges
            self.objective = objective
            self.inputs = inputs
        }
    }
}
