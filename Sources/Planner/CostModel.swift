public import Domain

/// A test-time pipeline: T iterations of N rollouts each; between iterations RTV selects K
/// summaries as the next iteration's context (select-K); a final RTV over the last iteration's
/// N picks the answer. T = 1 is RTV alone.
public struct PipelineConfiguration: Sendable, Hashable, Codable {
    /// Rollouts per iteration, N.
    public var rollouts: Int
    /// RTV group size G and votes per group V.
    public var groupSize: Int
    public var votes: Int
    /// Summaries carried into the next iteration, K (ignored when T = 1).
    public var priors: Int
    /// Iterations, T ≥ 1.
    public var iterations: Int

    public init(rollouts: Int, groupSize: Int = 2, votes: Int = 8, priors: Int = 4, iterations: Int = 1) {
        precondition(
            rollouts >= 1 && groupSize >= 2 && votes >= 1 && iterations >= 1, "need N ≥ 1, G ≥ 2, V ≥ 1, T ≥ 1")
        precondition(iterations == 1 || (priors >= 1 && priors <= rollouts), "need 1 ≤ K ≤ N when T > 1")
        self.rollouts = rollouts
        self.groupSize = groupSize
        self.votes = votes
        self.priors = priors
        self.iterations = iterations
    }
}

/// Token sizes and prices of one pipeline's calls (USD per token; tokens per call).
public struct CostInputs: Sendable, Hashable, Codable {
    /// Input (prompt, accumulated context) and output tokens of one iteration-0 rollout.
    public var rolloutTokensIn: Double
    public var rolloutTokensOut: Double
    /// Iteration ≥ 1 rollouts as a fraction of iteration 0's tokens (the reference measures
    /// 0.35–0.56 of the steps; default ½).
    public var refinedRolloutFraction = 0.5
    /// A summary call reads the trajectory (default: the rollout's tokens) and writes a summary.
    public var summaryTokensIn: Double?
    public var summaryTokensOut = 1_000.0
    /// Steps of an iteration-0 rollout: a refined rollout re-reads its K prior summaries at each
    /// of its `refinedRolloutFraction × stepsPerRollout` steps (reference Table 4: 16–51 steps).
    public var stepsPerRollout = 40.0
    /// A judge call reads the task plus each candidate's summary and writes a short verdict.
    public var judgeTokensBase = 2_000.0
    public var judgeTokensPerCandidate = 1_000.0
    public var judgeTokensOut = 300.0
    /// USD per input and per output token.
    public var priceIn: Double
    public var priceOut: Double

    public init(rolloutTokensIn: Double, rolloutTokensOut: Double, priceIn: Double, priceOut: Double) {
        self.rolloutTokensIn = rolloutTokensIn
        self.rolloutTokensOut = rolloutTokensOut
        self.priceIn = priceIn
        self.priceOut = priceOut
    }

    /// The defaults of `isoplan plan tts`'s cost flags: a coding agent reading 400k and writing 8k
    /// tokens per rollout at $3 / $15 per million, its summary reading a 40k-token trajectory.
    public static var codingAgentDefaults: CostInputs {
        var inputs = CostInputs(rolloutTokensIn: 400_000, rolloutTokensOut: 8_000, priceIn: 3e-6, priceOut: 15e-6)
        inputs.summaryTokensIn = 40_000
        return inputs
    }
}

/// What a pipeline costs per task.
public struct CostBreakdown: Sendable, Hashable, Codable {
    public var rollouts: Int
    public var summaries: Int
    public var judgeCalls: Int
    public var rolloutTokensIn: Double, rolloutTokensOut: Double
    public var summaryTokensIn: Double, summaryTokensOut: Double
    public var judgeTokensIn: Double, judgeTokensOut: Double
    /// Sequential steps: a rollout wave per iteration, a summary wave per summarised iteration,
    /// plus every judge round.
    public var sequentialRounds: Int

    public var tokensIn: Double { rolloutTokensIn + summaryTokensIn + judgeTokensIn }
    public var tokensOut: Double { rolloutTokensOut + summaryTokensOut + judgeTokensOut }

    /// USD at the given prices.
    public func dollars(priceIn: Double, priceOut: Double) -> Double { tokensIn * priceIn + tokensOut * priceOut }
}

public enum CostModel {
    /// The per-task cost of a pipeline (reference §9.6, generalised to T iterations):
    /// rollouts `N·T` (iterations ≥ 1 scaled by the refined fraction, plus re-reading their K′
    /// prior summaries at every step), one summary per rollout that a tournament or a refinement
    /// reads, judge calls `V` per judged group — select-K shrinks N to K′ between iterations
    /// (random-K needs no judge), the final RTV N to 1; `V·(N − 1)/(G − 1)` and
    /// `V·(N − K)/(G − 1)` with full groups.
    public static func cost(_ c: PipelineConfiguration, _ inputs: CostInputs, selection: PriorSelection = .select)
        -> CostBreakdown
    {
        let n = Double(c.rollouts)
        let refinedIterations = Double(c.iterations - 1)
        let scale = 1 + refinedIterations * inputs.refinedRolloutFraction  // in units of one iteration-0 wave
        let select =
            switch selection {
            case .select: TournamentRounds.shrink(c.rollouts, to: c.priors, groupSize: c.groupSize)
            case .random: (groups: 0, rounds: 0, survivors: c.priors)
            case .own: (groups: 0, rounds: 0, survivors: 1)
            }
        let priorsRead = c.iterations > 1 ? Double(select.survivors) : 0
        let final = TournamentRounds.shrink(c.rollouts, to: 1, groupSize: c.groupSize)
        let judgeCalls = c.votes * ((c.iterations - 1) * select.groups + final.groups)
        // Judge input: the task plus the summaries in the group; groups are size G except
        // remainders, which the average over a round approximates by G.
        let judgeIn =
            Double(judgeCalls) * (inputs.judgeTokensBase + Double(c.groupSize) * inputs.judgeTokensPerCandidate)
        // Every iteration but the last is summarised for the next one's priors; the last only
        // when its final RTV has something to judge (N ≥ 2). A refined trajectory is shorter, so
        // its summary reads the refined fraction of an iteration-0 trajectory.
        let summarisedIterations = (0..<c.iterations).filter { $0 < c.iterations - 1 || c.rollouts >= 2 }
        let summaryReadWeight = summarisedIterations.reduce(0.0) { $0 + ($1 == 0 ? 1 : inputs.refinedRolloutFraction) }
        let summaryInPerRollout = inputs.summaryTokensIn ?? (inputs.rolloutTokensIn + inputs.rolloutTokensOut)
        let refinedPriorTokens =
            refinedIterations * n * priorsRead * inputs.summaryTokensOut
            * inputs.stepsPerRollout * inputs.refinedRolloutFraction
        return CostBreakdown(
            rollouts: c.rollouts * c.iterations, summaries: c.rollouts * summarisedIterations.count,
            judgeCalls: judgeCalls,
            rolloutTokensIn: n * scale * inputs.rolloutTokensIn + refinedPriorTokens,
            rolloutTokensOut: n * scale * inputs.rolloutTokensOut,
            summaryTokensIn: n * summaryReadWeight * summaryInPerRollout,
            summaryTokensOut: n * Double(summarisedIterations.count) * inputs.summaryTokensOut,
            judgeTokensIn: judgeIn, judgeTokensOut: Double(judgeCalls) * inputs.judgeTokensOut,
            sequentialRounds: c.iterations + summarisedIterations.count + (c.iterations - 1) * select.rounds
                + final.rounds)
    }
}
