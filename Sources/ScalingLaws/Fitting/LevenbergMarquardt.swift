// Levenberg–Marquardt with box bounds and robust losses.
//
// Goals, in order: (1) the correct optimum within the bounds, to a projected-gradient tolerance
// tight enough for bootstrap studies (1e-10 by default); (2) robustness to bad starts (damped
// steps accepted only when the true objective falls; multi-start on top); (3) speed — no
// allocation inside the iteration, hand-written normal equations for the handful of parameters
// these families have.
//
// Model: minimise F(θ) = Σ wᵢ·ρ(rᵢ(θ)), rᵢ = fᵢ(θ) − tᵢ. Gradient g = Jᵀ(w∘ψ(r)); curvature
// H = Jᵀ·diag(w∘ρ″(r))·J (Gauss–Newton; for Huber the linear part contributes none, as in scipy's
// least_squares) plus, when the family supplies it and `secondOrder` is on, Σ wᵢψ(rᵢ)·∇²fᵢ — the
// term Gauss–Newton drops, which dominates a Huber fit whose residuals mostly lie beyond δ
// (Chinchilla: without it the descent stalls near a gradient of 3e-10). Step: (H_FF + λ·D_FF)·δ_F = −g_F on the free set F — parameters not held
// at a bound by a gradient pointing outwards — with D = max(diag H, 1e-12·max diag H, 1e-20); the trial
// point is projected into the box. λ follows Nielsen's rule (shrink by max(1/3, 1 − (2ρ − 1)³) on
// success, double-growing on failure).

import Domain

/// Runs one Levenberg–Marquardt descent. Reuses its buffers across calls (one per thread).
final class LevenbergMarquardtSolver {
    let family: any CurveFamily
    let data: FitData
    let loss: RobustLoss
    let lower: [Double], upper: [Double]
    let options: FitOptions
    let n: Int, p: Int

    private var predictions: [Double]
    private var jacobian: [Double]
    private var trialPredictions: [Double]
    private var trialJacobian: [Double]
    private let weights: [Double]
    private let targets: [Double]
    /// The Gauss–Newton diagonal (before second-order terms), which scales the damping: the
    /// second-order terms can make the diagonal small or negative.
    private var dampingScale: [Double]
    /// `wᵢ·ψ(rᵢ)` at the current point, for the families' second-order terms.
    private var pulls: [Double]
    /// The rounding noise of an objective change at the current point: `8·ε·Σ wᵢ·|ψ(rᵢ)|·max(1, |fᵢ|)`.
    private var changeNoise = 0.0

    init(family: any CurveFamily, prepared data: FitData, lower: [Double], upper: [Double], options: FitOptions) {
        self.family = family
        self.data = data
        self.loss = options.loss
        self.lower = lower
        self.upper = upper
        self.options = options
        n = data.count
        p = family.parameterCount
        predictions = [Double](repeating: 0, count: n)
        trialPredictions = [Double](repeating: 0, count: n)
        jacobian = [Double](repeating: 0, count: n * p)
        trialJacobian = jacobian
        pulls = [Double](repeating: 0, count: n)
        dampingScale = [Double](repeating: 0, count: p)
        weights = data.weights ?? [Double](repeating: 1, count: n)
        targets = data.targets
    }

    /// `Σ wᵢ·ρ(fᵢ − tᵢ)` of the given predictions.
    private func objective(_ predictions: [Double]) -> Double {
        var total = 0.0
        for i in 0..<n { total += weights[i] * loss.value(predictions[i] - targets[i]) }
        return total
    }

    /// Evaluates predictions and Jacobian at a trial point into the trial buffers and returns
    /// the objective there. The Jacobian shares the work of the predictions (Chinchilla's
    /// exponentials), so an accepted step needs no second evaluation.
    private func evaluateTrial(_ theta: [Double]) -> Double {
        trialJacobian.withUnsafeMutableBufferPointer { jac in
            family.evaluate(theta, on: data, predictions: &trialPredictions, jacobian: jac)
        }
        return objective(trialPredictions)
    }

    /// `F(trial) − F(current)` summed term by term from the residual changes (see
    /// ``RobustLoss/difference(_:_:)``), resolving changes far below F's last bit.
    private func objectiveChange() -> Double {
        var total = 0.0
        let (n, loss) = (n, loss)
        trialPredictions.withUnsafeBufferPointer { trial in
            predictions.withUnsafeBufferPointer { current in
                for i in 0..<n {
                    total += weights[i] * loss.difference(trial[i] - targets[i], current[i] - targets[i])
                }
            }
        }
        return total
    }

    /// Makes the trial buffers current (after an accepted step).
    private func acceptTrial() {
        swap(&predictions, &trialPredictions)
        swap(&jacobian, &trialJacobian)
    }

    /// Evaluates predictions and Jacobian at θ, then the objective, gradient and curvature.
    private func linearize(_ theta: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double {
        _ = evaluateTrial(theta)
        acceptTrial()
        return accumulate(gradient: &gradient, curvature: &curvature)
    }

    /// The objective, gradient and Gauss–Newton curvature from the current predictions and Jacobian.
    private func accumulate(gradient: inout [Double], curvature: inout [Double]) -> Double {
        for j in 0..<p { gradient[j] = 0 }
        for j in 0..<(p * p) { curvature[j] = 0 }
        var total = 0.0
        var noise = 0.0
        let (n, p, loss) = (n, p, loss)
        // Buffer pointers for the loop: the arrays are the solver's properties, and indexing
        // them directly costs an exclusivity check per access.
        jacobian.withUnsafeBufferPointer { jac in
            predictions.withUnsafeBufferPointer { predictions in
                pulls.withUnsafeMutableBufferPointer { pulls in
                    for i in 0..<n {
                        let r = predictions[i] - targets[i]
                        let w = weights[i]
                        total += w * loss.value(r)
                        let psi = w * loss.derivative(r)
                        pulls[i] = psi
                        noise += abs(psi) * max(1, abs(predictions[i]))
                        let c = w * loss.curvature(r)
                        for j in 0..<p {
                            let jij = jac[i + j * n]
                            gradient[j] += psi * jij
                            if c != 0 {
                                let cj = c * jij
                                for k in j..<p { curvature[j + k * p] += cj * jac[i + k * n] }
                            }
                        }
                    }
                }
            }
        }
        changeNoise = 8 * Double.ulpOfOne * noise
        for j in 0..<p { dampingScale[j] = curvature[j + j * p] }
        if options.secondOrder {
            jacobian.withUnsafeBufferPointer { jac in
                curvature.withUnsafeMutableBufferPointer { h in
                    family.addSecondOrderTerms(on: data, jacobian: jac, pulls: pulls, into: h)
                }
            }
        }
        return total
    }

    /// Descends from `start` (clamped into the box).
    ///
    /// Near the optimum the decrease a step promises can fall below the rounding noise of the
    /// predictions themselves (the Chinchilla fit reaches that at a gradient near 3e-10). Such a
    /// step is accepted when the measured change is also within that noise — the model cannot be
    /// contradicted there — at most ``noiseStepLimit`` times in a row; the gradient test then
    /// decides convergence.
    func run(from start: [Double]) -> CurveFit {
        var theta = clamp(start, lower, upper)
        var gradient = [Double](repeating: 0, count: p)
        var curvature = [Double](repeating: 0, count: p * p)
        var system = [Double](repeating: 0, count: p * p)
        var step = [Double](repeating: 0, count: p)
        var trial = theta
        var free = [Int](repeating: 0, count: p)

        var f = linearize(theta, gradient: &gradient, curvature: &curvature)
        var lambda = 1e-3
        var growth = 2.0
        var iterations = 0
        var status = FitStatus.maxIterations
        var gradientNorm = Double.infinity
        var noiseSteps = 0

        while iterations < options.maxIterations {
            guard f.isFinite else { break }
            let freeCount: Int
            (freeCount, gradientNorm) = freeSet(theta, gradient: gradient, into: &free)
            if gradientNorm <= options.gradientTolerance {
                status = .converged
                break
            }
            iterations += 1

            let solved = solveDamped(
                free: free, freeCount: freeCount, lambda: lambda, gradient: gradient,
                curvature: curvature, system: &system, step: &step)
            if !solved {
                lambda *= growth
                growth *= 2
                continue
            }
            let (largestRelativeChange, predicted) = project(
                step, from: theta, free: free, freeCount: freeCount,
                gradient: gradient, curvature: curvature, into: &trial)
            // The model's own promise is negligible: further steps cannot matter at this tolerance.
            if options.objectiveTolerance > 0 && predicted <= options.objectiveTolerance * abs(f) {
                status = .smallObjectiveChange
                break
            }
            let fTrial = evaluateTrial(trial)
            let change = objectiveChange()
            let withinNoise = predicted <= changeNoise && change <= changeNoise && noiseSteps < Self.noiseStepLimit
            if fTrial.isFinite && (change < 0 || withinNoise) {
                lambda = dampingAfterAcceptance(lambda, change: change, predicted: predicted, noiseSteps: &noiseSteps)
                growth = 2
                swap(&theta, &trial)
                acceptTrial()
                let previous = f
                f = accumulate(gradient: &gradient, curvature: &curvature)
                if options.objectiveTolerance > 0 && -change <= options.objectiveTolerance * abs(previous) {
                    status = .smallObjectiveChange
                    break
                }
            } else {
                if largestRelativeChange <= options.stepTolerance {
                    status = .smallStep
                    break
                }
                lambda *= growth
                growth *= 2
                if !lambda.isFinite || lambda > 1e300 {
                    status = .smallStep
                    break
                }
            }
        }
        // Final projected gradient for the report.
        gradientNorm = freeSet(theta, gradient: gradient, into: &free).gradientNorm
        if gradientNorm <= options.gradientTolerance { status = .converged }
        return CurveFit(
            family: family.name, parameterNames: family.parameterNames, parameters: theta, objective: f,
            gradientNorm: gradientNorm, iterations: iterations, status: status, onBound: onBound(theta),
            pointCount: n, loss: loss, starts: 1)
    }

    /// λ after an accepted step: Nielsen's update from the gain ratio ρ = actual/predicted, or a
    /// tenfold decrease when the change lies within rounding noise (counted in `noiseSteps`).
    private func dampingAfterAcceptance(
        _ lambda: Double, change: Double, predicted: Double,
        noiseSteps: inout Int
    ) -> Double {
        var lambda = lambda
        if -change > changeNoise {
            noiseSteps = 0
            let rho = predicted > 0 ? -change / predicted : 1
            let t = 2 * rho - 1
            lambda *= max(1.0 / 3.0, 1 - t * t * t)
        } else {
            // Within rounding noise the measured change says nothing against the model:
            // trust it more (towards the Newton step) instead of reading noise as failure.
            noiseSteps += 1
            lambda /= 10
        }
        return max(lambda, 1e-15)
    }

    /// Whether each parameter sits on a bound (within 1e-9 relative).
    private func onBound(_ theta: [Double]) -> [Bool] {
        (0..<p).map { j in
            let nearLower = abs(theta[j] - lower[j]) <= 1e-9 * max(1, abs(lower[j]))
            let nearUpper = abs(theta[j] - upper[j]) <= 1e-9 * max(1, abs(upper[j]))
            return nearLower || nearUpper
        }
    }

    /// The free set — parameters not held at a bound by a gradient pointing outwards — written
    /// into `free[0..<count]`, and the projected gradient's largest magnitude.
    private func freeSet(_ theta: [Double], gradient: [Double], into free: inout [Int]) -> (
        count: Int, gradientNorm: Double
    ) {
        var count = 0
        var norm = 0.0
        for j in 0..<p {
            let atLower = theta[j] <= lower[j] && gradient[j] > 0
            let atUpper = theta[j] >= upper[j] && gradient[j] < 0
            if atLower || atUpper { continue }
            free[count] = j
            count += 1
            norm = max(norm, abs(gradient[j]))
        }
        return (count, norm)
    }

    /// Solves the damped normal equations `(H_FF + λ·D_FF)·δ_F = −g_F` on the free set into
    /// `step[0..<freeCount]`; false when the system is not positive definite or the step not finite.
    private func solveDamped(
        free: [Int], freeCount: Int, lambda: Double, gradient: [Double], curvature: [Double],
        system: inout [Double], step: inout [Double]
    ) -> Bool {
        var maxDiagonal = 0.0
        for a in 0..<freeCount { maxDiagonal = max(maxDiagonal, dampingScale[free[a]]) }
        // A parameter the model sees no curvature in (its term vanishes at this θ) still gets
        // damping, or its step would not shrink as λ grows.
        let floor = max(1e-12 * maxDiagonal, 1e-20)
        let p = p
        return system.withUnsafeMutableBufferPointer { sys in
            step.withUnsafeMutableBufferPointer { rhs in
                for a in 0..<freeCount {
                    let ja = free[a]
                    for b in a..<freeCount {
                        let jb = free[b]
                        let value = ja <= jb ? curvature[ja + jb * p] : curvature[jb + ja * p]
                        sys[a + b * freeCount] = value
                        sys[b + a * freeCount] = value
                    }
                    sys[a + a * freeCount] += lambda * max(dampingScale[ja], floor)
                    rhs[a] = -gradient[ja]
                }
                return solveSmallPositiveDefinite(sys.baseAddress!, rhs.baseAddress!, freeCount)
                    && rhs.prefix(freeCount).allSatisfy(\.isFinite)
            }
        }
    }

    /// The trial point θ + δ projected into the box (written into `trial`), the largest relative
    /// parameter change, and the decrease the quadratic model predicts for it.
    private func project(
        _ step: [Double], from theta: [Double], free: [Int], freeCount: Int, gradient: [Double],
        curvature: [Double], into trial: inout [Double]
    )
        -> (largestRelativeChange: Double, predicted: Double)
    {
        for j in 0..<p { trial[j] = theta[j] }
        var largestRelativeChange = 0.0
        for a in 0..<freeCount {
            let j = free[a]
            trial[j] = min(max(theta[j] + step[a], lower[j]), upper[j])
            largestRelativeChange = max(largestRelativeChange, abs(trial[j] - theta[j]) / max(abs(theta[j]), 1e-8))
        }
        var predicted = 0.0
        for a in 0..<freeCount {
            let ja = free[a]
            let da = trial[ja] - theta[ja]
            predicted -= gradient[ja] * da
            for b in 0..<freeCount {
                let jb = free[b]
                let h = ja <= jb ? curvature[ja + jb * p] : curvature[jb + ja * p]
                predicted -= 0.5 * da * h * (trial[jb] - theta[jb])
            }
        }
        return (largestRelativeChange, predicted)
    }

    /// Consecutive steps accepted within rounding noise before the descent gives up.
    static let noiseStepLimit = 10

    /// `J` at θ (for covariance estimates), `n × p` column-major.
    func jacobianMatrix(at theta: [Double]) -> [Double] {
        jacobian.withUnsafeMutableBufferPointer { jac in
            family.evaluate(theta, on: data, predictions: &predictions, jacobian: jac)
        }
        return jacobian
    }
}
