public import Domain
import Foundation
import Ingest
import NumericCore
import RunStore
public import ScalingLaws

/// `isoplan fit curve`: a family fitted to columns of a CSV file, with bootstrap CIs, stored.
public struct FitCurveRequest: Sendable {
    public var file: String
    public var family: FitFamily
    /// Input columns (one, or two for Chinchilla).
    public var xColumns: [String]
    public var yColumn: String
    public var weightsColumn: String?
    /// A FLOP column turned into tokens `D = FLOP/(6·N)` with N the first x column; appended as
    /// the second input.
    public var tokensFromFlopsColumn: String?
    /// Drop the K points with the highest y first (Epoch's procedure drops 5).
    public var dropHighest = 0
    public var loss: RobustLoss = .l2
    public var fixedR0: Double?
    public var bootstrapResamples = 0
    /// Starts: `nil` for the family's grid; fewer takes an even subset of it, more adds seeded
    /// uniform draws inside the bounds.
    public var starts: Int?
    /// How a grid of many starts is narrowed before the descents (``StartScreening``).
    public var screening = StartScreening.standard
    public var seed: UInt64 = 0
    public var workers: Int?

    public init(file: String, family: FitFamily, xColumns: [String], yColumn: String) {
        self.file = file
        self.family = family
        self.xColumns = xColumns
        self.yColumn = yColumn
    }
}

/// What `fit curve` reports.
public struct FitCurveResult: Sendable, Codable {
    public var fit: CurveFit
    public var bootstrap: BootstrapSummary?
    /// Covariance standard errors (least squares only, well-conditioned only).
    public var covarianceStandardErrors: [Double]?
    public var points: Int
    public var droppedPoints: Int
    /// The stored fit's id.
    public var storedID: Int64?
}

public enum FitCurveWorkflow {
    /// Reads the file, builds the data (validated: finite values, the family's domain), fits,
    /// bootstraps, and stores the fit in one transaction in the database at `storePath` (opened,
    /// and created if need be, only then) — nothing is written on any failure.
    public static func run(
        _ request: FitCurveRequest, storePath: String?, progress: any ProgressReporter = SilentProgress()
    )
        throws(WorkflowError) -> FitCurveResult
    {
        let family = CurveFamilies.named(request.family, fixedR0: request.fixedR0)
        let data = try fitData(request, family: family)
        do {
            var result = try fit(family, to: data, request, progress: progress)
            if let storePath {
                result.storedID = try Store(path: storePath).insert(storedFit(result, request)).id
            }
            return result
        } catch {
            throw WorkflowError(error)
        }
    }

    /// The request's columns as fit data: x columns (plus tokens from a FLOP column), y and
    /// weights, without the `dropHighest` highest-y points.
    static func fitData(_ request: FitCurveRequest, family: any CurveFamily) throws(WorkflowError) -> FitData {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: request.file) } catch { throw .input(error) }
        var columns: [[Double]] = []
        var y: [Double]
        var weights: [Double]?
        do throws(ImportError) {
            for name in request.xColumns { columns.append(try table.numbers(name)) }
            if let flopsColumn = request.tokensFromFlopsColumn {
                guard let n = columns.first else {
                    throw ImportError.missingColumn(file: request.file, column: "x", available: table.header)
                }
                let flops = try table.numbers(flopsColumn)
                columns.append(zip(flops, n).map { $0 / (6 * $1) })
            }
            y = try table.numbers(request.yColumn)
            weights = nil
            if let name = request.weightsColumn { weights = try table.numbers(name) }
        } catch { throw .input(error) }
        guard columns.count == family.inputCount else {
            let flag = family.inputCount == 2 ? ", --tokens-from-flops" : ""
            throw .fit(
                .invalidData(
                    "\(family.name) needs \(family.inputCount) input column(s); got \(columns.count) (--x\(flag))"))
        }
        var keep = Array(0..<y.count)
        if request.dropHighest > 0 {
            guard request.dropHighest < y.count else {
                throw .fit(.invalidData("cannot drop \(request.dropHighest) of \(y.count) points"))
            }
            let dropped = Set(keep.sorted { y[$0] > y[$1] }.prefix(request.dropHighest))
            keep = keep.filter { !dropped.contains($0) }
        }
        do {
            let inputs = Matrix(rows: keep.count, columns: columns.count) { i, j in columns[j][keep[i]] }
            return try FitData(
                inputs: inputs, targets: keep.map { y[$0] }, weights: weights.map { w in keep.map { w[$0] } })
        } catch { throw .fit(error) }
    }

    /// The multi-start fit, its bootstrap (when asked) and covariance standard errors.
    static func fit(
        _ family: any CurveFamily, to data: FitData, _ request: FitCurveRequest,
        progress: any ProgressReporter
    ) throws -> FitCurveResult {
        var options = FitOptions(loss: request.loss)
        options.screening = request.screening
        let prepared = try family.prepare(data)
        let starts = request.starts.map {
            selectStarts(
                family.initialGrid(for: prepared), count: $0,
                bounds: family.bounds(for: prepared), seed: request.seed)
        }
        progress.begin("fitting \(family.name)", total: nil)
        let fit: CurveFit
        do {
            defer { progress.end() }
            fit = try CurveFitter.fit(family, to: data, options: options, starts: starts, workers: request.workers)
        }
        var bootstrap: BootstrapSummary?
        if request.bootstrapResamples >= 2 {
            bootstrap = try CurveFitter.bootstrap(
                family, data: data, fit: fit, options: options,
                resamples: request.bootstrapResamples, seed: request.seed,
                workers: request.workers, progress: progress)
        }
        let covariance = try CurveFitter.covarianceStandardErrors(family, data: data, fit: fit, options: options)
        return FitCurveResult(
            fit: fit, bootstrap: bootstrap, covarianceStandardErrors: covariance,
            points: data.count, droppedPoints: request.dropHighest, storedID: nil)
    }

    /// The store's record of a curve fit: parameters, intervals, the input's identity and the options.
    static func storedFit(_ result: FitCurveResult, _ request: FitCurveRequest) -> Fit {
        let fit = result.fit
        let bootstrap = result.bootstrap
        let options = [
            "loss": "\(request.loss)", "x": request.xColumns.joined(separator: ","), "y": request.yColumn,
            "dropHighest": "\(request.dropHighest)", "starts": "\(fit.starts)", "screening": "\(request.screening)",
            "bootstrap": "\(request.bootstrapResamples)", "seed": "\(request.seed)",
            "fixedR0": request.fixedR0.map { "\($0)" } ?? "free",
            "weights": request.weightsColumn ?? "none",
            "tokensFromFlops": request.tokensFromFlopsColumn ?? "none",
        ]
        return Fit(
            kind: .curve, family: request.family, inputFile: request.file, inputHash: contentHash(request.file),
            options: options, parameterNames: fit.parameterNames, parameters: fit.parameters,
            lower95: bootstrap?.lower95, upper95: bootstrap?.upper95,
            standardErrors: bootstrap?.standardErrors ?? result.covarianceStandardErrors,
            objective: fit.objective, status: fit.status, parametersOnBound: fit.parametersOnBound,
            detailsJSON: jsonText(result))
    }

    /// `count` starts: an even subset of the grid, or the grid plus seeded uniform draws within
    /// the bounds (infinite bounds fall back to ±10 around the grid's range).
    static func selectStarts(_ grid: [[Double]], count: Int, bounds: (lower: [Double], upper: [Double]), seed: UInt64)
        -> [[Double]]
    {
        guard count > 0, !grid.isEmpty else { return grid }
        if count <= grid.count {
            return (0..<count).map { grid[$0 * grid.count / count] }
        }
        var rng = Xoshiro256StarStar(seed: seed)
        let p = grid[0].count
        let extra = (0..<(count - grid.count)).map { _ in
            (0..<p).map { j -> Double in
                let lo =
                    bounds.lower[j].isFinite && bounds.lower[j] > -1e6
                    ? bounds.lower[j] : grid.map { $0[j] }.min()! - 10
                let hi =
                    bounds.upper[j].isFinite && bounds.upper[j] < 1e6 ? bounds.upper[j] : grid.map { $0[j] }.max()! + 10
                return lo + (hi - lo) * rng.nextUniform()
            }
        }
        return grid + extra
    }
}

/// ``StableHash/contentHash(_:)`` of the file at `path` (nil when unreadable): identifies the input
/// a stored fit came from.
func contentHash(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { StableHash.contentHash($0) }
}

/// Compact, key-sorted JSON of a value (the `details` of a stored fit).
func jsonText(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}
