import IsoplanTestSupport
import ScalingLaws
import Testing

@Suite("Chinchilla Approach 3 on Epoch AI's data")
struct ChinchillaTests {
    /// Epoch's procedure: Huber δ = 1e-3 on log loss, the 4,500-start grid, keep the best.
    /// Reference (anchors.md §A2): A = 477.82, B = 2143.41, E = 1.8172, α = 0.3473, β = 0.3672,
    /// objective 1.01827e-3. The objective is flat along A and B, hence their wider tolerances.
    @Test func goldenFit() throws {
        let data = try EpochData.chinchillaPoints()
        let fit = try CurveFitter.fit(ChinchillaLoss(), to: data, options: FitOptions(loss: .huber(delta: 1e-3)))
        #expect(fit.starts == 4500)
        #expect(fit.status == .converged)
        let (a, b, e, alpha, beta) = (fit.parameters[0], fit.parameters[1], fit.parameters[2], fit.parameters[3], fit.parameters[4])
        expectClose(exp(a), 477.8, absolute: 1, "A")
        expectClose(exp(b), 2143, absolute: 5, "B")
        expectClose(exp(e), 1.8172, absolute: 0.0005, "E")
        expectClose(alpha, 0.3473, absolute: 0.0005, "alpha")
        expectClose(beta, 0.3672, absolute: 0.0005, "beta")
        expectClose(fit.objective, 1.01827e-3, relative: 1e-4, "objective")
    }
}

import Foundation
