import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import NumericCore
import Planner
import RLSim
import Testing

/// The zero-advantage fraction `E[pⁿ + (1 − p)ⁿ]` in closed form against a Monte Carlo of the
/// same population (the simulator's own sampler, then n Bernoulli rewards per group).
@Suite("Zero-advantage groups")
struct ZeroAdvantageTests {
    static let groupSizes = [2, 4, 8, 16, 64]

    /// The share of `groups` groups of n Bernoulli(p) rewards, p drawn by the population's
    /// sampler, whose rewards are all equal.
    static func monteCarlo(_ source: PopulationSource, rollouts n: Int, groups: Int, seed: UInt64) -> Double {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(n))
        var equal = 0
        for p in source.sampleBaseRates(count: groups, seed: seed) {
            let first = rng.nextUniform() < p
            var same = true
            for _ in 1..<n where (rng.nextUniform() < p) != first { same = false }
            if same { equal += 1 }
        }
        return Double(equal) / Double(groups)
    }

    /// 200,000 groups: the Monte Carlo's standard error is at most 0.0011, so 0.005 is > 4σ.
    @Test(arguments: ["beta(0.5,2)", "tbench-counts"])
    func closedFormMatchesMonteCarlo(_ population: String) throws {
        let source: PopulationSource
        if population == "tbench-counts" {
            let systems = try SolveRateCounts.read(SharedFixture.path("tbench_core011_task_success.csv"))
            source = .counts(SolveRates(system: nil, tasks: systems.flatMap(\.tasks)))
        } else {
            source = .beta(alpha: 0.5, beta: 2)
        }
        for n in Self.groupSizes {
            let exact = ZeroAdvantage.fraction(source.betaMixture, rollouts: n)
            let sampled = Self.monteCarlo(source, rollouts: n, groups: 200_000, seed: 17)
            expectClose(exact, sampled, absolute: 0.005, "\(population), n = \(n)")
        }
    }

    /// The named populations' mixtures carry the sampler's bins and priors: their mean pass
    /// rate matches the sampler's.
    @Test(arguments: [Difficulty.easy, .hard, .heteroDual, .heteroTri])
    func namedPopulationsMatchTheirSampler(_ difficulty: Difficulty) {
        let source = PopulationSource.difficulty(difficulty)
        let rates = source.sampleBaseRates(count: 100_000, seed: 3)
        expectClose(source.betaMixture.mean, rates.reduce(0, +) / Double(rates.count), absolute: 0.004)
        let exact = ZeroAdvantage.fraction(source.betaMixture, rollouts: 8)
        expectClose(exact, Self.monteCarlo(source, rollouts: 8, groups: 100_000, seed: 5), absolute: 0.006)
    }

    /// The published figure: at pass rate 0.18 about 45%, 20% and 4% of groups have zero
    /// advantage at n = 4, 8 and 16.
    @Test func publishedFigureAtPassRate018() {
        expectClose(ZeroAdvantage.fraction(passRate: 0.18, rollouts: 4), 0.45, absolute: 0.005)
        expectClose(ZeroAdvantage.fraction(passRate: 0.18, rollouts: 8), 0.20, absolute: 0.005)
        expectClose(ZeroAdvantage.fraction(passRate: 0.18, rollouts: 16), 0.04, absolute: 0.005)
    }

    /// Extreme populations stay exact and finite: a huge symmetric Beta gives E[p² + (1 − p)²] =
    /// (α + 1)/(2α + 1); a vanishing pass rate keeps its (tiny) informative share positive and
    /// rising in n, and declares the over-sampling unbounded instead of printing the clamp.
    @Test func extremePopulationsStayExact() {
        let wide = BetaMixture.beta(alpha: 1e6, beta: 1e6)
        expectClose(ZeroAdvantage.fraction(wide, rollouts: 2), (1e6 + 1) / (2e6 + 1), relative: 1e-12)
        let rare = BetaMixture.beta(alpha: 4.1e-14, beta: 0.41)
        let rows = [2, 4, 8, 16, 64].map { ZeroAdvantage.row(rare, rollouts: $0, problemsPerBatch: 1 << 24) }
        #expect(rows.allSatisfy { $0.informativeGroups > 0 && $0.oversampling == nil && $0.oversampling95 == nil })
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.informativeGroups < $1.informativeGroups })
        // n·α·(ψ(β + n) − ψ(β))-sized: of order 1e-13 per group, times 2^24 groups.
        #expect(rows[0].informativeGroups < 1e-4)
    }

    /// The 95% over-sampling is the fewest prompts N with P(Binomial(N, 1 − f) ≥ B_p) ≥ 0.95,
    /// checked by summing the binomial mass; the mean over-sampling is 1/(1 − f).
    @Test func oversamplingKeepsTheBatchInformative() {
        let population = BetaMixture.beta(alpha: 0.5, beta: 2)
        for (n, problems) in [(4, 32), (8, 16), (2, 64)] {
            let row = ZeroAdvantage.row(population, rollouts: n, problemsPerBatch: problems)
            let q = 1 - row.fraction
            expectClose(row.oversampling ?? 0, 1 / q, relative: 1e-12)
            let prompts = Int(((row.oversampling95 ?? 0) * Double(problems)).rounded())
            func atLeastBatch(_ count: Int) -> Double {
                (problems...count).reduce(0) { $0 + binomialProbability(trials: count, successes: $1, probability: q) }
            }
            #expect(atLeastBatch(prompts) >= 0.95)
            #expect(atLeastBatch(prompts - 1) < 0.95)
            #expect((row.oversampling95 ?? 0) >= (row.oversampling ?? .infinity))
        }
    }
}
