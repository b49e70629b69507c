public import Domain
import Foundation
public import Ingest
import NumericCore
public import Planner

/// `isoplan fit solve-rates`: per-system solve-rate models from evaluation outputs.
public struct SolveRatesRequest: Sendable {
    /// Inputs, each `PATH` or `NAME=PATH` (see ``SolveRateSources``).
    public var files: [String]
    /// Only this system, or all.
    public var system: String?
    public var importOptions = SolveRateImportOptions()
    public var kind: SolveRateModel.Kind = .betaBinomial
    /// The k at which to report E[pass@k] (defaults: 1, the observed trial count, 16, 64).
    public var ks: [Int]?
    /// Task-level bootstrap resamples for the model's intervals (0: none).
    public var bootstrapResamples = 0
    /// Fit on this many of each task's trials and compare with the full pass@k (0: no check).
    public var holdoutKeep = 0
    public var holdoutSeeds = 40
    public var seed: UInt64 = 0

    public init(files: [String]) { self.files = files }
}

/// One system's report.
public struct SolveRatesReport: Codable, Sendable {
    public var system: String?
    public var tasks: Int
    /// Smallest trial count over tasks (the largest k with an unbiased empirical pass@k).
    public var trials: Int
    /// Unbiased empirical pass@1 and pass@`trials`, averaged over tasks.
    public var empiricalPassAt1: Double
    public var empiricalPassAtTrials: Double
    public var model: SolveRateModel
    /// `E[pass@k]` under the model, by k.
    public var predictedPassAtK: [String: Double]
    /// 95% percentile intervals over task resamples: `alpha`, `beta` and `pass@k` keys.
    public var intervals: [String: [Double]]?
    public var holdout: HoldoutCheck?
}

public enum SolveRatesWorkflow {
    public static func run(_ request: SolveRatesRequest) throws(WorkflowError) -> [SolveRatesReport] {
        do {
            let systems = try load(request.files, system: request.system, options: request.importOptions)
            return try systems.map { rates in try report(rates, request) }
        } catch {
            throw WorkflowError(error)
        }
    }

    /// Reads `files` and keeps `system` (all when nil).
    public static func load(
        _ files: [String], system: String?,
        options: SolveRateImportOptions
    ) throws(WorkflowError) -> [SolveRates] {
        do {
            var systems = try SolveRateSources.read(files, options: options)
            if let wanted = system {
                let names = systems.map { $0.system ?? "(unnamed)" }
                systems = systems.filter { $0.system == wanted }
                guard !systems.isEmpty else {
                    throw WorkflowError.empty(
                        "no system named \"\(wanted)\" in the inputs (systems: \(names.joined(separator: ", ")))")
                }
            }
            return systems
        } catch {
            throw WorkflowError(error)
        }
    }

    static func report(_ rates: SolveRates, _ request: SolveRatesRequest) throws -> SolveRatesReport {
        let model = try SolveRateFitter.fit(rates, kind: request.kind)
        let trials = rates.tasks.map(\.trials).min()!
        let ks = request.ks ?? Array(Set([1, trials, 16, 64])).sorted()
        func empirical(_ k: Int) -> Double {
            rates.tasks.reduce(0) { $0 + passAtK(samples: $1.trials, correct: $1.successes, k: k) }
                / Double(rates.tasks.count)
        }
        var intervals: [String: [Double]]?
        if request.bootstrapResamples >= 2 {
            var samples: [String: [Double]] = [:]
            for refit in try SolveRateFitter.bootstrap(
                rates, kind: request.kind, resamples: request.bootstrapResamples,
                seed: request.seed)
            {
                samples["alpha", default: []].append(refit.alpha)
                samples["beta", default: []].append(refit.beta)
                for k in ks { samples["pass@\(k)", default: []].append(refit.expectedPassAtK(k)) }
            }
            intervals = samples.mapValues { values in
                let sorted = values.sorted()
                let at = { (q: Double) in sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))] }
                return [at(0.025), at(0.975)]
            }
        }
        let holdout =
            request.holdoutKeep > 0
            ? try SolveRateFitter.holdoutCheck(
                rates, keep: request.holdoutKeep, seeds: request.holdoutSeeds, kind: request.kind)
            : nil
        return SolveRatesReport(
            system: rates.system, tasks: rates.tasks.count, trials: trials, empiricalPassAt1: empirical(1),
            empiricalPassAtTrials: empirical(trials), model: model,
            predictedPassAtK: Dictionary(uniqueKeysWithValues: ks.map { ("\($0)", model.expectedPassAtK($0)) }),
            intervals: intervals, holdout: holdout)
    }
}
