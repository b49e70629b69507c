/// A tournament stage: `select` (select-K before a refinement iteration) or `final` (down to one).
public enum TournamentStage: String, Codable, Hashable, Sendable {
    case select
    case final
}

/// Why a judge call (or a recorded non-call) was made.
public enum JudgePurpose: String, Codable, Hashable, Sendable {
    /// One of the V votes of a group.
    case vote
    /// An extra vote to break a tie.
    case tieBreak = "tie-break"
    /// The same vote asked again after an unparsable answer (its answer, if parsed, counts once).
    case reask = "re-ask"
    /// No parsable answer within the re-ask bound: nothing is counted (recorded for the log).
    case fallback
}

/// One judge answer about a group, as the executor stores it.
public struct JudgeVote: Codable, Hashable, Sendable {
    public var stage: TournamentStage
    public var iteration: Int
    public var round: Int
    public var group: Int
    /// Vote slot within the group (0…V−1; tie-break slots follow).
    public var voteIndex: Int
    /// 0 for the first ask, then re-asks.
    public var attempt: Int
    public var purpose: JudgePurpose
    /// Rollout ids in the order the judge saw them.
    public var shownOrder: [String]
    /// The chosen position (1-based, in shown order) when parsed.
    public var choice: Int?
    /// The chosen rollout when parsed.
    public var chosenRolloutID: String?
    /// Whether it counts towards the plurality (a parsed vote or tie-break).
    public var counted: Bool
    /// The logical call id of the request (empty for a fallback, which sends nothing).
    public var callID: String

    public init(
        stage: TournamentStage, iteration: Int, round: Int, group: Int, voteIndex: Int, attempt: Int,
        purpose: JudgePurpose,
        shownOrder: [String], choice: Int?, chosenRolloutID: String?, counted: Bool, callID: String
    ) {
        self.stage = stage
        self.iteration = iteration
        self.round = round
        self.group = group
        self.voteIndex = voteIndex
        self.attempt = attempt
        self.purpose = purpose
        self.shownOrder = shownOrder
        self.choice = choice
        self.chosenRolloutID = chosenRolloutID
        self.counted = counted
        self.callID = callID
    }
}

/// A decision of the executor: a group's winner, a select-K or random-K prior set, a final pick.
public struct TournamentDecision: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// One group's winner (or a bye).
        case group
        /// The priors for the next iteration (select-K survivors, a random-K draw per rollout, or
        /// a rollout's own summary).
        case priors
        /// The rollout whose patch is the answer.
        case final
    }

    public var kind: Kind
    public var stage: TournamentStage
    public var iteration: Int
    public var round: Int?
    public var group: Int?
    /// Candidates considered (rollout ids).
    public var candidates: [String]
    /// Chosen rollout ids.
    public var chosen: [String]
    /// How: `plurality`, `tie-break votes`, `seeded draw after ties`, `fallback draw (no parsable vote)`,
    /// `bye`, `select-K`, `random-K`, `own-summary`, `tournament`.
    public var method: String
    /// Counted votes per candidate (group decisions).
    public var tally: [String: Int]

    public init(
        kind: Kind, stage: TournamentStage, iteration: Int, round: Int? = nil, group: Int? = nil, candidates: [String],
        chosen: [String], method: String, tally: [String: Int] = [:]
    ) {
        self.kind = kind
        self.stage = stage
        self.iteration = iteration
        self.round = round
        self.group = group
        self.candidates = candidates
        self.chosen = chosen
        self.method = method
        self.tally = tally
    }
}

/// One LLM request the executor committed: what a rerun reuses instead of sending it again.
/// Never holds credentials.
public struct LLMCallLog: Codable, Hashable, Sendable {
    /// The logical call id (task, iteration, stage, round, group, vote, attempt, purpose).
    public var callID: String
    public var purpose: String
    /// FNV-1a (64 bits, hex) of the request body (model, messages, sampling), to tell when a
    /// cached call no longer matches its request.
    public var requestHash: String
    public var model: String
    public var response: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Seconds from the first send to the answer, retries included.
    public var latency: Double
    /// HTTP attempts it took (1 without transport retries).
    public var attempts: Int

    public init(
        callID: String, purpose: String, requestHash: String, model: String, response: String, promptTokens: Int,
        completionTokens: Int, latency: Double, attempts: Int
    ) {
        self.callID = callID
        self.purpose = purpose
        self.requestHash = requestHash
        self.model = model
        self.response = response
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.attempts = attempts
    }
}
