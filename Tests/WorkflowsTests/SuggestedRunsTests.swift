import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import RLSim
import ScalingLaws
import Testing

@Suite("Suggested next runs")
struct SuggestedRunsTests {
    static let target = 1e7

    /// Easy-population runs of the true simulator at B_p = 32, one seed each.
    static func simulate(_ runs: [(n: Int, budget: Double)], seed: UInt64) throws -> [RunSeries] {
        let simulator = Simulator(source: .difficulty(.easy), trainSize: 2000, workers: 2)
        let configurations = runs.map {
            SimulationConfiguration(rolloutsPerProblem: $0.n, problemsPerBatch: 32, budget: $0.budget, seed: seed)
        }
        let simulated = try simulator.run(configurations) {
            Run(
                name: "n\($0.rolloutsPerProblem)-C\($0.budget)-s\($0.seed)", source: .sim,
                rolloutsPerProblem: $0.rolloutsPerProblem, problemsPerBatch: 32)
        }
        return simulated.map { run in
            RunSeries(
                label: run.run.name, rolloutsPerProblem: run.configuration.rolloutsPerProblem, problemsPerBatch: 32,
                points: run.points.filter { $0.metric == .validationReward }.map { ($0.step, $0.rollouts, $0.value) })
        }
    }

    static func analyze(_ runs: [RunSeries]) throws -> FrontierAnalysis {
        var options = FrontierOptions()
        options.bootstrapResamples = 200
        options.targetBudget = target
        return try FrontierAnalysis.analyze(runs, options: options, workers: 2)
    }

    /// The n a run may have, smallest to largest.
    static let candidates = [8, 16, 32, 64, 128, 256, 512]

    /// The width in doublings of what the data say about n* at the target: the law's 95%
    /// bootstrap interval when it is identified, else (and at most) the whole candidate range
    /// 8–512, 6 doublings.
    static func width(_ analysis: FrontierAnalysis) -> Double {
        let nothing = log2(Double(candidates.last!) / Double(candidates.first!))
        guard analysis.lawIdentified, let samples = analysis.lawBootstrap?.samples, samples.count >= 20 else {
            return nothing
        }
        let draws = samples.map { AllocationLaw().value($0, at: [target]) }.sorted()
        return min(nothing, draws[Int(0.975 * Double(draws.count - 1))] - draws[Int(0.025 * Double(draws.count - 1))])
    }

    /// A too-thin data set (n = 8…128 to 3e6, one seed): the output suggests runs, and
    /// adding the first suggested run narrows what the data say about n* at 1e7 more than adding
    /// another n to the same budget (the same cost), on average over seeds.
    @Test func theSuggestedRunNarrowsTheIntervalMoreThanAnotherOfTheSameCost() throws {
        var suggested: [Double] = []
        var other: [Double] = []
        for seed in UInt64(1)...4 {
            let base = try Self.simulate([8, 16, 32, 64, 128].map { ($0, 3e6) }, seed: seed)
            let analysis = try Self.analyze(base)
            // A law already narrow at the target needs no runs (nothing removes 1% of its variance).
            guard let run = analysis.suggestions?.runs.first else { continue }
            print(
                "BASE", seed, analysis.lawIdentified, Self.width(analysis), run.rolloutsPerProblem, run.budget,
                run.reason)
            // The same number of runs to the same budget (the same cost), n drawn at random among
            // the n not yet run that far and not suggested.
            var rng = Xoshiro256StarStar(seed: seed)
            var pool = Self.candidates.filter { n in
                !run.rolloutsPerProblem.contains(n)
                    && !analysis.curves.contains { $0.rolloutsPerProblem == n && $0.xReach >= run.budget * 0.999 }
            }
            var random: [Int] = []
            for _ in run.rolloutsPerProblem { random.append(pool.remove(at: Int(rng.next() % UInt64(pool.count)))) }
            // New runs get a seed of their own: the base run of the same n is another seed of it.
            let withSuggested = try Self.simulate(run.rolloutsPerProblem.map { ($0, run.budget) }, seed: seed + 100)
            let withOther = try Self.simulate(random.map { ($0, run.budget) }, seed: seed + 100)
            suggested.append(Self.width(try Self.analyze(base + withSuggested)))
            other.append(Self.width(try Self.analyze(base + withOther)))
        }
        #expect(suggested.count >= 2, "too few seeds with a suggestion")
        let (s, o) = (suggested.reduce(0, +) / Double(suggested.count), other.reduce(0, +) / Double(other.count))
        #expect(
            s < o,
            "mean width with the suggested run \(s) vs another run of the same cost \(o): \(suggested) vs \(other)")
    }
}
