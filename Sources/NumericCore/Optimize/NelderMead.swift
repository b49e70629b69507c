/// Derivative-free minimisation by the Nelder–Mead simplex method (Lagarias et al. 1998
/// coefficients: reflection 1, expansion 2, contraction ½, shrink ½), for small, smooth problems
/// where an analytic gradient is not worth writing — a handful of parameters, cheap objective.
///
/// Stops when the simplex's objective values span at most `tolerance·(|f_best| + tolerance)` and
/// its vertices lie within `tolerance·(1 + |x|)` of the best, or after `maxEvaluations`.
/// Non-finite objective values are treated as +∞ (the simplex moves away from them).
public enum NelderMead {
    /// The best point found, its value, evaluations used and whether the tolerance was met.
    public struct Result: Sendable {
        public var x: [Double]
        public var value: Double
        public var evaluations: Int
        public var converged: Bool
    }

    /// Minimises `f` from `start`, with an initial simplex of steps `step` along each axis.
    /// - Complexity: O(maxEvaluations · cost of f).
    public static func minimize(
        _ f: ([Double]) -> Double, start: [Double], step: Double = 0.5,
        tolerance: Double = 1e-10, maxEvaluations: Int = 10_000
    ) -> Result {
        let d = start.count
        precondition(d >= 1, "NelderMead needs at least one parameter")
        var evaluations = 0
        func value(_ x: [Double]) -> Double {
            evaluations += 1
            let v = f(x)
            return v.isFinite ? v : .infinity
        }
        var simplex =
            [start]
            + (0..<d).map { j -> [Double] in
                var x = start
                x[j] += step * max(1, abs(x[j]))
                return x
            }
        var values = simplex.map(value)
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let spread = values[d] - values[0]
            let size = (1...d).map { i in zip(simplex[i], simplex[0]).map { abs($0 - $1) / (1 + abs($1)) }.max()! }
                .max()!
            if values[d].isFinite && spread <= tolerance * (abs(values[0]) + tolerance) && size <= tolerance {
                return Result(x: simplex[0], value: values[0], evaluations: evaluations, converged: true)
            }
            let centroid = (0..<d).map { j in simplex[0..<d].reduce(0) { $0 + $1[j] } / Double(d) }
            func along(_ t: Double) -> [Double] { (0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) } }
            let reflected = along(-1)
            let fr = value(reflected)
            if fr < values[0] {
                let expanded = along(-2)
                let fe = value(expanded)
                (simplex[d], values[d]) = fe < fr ? (expanded, fe) : (reflected, fr)
            } else if fr < values[d - 1] {
                (simplex[d], values[d]) = (reflected, fr)
            } else {
                let contracted = fr < values[d] ? along(-0.5) : along(0.5)
                let fc = value(contracted)
                if fc < min(fr, values[d]) {
                    (simplex[d], values[d]) = (contracted, fc)
                } else {
                    for i in 1...d {
                        simplex[i] = (0..<d).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = value(simplex[i])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return Result(x: simplex[best], value: values[best], evaluations: evaluations, converged: false)
    }
}
