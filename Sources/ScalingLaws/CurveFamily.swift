import NumericCore

/// A parametric curve that can be fitted: its value and analytic Jacobian over a batch of points,
/// parameter names, default bounds and a data-driven grid of starts.
///
/// A family works on *prepared* data: ``prepare(_:)`` validates the raw points and maps inputs
/// and targets once into the family's working space (`log10 C` for compute sigmoids, `log N`,
/// `log D` and `log L` for Chinchilla), so evaluation never recomputes those logarithms.
/// Residuals are `r_i = prediction_i − preparedTarget_i` in that space. Adding a family never
/// touches the fitter.
public protocol CurveFamily: Sendable {
    /// Short name (`scalerl`, `law`, `power`, `chinchilla`).
    var name: String { get }
    /// Names of the fitted parameters, in order.
    var parameterNames: [String] { get }
    /// Number of input columns a point has.
    var inputCount: Int { get }

    /// Validates raw points (domain, input count) and maps them into the working space.
    func prepare(_ data: FitData) throws(FitError) -> FitData

    /// Predictions (working space) for every prepared point, and, when `jacobian` is given,
    /// the `count × parameterCount` column-major Jacobian `∂prediction_i/∂θ_j`.
    func evaluate(
        _ parameters: [Double], on prepared: FitData, predictions: inout [Double],
        jacobian: UnsafeMutableBufferPointer<Double>?)

    /// The curve's value at one raw input, in the data's own units.
    func value(_ parameters: [Double], at input: [Double]) -> Double

    /// Default box bounds for prepared data.
    func bounds(for prepared: FitData) -> (lower: [Double], upper: [Double])

    /// Starting points spread over plausible values for prepared data.
    func initialGrid(for prepared: FitData) -> [[Double]]

    /// Adds `Σᵢ pullsᵢ·∇²fᵢ(θ)` to the upper triangle of `curvature` (p × p, column-major), given
    /// the Jacobian just evaluated at θ. Families whose predictions are nearly linear in the
    /// parameters, or whose fits have small residuals, may leave this out (the default does nothing).
    func addSecondOrderTerms(
        on prepared: FitData, jacobian: UnsafeBufferPointer<Double>, pulls: [Double],
        into curvature: UnsafeMutableBufferPointer<Double>)
}

extension CurveFamily {
    public func addSecondOrderTerms(
        on prepared: FitData, jacobian: UnsafeBufferPointer<Double>, pulls: [Double],
        into curvature: UnsafeMutableBufferPointer<Double>
    ) {}

    /// Number of fitted parameters.
    public var parameterCount: Int { parameterNames.count }

    /// Predictions on prepared data (working space).
    public func predictions(_ parameters: [Double], on prepared: FitData) -> [Double] {
        var out = [Double](repeating: 0, count: prepared.count)
        evaluate(parameters, on: prepared, predictions: &out, jacobian: nil)
        return out
    }

    /// Checks the raw data have this family's number of input columns.
    func requireInputCount(_ data: FitData) throws(FitError) {
        guard data.inputs.columns == inputCount else {
            throw .invalidData("\(name) needs \(inputCount) input column(s), got \(data.inputs.columns)")
        }
    }
}

/// Builds a grid as the Cartesian product of per-parameter value lists, first list outermost.
package func cartesianGrid(_ axes: [[Double]]) -> [[Double]] {
    axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.map { prefix + [$0] } } }
}

/// `count` values evenly spaced from `a` to `b` inclusive.
package func linearlySpaced(_ a: Double, _ b: Double, count: Int) -> [Double] {
    count == 1 ? [a] : (0..<count).map { a + (b - a) * Double($0) / Double(count - 1) }
}

/// Clamps each component into its bounds.
func clamp(_ p: [Double], _ lower: [Double], _ upper: [Double]) -> [Double] {
    zip(p, zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
}
