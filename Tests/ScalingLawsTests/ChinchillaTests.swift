import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import Testing

@testable import ScalingLaws

@Suite("Chinchilla Approach 3 on Epoch AI's data")
struct ChinchillaTests {
    /// Epoch's procedure: Huber δ = 1e-3 on log loss, the 4,500-start grid, keep the best.
    /// Reference (anchors.md §A2): A = 477.82, B = 2143.41, E = 1.8172, α = 0.3473, β = 0.3672,
    /// objective 1.01827e-3. The objective is flat along A and B, hence their wider tolerances.
    /// Holds with the exponentials and logarithms on every instruction set this CPU has.
    @Test(arguments: VectorMath.InstructionSet.allCases.filter(\.isSupported))
    func goldenFit(_ instructionSet: VectorMath.InstructionSet) throws {
        let data = try EpochData.chinchillaPoints()
        let fit = try CurveFitter.fit(
            ChinchillaLoss(instructionSet: instructionSet), to: data, options: FitOptions(loss: .huber(delta: 1e-3)))
        #expect(fit.starts == 4500)
        #expect(fit.status == .converged)
        let (a, b, e, alpha, beta) = (
            fit.parameters[0], fit.parameters[1], fit.parameters[2], fit.parameters[3], fit.parameters[4]
        )
        expectClose(exp(a), 477.8, absolute: 1, "A")
        expectClose(exp(b), 2143, absolute: 5, "B")
        expectClose(exp(e), 1.8172, absolute: 0.0005, "E")
        expectClose(alpha, 0.3473, absolute: 0.0005, "alpha")
        expectClose(beta, 0.3672, absolute: 0.0005, "beta")
        expectClose(fit.objective, 1.01827e-3, relative: 1e-4, "objective")
    }
}

@Suite("Start screening")
struct StartScreeningTests {
    @Test func parsesOffAndKeepSteps() {
        #expect(StartScreening(parsing: "off") == .off)
        #expect(StartScreening(parsing: "OFF") == .off)
        #expect(StartScreening(parsing: "256:3") == .keepBest(256, afterIterations: 3))
        for bad in ["", "256", "0:3", "256:0", "-1:3", "a:b", "256:3:1", "256:"] {
            #expect(StartScreening(parsing: bad) == nil, "\(bad)")
        }
        #expect(StartScreening.standard.description == "256:3")
    }

    /// Screening keeps exactly the starts that stand best after their first steps, in grid order,
    /// each where its first steps left it; a grid no larger than what it keeps goes through whole.
    @Test func keepsTheBestStartsAfterTheirFirstSteps() throws {
        let data = try EpochData.chinchillaPoints()
        let family = ChinchillaLoss()
        let grid = Array(family.initialGrid(for: try family.prepare(data)).prefix(600))
        var options = FitOptions(loss: .huber(delta: 1e-3))
        options.screening = .keepBest(40, afterIterations: 2)
        let problem = try CurveFitter.Problem(family, data, options)
        let kept = CurveFitter.screen(grid, explorer: problem, threadCount: 2)
        var stepped = options
        stepped.maxIterations = 2
        let firstSteps = try grid.map {
            try CurveFitter.fit(family, to: data, options: stepped, starts: [$0], workers: 1)
        }
        let best = firstSteps.indices.sorted { (firstSteps[$0].objective, $0) < (firstSteps[$1].objective, $1) }
            .prefix(40).sorted()
        #expect(kept == best.map { firstSteps[$0].parameters })
        #expect(CurveFitter.screen(Array(grid.prefix(40)), explorer: problem, threadCount: 2) == Array(grid.prefix(40)))
    }

    /// The fit says how many polished candidates share its optimum: several on Epoch's procedure
    /// (Huber 1e-3), one with Huber 1e-4, where the search is chaotic and the optimum one of many
    /// (experiments: 1 on 28 of 30 resamples with the full search, 30 of 30 screened).
    @Test func reportsHowManyCandidatesReachedTheOptimum() throws {
        let data = try EpochData.chinchillaPoints()
        let epoch = try CurveFitter.fit(ChinchillaLoss(), to: data, options: FitOptions(loss: .huber(delta: 1e-3)))
        #expect((epoch.candidatesAtOptimum ?? 0) >= 3)
        let small = try CurveFitter.fit(ChinchillaLoss(), to: data, options: FitOptions(loss: .huber(delta: 1e-4)))
        #expect(small.candidatesAtOptimum == 1)
        let single = try CurveFitter.fit(ChinchillaLoss(), to: data, starts: [[6, 7, 0.5, 0.3, 0.3]])
        #expect(single.candidatesAtOptimum == nil)
    }

    /// The screened search reaches the full search's optimum on bootstrap resamples of Epoch's
    /// points (experiments: 200 of 200 resamples, docs/SCALING_LAWS.md).
    @Test func findsTheFullSearchOptimumOnResamples() throws {
        let data = try EpochData.chinchillaPoints()
        var rng = Xoshiro256StarStar(seed: 7)
        for _ in 0..<3 {
            let rows = (0..<data.count).map { _ in Int(rng.nextUniform() * Double(data.count)) }
            let resample = try FitData(
                inputs: Matrix(rows: rows.count, columns: 2) { i, j in data.inputs[rows[i], j] },
                targets: rows.map { data.targets[$0] })
            var full = FitOptions(loss: .huber(delta: 1e-3))
            full.screening = .off
            let reference = try CurveFitter.fit(ChinchillaLoss(), to: resample, options: full)
            let screened = try CurveFitter.fit(
                ChinchillaLoss(), to: resample, options: FitOptions(loss: .huber(delta: 1e-3)))
            expectClose(screened.objective, reference.objective, relative: 1e-9, "objective")
            for j in 0..<5 {
                expectClose(screened.parameters[j], reference.parameters[j], absolute: 1e-5, "parameter \(j)")
            }
        }
    }
}

@Suite("Chinchilla bootstrap")
struct ChinchillaBootstrapTests {
    /// Epoch's procedure: 4,000 resamples, each one fit warm-started from the full-data optimum
    /// and converged to gradient norm ≤ 1e-10. Standard errors within 20% of Epoch's published
    /// 124.5 (A), 0.0257 (E), 0.0154 (α), 0.0206 (β).
    @Test func standardErrorsMatchEpoch() throws {
        let data = try EpochData.chinchillaPoints()
        let options = FitOptions(loss: .huber(delta: 1e-3))
        let fit = try CurveFitter.fit(ChinchillaLoss(), to: data, options: options)
        let boot = try CurveFitter.bootstrap(
            ChinchillaLoss(), data: data, fit: fit, options: options,
            resamples: 4000, seed: 2024)
        #expect(boot.samples.count == 4000)
        #expect(boot.notConverged == 0, "\(boot.notConverged) resamples did not reach the gradient tolerance")
        let aValues = boot.samples.map { exp($0[0]) }
        let eValues = boot.samples.map { exp($0[2]) }
        let seA = standardDeviation(aValues)
        let seE = standardDeviation(eValues)
        let (seAlpha, seBeta) = (boot.standardErrors[3], boot.standardErrors[4])
        expectClose(seA, 124.5, relative: 0.2, "SE(A)")
        expectClose(seE, 0.0257, relative: 0.2, "SE(E)")
        expectClose(seAlpha, 0.0154, relative: 0.2, "SE(alpha)")
        expectClose(seBeta, 0.0206, relative: 0.2, "SE(beta)")
    }

    func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}
