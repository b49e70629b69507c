public import Domain
import Foundation
import Ingest
public import RunStore
import ScalingLaws

/// `isoplan export --csv DIR`: the store as tidy CSV for notebooks — one row per run, per
/// point, per fit parameter, per frontier grid point and per plan.
public enum ExportWorkflow {
    public struct Result: Codable, Sendable {
        public var directory: String
        /// Rows written per file.
        public var rows: [String: Int]
    }

    /// Writes `runs.csv`, `points.csv`, `fits.csv` (one row per fitted parameter), `frontier.csv`
    /// (stored frontier fits' grids) and `plans.csv` into `directory` (created if needed) for the
    /// runs matching `filter`. `metrics` limits `points.csv` to those metrics (`nil`: every metric).
    public static func run(
        store: Store, directory: String, filter: RunFilter,
        metrics: Set<MetricName>? = nil
    ) throws(WorkflowError) -> Result {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // One snapshot: a sweep or an executor writing meanwhile cannot make the files disagree.
            let files = try store.snapshot {
                let runs = try store.runs(matching: filter)
                return [
                    runTable(runs), try pointTable(runs, store: store, metrics: metrics), try fitTable(store),
                    try frontierTable(store), try planTable(store),
                ]
            }
            var counts: [String: Int] = [:]
            for file in files {
                let path = (directory as NSString).appendingPathComponent(file.name)
                try CSVWriter.table(header: file.header, rows: file.rows).write(
                    toFile: path, atomically: true, encoding: .utf8)
                counts[file.name] = file.rows.count
            }
            return Result(directory: directory, rows: counts)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// One CSV file of the export.
    struct Table {
        var name: String
        var header: [String]
        var rows: [[String]]
    }

    private static func number(_ x: Double?) -> String { x.map { String($0) } ?? "" }

    static func runTable(_ runs: [Run]) -> Table {
        let rows = runs.map { r in
            [
                String(r.id ?? 0), r.name, r.source.rawValue, String(r.rolloutsPerProblem), String(r.problemsPerBatch),
                number(r.learningRate), r.model ?? "", r.dataset ?? "", r.difficulty?.rawValue ?? "",
                r.seed.map(String.init) ?? "",
                r.sweepID ?? "", r.preset ?? "", r.fixedBatch.map(String.init) ?? "",
            ]
        }
        return Table(
            name: "runs.csv",
            header: [
                "run_id", "name", "source", "n", "bp", "learning_rate", "model", "dataset",
                "difficulty", "seed", "sweep", "preset", "fixed_batch",
            ], rows: rows)
    }

    static func pointTable(_ runs: [Run], store: Store, metrics: Set<MetricName>?) throws -> Table {
        var rows: [[String]] = []
        for run in runs {
            guard let id = run.id else { continue }
            for p in try store.points(ofRun: id) where metrics?.contains(p.metric) ?? true {
                rows.append([
                    String(id), run.name, String(run.rolloutsPerProblem), String(run.problemsPerBatch), String(p.step),
                    String(p.rollouts), number(p.tokens), p.metric.rawValue, p.rawName ?? "", String(p.value),
                ])
            }
        }
        return Table(
            name: "points.csv",
            header: [
                "run_id", "run", "n", "bp", "step", "rollouts", "tokens", "metric",
                "raw_name", "value",
            ], rows: rows)
    }

    static func fitTable(_ store: Store) throws -> Table {
        var rows: [[String]] = []
        for fit in try store.fits() {
            for (i, name) in fit.parameterNames.enumerated() {
                rows.append([
                    String(fit.id ?? 0), fit.kind.rawValue, fit.family.rawValue, fit.metric?.rawValue ?? "",
                    fit.difficulty ?? "", fit.runFilter ?? "", name, String(fit.parameters[i]),
                    number(fit.lower95?[i]), number(fit.upper95?[i]), fit.status.rawValue,
                ])
            }
        }
        return Table(
            name: "fits.csv",
            header: [
                "fit_id", "kind", "family", "metric", "difficulty", "run_filter",
                "parameter", "value", "lower95", "upper95", "status",
            ], rows: rows)
    }

    /// The frontier grids of stored frontier fits: envelope value and winning n per x.
    static func frontierTable(_ store: Store) throws -> Table {
        var rows: [[String]] = []
        for fit in try store.fits(kind: .frontier) {
            guard let analysis = try? JSONDecoder().decode(FrontierAnalysis.self, from: Data(fit.detailsJSON.utf8))
            else {
                continue
            }
            let fixedBatch = fit.options["fixedBatch"].flatMap { $0 == "none" ? nil : $0 } ?? ""
            for point in analysis.grid {
                rows.append([
                    String(fit.id ?? 0), analysis.axis, fixedBatch, String(point.x), String(point.value),
                    String(point.rolloutsPerProblem), point.problemsPerBatch.map(String.init) ?? "",
                    String(point.smoothedLog2N),
                ])
            }
        }
        return Table(
            name: "frontier.csv",
            header: [
                "fit_id", "axis", "fixed_batch", "x", "value", "n_star", "bp_star",
                "smoothed_log2_n_star",
            ], rows: rows)
    }

    static func planTable(_ store: Store) throws -> Table {
        let rows = try store.plans().map { p in
            [
                String(p.id ?? 0), String(p.budget), p.unit.rawValue, p.difficulty.rawValue,
                String(p.rolloutsPerProblem),
                String(p.problemsPerBatch), String(p.steps), String(p.learningRate), String(p.optimalRollouts),
                p.lawSource, number(p.cost?.gpuHours), number(p.cost?.wallClockHours), number(p.cost?.usd),
                number(p.zeroAdvantage?.atPlan.fraction),
            ]
        }
        return Table(
            name: "plans.csv",
            header: [
                "plan_id", "budget", "unit", "difficulty", "n", "bp", "steps",
                "learning_rate", "n_star", "law", "gpu_hours", "wall_clock_hours", "usd", "zero_advantage_fraction",
            ], rows: rows)
    }
}
