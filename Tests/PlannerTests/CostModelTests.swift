import Domain
import IsoplanTestSupport
import Planner
import Testing

@Suite("Test-time cost model")
struct CostModelTests {
    static let inputs: CostInputs = {
        var inputs = CostInputs(rolloutTokensIn: 400_000, rolloutTokensOut: 20_000, priceIn: 3e-6, priceOut: 15e-6)
        inputs.refinedRolloutFraction = 0.35
        inputs.summaryTokensOut = 800
        return inputs
    }()

    /// The reference's default pipeline (§4.5): N = 16, K = 4, G = 2, V = 8, T = 2 — 32 rollouts,
    /// 32 summaries, 96 + 120 = 216 judge calls, 2 + 4 judge rounds after two rollout and summary waves.
    @Test func defaultPipelineCounts() {
        let cost = CostModel.cost(
            PipelineConfiguration(rollouts: 16, groupSize: 2, votes: 8, priors: 4, iterations: 2), Self.inputs)
        #expect(cost.rollouts == 32 && cost.summaries == 32)
        #expect(cost.judgeCalls == 216)
        #expect(cost.sequentialRounds == 4 + 2 + 4)
        // Rollout tokens: 16 at full length plus 16 at 0.35 of it, which also re-read their 4 priors
        // (800 tokens each) at each of their 0.35 × 40 steps.
        expectClose(cost.rolloutTokensIn, 16 * 400_000 * 1.35 + 16 * 4 * 800 * 40 * 0.35, relative: 1e-12)
        expectClose(cost.judgeTokensIn, 216 * (2_000 + 2 * 1_000), relative: 1e-12)
        expectClose(cost.summaryTokensOut, 32 * 800, relative: 1e-12)
        expectClose(
            cost.dollars(priceIn: 3e-6, priceOut: 15e-6), cost.tokensIn * 3e-6 + cost.tokensOut * 15e-6, relative: 1e-12
        )
    }

    @Test func rtvAloneMatchesTheTournamentsJudgeCalls() {
        for (n, g, v) in [(16, 2, 8), (17, 2, 1), (16, 4, 8), (3, 2, 2)] {
            let cost = CostModel.cost(
                PipelineConfiguration(rollouts: n, groupSize: g, votes: v, iterations: 1), Self.inputs)
            let tournament = TournamentSettings(groupSize: g, votes: v)
            #expect(cost.judgeCalls == tournament.judgeCalls(candidates: n))
            #expect(cost.sequentialRounds == 2 + tournament.rounds(candidates: n))
            #expect(cost.rollouts == n)
        }
    }

    /// Random-K judges nothing between iterations; a single rollout needs no summary and no judge.
    @Test func randomKAndSingleRolloutsPayOnlyForWhatTheyUse() {
        let c = PipelineConfiguration(rollouts: 16, groupSize: 2, votes: 8, priors: 4, iterations: 2)
        let random = CostModel.cost(c, Self.inputs, selection: .random)
        #expect(random.judgeCalls == 120 && random.sequentialRounds == 2 + 2 + 4)
        let single = CostModel.cost(PipelineConfiguration(rollouts: 1), Self.inputs)
        #expect(single.summaries == 0 && single.judgeCalls == 0 && single.sequentialRounds == 1)
        #expect(single.summaryTokensIn == 0 && single.summaryTokensOut == 0)
        // Select-K that cannot stop at K reads the K′ it keeps: N = 12, G = 2 stops at 3 for K = 4.
        #expect(TournamentRounds.shrink(12, to: 4, groupSize: 2).survivors == 3)
        let overshoot = CostModel.cost(
            PipelineConfiguration(rollouts: 12, groupSize: 2, votes: 1, priors: 4, iterations: 2), Self.inputs)
        let exact = CostModel.cost(
            PipelineConfiguration(rollouts: 12, groupSize: 2, votes: 1, priors: 3, iterations: 2), Self.inputs)
        #expect(overshoot == exact)
    }

    @Test func moreOfAnythingNeverCostsLess() {
        let base = CostModel.cost(PipelineConfiguration(rollouts: 8, iterations: 2), Self.inputs)
        for bigger in [
            PipelineConfiguration(rollouts: 16, iterations: 2),
            PipelineConfiguration(rollouts: 8, votes: 16, iterations: 2),
            PipelineConfiguration(rollouts: 8, iterations: 3),
        ] {
            #expect(
                CostModel.cost(bigger, Self.inputs).dollars(priceIn: 3e-6, priceOut: 15e-6)
                    > base.dollars(priceIn: 3e-6, priceOut: 15e-6))
        }
    }
}
