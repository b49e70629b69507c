public import NumericCore

/// Points to fit: inputs (one row per point, one column per input variable), targets and
/// optional weights, validated once on construction.
public struct FitData: Sendable {
    /// `count × inputCount`, column-major: column j holds input variable j of every point.
    public let inputs: Matrix
    /// The measured values, in the data's own units (a family maps them to its residual space).
    public let targets: [Double]
    /// Point weights (≥ 0), or `nil` for equal weights.
    public let weights: [Double]?

    /// Number of points.
    public var count: Int { targets.count }

    /// - Throws: ``FitError/invalidData(_:)`` when lengths differ or a value is not finite, or a
    ///   weight is negative.
    public init(inputs: Matrix, targets: [Double], weights: [Double]? = nil) throws(FitError) {
        guard inputs.rows == targets.count else {
            throw .invalidData("inputs have \(inputs.rows) rows but there are \(targets.count) targets")
        }
        if let index = inputs.storage.firstIndex(where: { !$0.isFinite }) {
            throw .invalidData(
                "input \(index / max(1, inputs.rows) + 1) of point \(index % max(1, inputs.rows) + 1) is not finite (\(inputs.storage[index]))"
            )
        }
        if let index = targets.firstIndex(where: { !$0.isFinite }) {
            throw .invalidData("target of point \(index + 1) is not finite (\(targets[index]))")
        }
        if let weights {
            guard weights.count == targets.count else {
                throw .invalidData("\(weights.count) weights for \(targets.count) points")
            }
            if let index = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw .invalidData("weight of point \(index + 1) must be finite and ≥ 0 (found \(weights[index]))")
            }
        }
        self.inputs = inputs
        self.targets = targets
        self.weights = weights
    }

    /// One-input data from `(x, y)` pairs.
    public init(x: [Double], y: [Double], weights: [Double]? = nil) throws(FitError) {
        try self.init(inputs: Matrix(rows: x.count, columns: 1, columnMajor: x), targets: y, weights: weights)
    }

    /// Input variable `j` of every point.
    public func input(_ j: Int) -> [Double] { inputs.column(j) }

    /// The subset (with repetition) at `indices`, as a bootstrap resample uses.
    public func resampled(_ indices: [Int]) -> FitData {
        let m = Matrix(rows: indices.count, columns: inputs.columns) { i, j in inputs[indices[i], j] }
        return try! FitData(
            inputs: m, targets: indices.map { targets[$0] }, weights: weights.map { w in indices.map { w[$0] } })
    }

    /// The points for which `keep(index)` is true.
    public func filtered(_ keep: (Int) -> Bool) -> FitData {
        resampled((0..<count).filter(keep))
    }
}
