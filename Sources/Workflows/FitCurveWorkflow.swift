public import Domain
import Foundation
import NumericCore
public import Ingest
public import RunStore
public import ScalingLaws

/// `isoplan fit curve`: a family fitted to columns of a CSV file, with bootstrap CIs, stored.
public struct FitCurveRequest: Sendable {
    public var file: String
    public var family: String
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
    public var seed: UInt64 = 0
    public var workers: Int?

    public init(file: String, family: String, xColumns: [String], yColumn: String) {
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

/// The error of a workflow: the input, the fit or the store.
public enum WorkflowError: Error, CustomStringConvertible, Sendable {
    case input(ImportError)
    case fit(FitError)
    case store(StoreError)
    case domain(DomainError)
    /// Nothing matched (no runs for a filter, no points of a metric).
    case empty(String)

    /// Wraps an error from a module this workflow calls.
    init(_ error: any Error) {
        switch error {
        case let error as WorkflowError: self = error
        case let error as ImportError: self = .input(error)
        case let error as FitError: self = .fit(error)
        case let error as StoreError: self = .store(error)
        case let error as DomainError: self = .domain(error)
        default: self = .empty("\(error)")
        }
    }

    public var description: String {
        switch self {
        case let .input(error): "\(error)"
        case let .fit(error): "\(error)"
        case let .store(error): "\(error)"
        case let .domain(error): "\(error)"
        case let .empty(detail): detail
        }
    }
}

public enum FitCurveWorkflow {
    /// Reads the file, builds the data (validated: finite values, the family's domain), fits,
    /// bootstraps, and stores the fit in one transaction in the database at `storePath` (opened,
    /// and created if need be, only then) — nothing is written on any failure.
    public static func run(_ request: FitCurveRequest, storePath: String?, progress: any ProgressReporter = SilentProgress())
        throws(WorkflowError) -> FitCurveResult
    {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: request.file) } catch { throw .input(error) }
        let family: any CurveFamily
        do { family = try CurveFamilies.named(request.family, fixedR0: request.fixedR0) } catch { throw .fit(error) }
        var columns: [[Double]] = []
        var y: [Double], weights: [Double]?
        do throws(ImportError) {
            for name in request.xColumns { columns.append(try table.numbers(name)) }
            if let flopsColumn = request.tokensFromFlopsColumn {
                guard let n = columns.first else { throw ImportError.missingColumn(file: request.file, column: "x", available: table.header) }
                let flops = try table.numbers(flopsColumn)
                columns.append(zip(flops, n).map { $0 / (6 * $1) })
            }
            y = try table.numbers(request.yColumn)
            weights = nil
            if let name = request.weightsColumn { weights = try table.numbers(name) }
        } catch { throw .input(error) }
        guard columns.count == family.inputCount else {
            throw .fit(.invalidData("\(family.name) needs \(family.inputCount) input column(s); got \(columns.count) (--x\(family.inputCount == 2 ? ", --tokens-from-flops" : ""))"))
        }
        // Drop the highest-y points.
        var keep = Array(0..<y.count)
        if request.dropHighest > 0 {
            guard request.dropHighest < y.count else { throw .fit(.invalidData("cannot drop \(request.dropHighest) of \(y.count) points")) }
            let dropped = Set(keep.sorted { y[$0] > y[$1] }.prefix(request.dropHighest))
            keep = keep.filter { !dropped.contains($0) }
        }
        let data: FitData
        do {
            let inputs = Matrix(rows: keep.count, columns: columns.count) { i, j in columns[j][keep[i]] }
            data = try FitData(inputs: inputs, targets: keep.map { y[$0] }, weights: weights.map { w in keep.map { w[$0] } })
        } catch { throw .fit(error) }

        let options = FitOptions(loss: request.loss)
        do {
            let prepared = try family.prepare(data)
            let starts = request.starts.map { selectStarts(family.initialGrid(for: prepared), count: $0,
                                                           bounds: family.bounds(for: prepared), seed: request.seed) }
            progress.begin("fitting \(family.name)", total: nil)
            let fit: CurveFit
            do {
                defer { progress.end() }
                fit = try CurveFitter.fit(family, to: data, options: options, starts: starts, workers: request.workers)
            }
            var bootstrap: BootstrapSummary?
            if request.bootstrapResamples >= 2 {
                bootstrap = try CurveFitter.bootstrap(family, data: data, fit: fit, options: options,
                                                      resamples: request.bootstrapResamples, seed: request.seed,
                                                      workers: request.workers, progress: progress)
            }
            let covariance = try CurveFitter.covarianceStandardErrors(family, data: data, fit: fit, options: options)
            var result = FitCurveResult(fit: fit, bootstrap: bootstrap, covarianceStandardErrors: covariance,
                                        points: data.count, droppedPoints: request.dropHighest, storedID: nil)
            if let storePath {
                let stored = try Store(path: storePath).insert(Fit(
                    kind: "curve", family: family.name, inputFile: request.file, inputHash: contentHash(request.file),
                    options: ["loss": "\(request.loss)", "x": request.xColumns.joined(separator: ","), "y": request.yColumn,
                              "dropHighest": "\(request.dropHighest)", "starts": "\(fit.starts)",
                              "bootstrap": "\(request.bootstrapResamples)", "seed": "\(request.seed)",
                              "fixedR0": request.fixedR0.map { "\($0)" } ?? "free",
                              "weights": request.weightsColumn ?? "none",
                              "tokensFromFlops": request.tokensFromFlopsColumn ?? "none"],
                    parameterNames: fit.parameterNames, parameters: fit.parameters, lower95: bootstrap?.lower95,
                    upper95: bootstrap?.upper95, standardErrors: bootstrap?.standardErrors ?? covariance,
                    objective: fit.objective, status: fit.status.rawValue, parametersOnBound: fit.parametersOnBound,
                    detailsJSON: jsonText(result)))
                result.storedID = stored.id
            }
            return result
        } catch {
            throw WorkflowError(error)
        }
    }

    /// `count` starts: an even subset of the grid, or the grid plus seeded uniform draws within
    /// the bounds (infinite bounds fall back to ±10 around the grid's range).
    static func selectStarts(_ grid: [[Double]], count: Int, bounds: (lower: [Double], upper: [Double]), seed: UInt64) -> [[Double]] {
        guard count > 0, !grid.isEmpty else { return grid }
        if count <= grid.count {
            return (0..<count).map { grid[$0 * grid.count / count] }
        }
        var rng = Xoshiro256StarStar(seed: seed)
        let p = grid[0].count
        let extra = (0..<(count - grid.count)).map { _ in
            (0..<p).map { j -> Double in
                let lo = bounds.lower[j].isFinite && bounds.lower[j] > -1e6 ? bounds.lower[j] : grid.map { $0[j] }.min()! - 10
                let hi = bounds.upper[j].isFinite && bounds.upper[j] < 1e6 ? bounds.upper[j] : grid.map { $0[j] }.max()! + 10
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
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}
