import NumericCore

/// A family fitted to interval-censored targets: each point says only that the curve lies in
/// `[lower, upper]`, and costs nothing while it does. The residual is the distance from the
/// prediction to the interval, `f − clamp(f, lower, upper)`, in the base family's working space.
///
/// Raw data carry the base family's inputs followed by two columns, the interval's lower and
/// upper end in the base's *working* space (e.g. `log2 n*` for ``AllocationLaw``); the targets
/// are ignored. A point with `lower == upper` is an ordinary measurement. The frontier uses it
/// for compute where several n are within noise of the winner, so any of them may be optimal.
public struct IntervalTargets: CurveFamily {
    public var base: any CurveFamily

    public init(_ base: any CurveFamily) { self.base = base }

    public var name: String { base.name }
    public var parameterNames: [String] { base.parameterNames }
    public var inputCount: Int { base.inputCount + 2 }

    /// Interval-censored data for a one-input base family from inputs x and per-point
    /// `[lower, upper]`.
    ///
    /// With `centreWeight` w > 0 every point is given twice: once as its interval (weight 1) and
    /// once as its interval's midpoint (weight w). Where many laws pass inside every interval (a
    /// step anywhere in a run of ties), the weak pull picks the one nearest the intervals' centres
    /// instead of leaving the fit to drift to a bound.
    public static func data(x: [Double], lower: [Double], upper: [Double], centreWeight: Double = 0) throws(FitError)
        -> FitData
    {
        guard x.count == lower.count, x.count == upper.count else {
            throw .invalidData("\(x.count) inputs but \(lower.count) lower and \(upper.count) upper ends")
        }
        guard let bad = lower.indices.first(where: { !(lower[$0] <= upper[$0]) }) else {
            guard centreWeight > 0 else {
                let inputs = Matrix(rows: x.count, columns: 3, columnMajor: x + lower + upper)
                return try FitData(inputs: inputs, targets: [Double](repeating: 0, count: x.count))
            }
            let centres = x.indices.map { 0.5 * (lower[$0] + upper[$0]) }
            let inputs = Matrix(rows: 2 * x.count, columns: 3, columnMajor: x + x + lower + centres + upper + centres)
            return try FitData(
                inputs: inputs, targets: [Double](repeating: 0, count: 2 * x.count),
                weights: [Double](repeating: 1, count: x.count) + [Double](repeating: centreWeight, count: x.count))
        }
        throw .invalidData("interval \(bad + 1) has its lower end above its upper end")
    }

    /// Prepared layout: the base's prepared inputs, then the two interval columns; targets 0.
    public func prepare(_ data: FitData) throws(FitError) -> FitData {
        try requireInputCount(data)
        let baseColumns = base.inputCount
        let baseRaw = try FitData(
            inputs: Matrix(rows: data.count, columns: baseColumns) { i, j in data.inputs[i, j] },
            targets: data.targets, weights: data.weights)
        let prepared = try base.prepare(baseRaw)
        let inputs = Matrix(rows: data.count, columns: baseColumns + 2) { i, j in
            j < baseColumns ? prepared.inputs[i, j] : data.inputs[i, j]
        }
        return try FitData(inputs: inputs, targets: [Double](repeating: 0, count: data.count), weights: data.weights)
    }

    public func evaluate(
        _ parameters: [Double], on prepared: FitData, predictions: inout [Double],
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        let baseData = baseView(of: prepared)
        base.evaluate(parameters, on: baseData, predictions: &predictions, jacobian: jacobian)
        let n = prepared.count
        let columns = base.inputCount
        for i in 0..<n {
            let (lower, upper) = (prepared.inputs[i, columns], prepared.inputs[i, columns + 1])
            let f = predictions[i]
            predictions[i] = f - min(max(f, lower), upper)
            // Inside the interval the residual is flat: no pull on the parameters.
            if let jacobian, f > lower, f < upper {
                for j in 0..<parameterCount { jacobian[i + j * n] = 0 }
            }
        }
    }

    public func value(_ parameters: [Double], at input: [Double]) -> Double {
        base.value(parameters, at: Array(input.prefix(base.inputCount)))
    }

    public func bounds(for prepared: FitData) -> (lower: [Double], upper: [Double]) {
        base.bounds(for: baseView(of: prepared, targets: midpoints(prepared)))
    }

    public func initialGrid(for prepared: FitData) -> [[Double]] {
        base.initialGrid(for: baseView(of: prepared, targets: midpoints(prepared)))
    }

    /// The base family's prepared data (inputs only; targets the intervals' midpoints or 0).
    private func baseView(of prepared: FitData, targets: [Double]? = nil) -> FitData {
        let columns = base.inputCount
        let inputs = Matrix(rows: prepared.count, columns: columns) { i, j in prepared.inputs[i, j] }
        // The inputs came out of a valid FitData, so they stay finite.
        return try! FitData(
            inputs: inputs, targets: targets ?? [Double](repeating: 0, count: prepared.count),
            weights: prepared.weights)
    }

    private func midpoints(_ prepared: FitData) -> [Double] {
        let columns = base.inputCount
        return (0..<prepared.count).map { 0.5 * (prepared.inputs[$0, columns] + prepared.inputs[$0, columns + 1]) }
    }
}
