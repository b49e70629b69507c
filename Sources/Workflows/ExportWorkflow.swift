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

    /// Writes `runs.csv`, `points.csv`, `fits.csv` (one row per fitted parameter),
    /// `frontier.csv` (stored frontier fits' grids) and `plans.csv` into `directory` (created if needed) for the runs matching `filter`.
    /// `metrics` limits `points.csv` to those metrics (`nil`: every metric).
    public static func run(store: Store, directory: String, filter: RunFilter,
                           metrics: Set<MetricName>? = nil) throws(WorkflowError) -> Result {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let runs = try store.runs(matching: filter)
            let number = { (x: Double?) in x.map { String($0) } ?? "" }
            let runRows = runs.map { r in
                [String(r.id ?? 0), r.name, r.source, String(r.rolloutsPerProblem), String(r.problemsPerBatch), number(r.learningRate),
                 r.model ?? "", r.dataset ?? "", r.difficulty ?? "", r.seed.map(String.init) ?? "", r.sweepID ?? "", r.preset ?? "",
                 r.fixedBatch.map(String.init) ?? ""]
            }
            var pointRows: [[String]] = []
            for run in runs {
                for p in try store.points(ofRun: run.id!) where metrics?.contains(p.metric) ?? true {
                    pointRows.append([String(run.id!), run.name, String(run.rolloutsPerProblem), String(run.problemsPerBatch), String(p.step),
                                      String(p.rollouts), number(p.tokens), p.metric.rawValue, p.rawName ?? "", String(p.value)])
                }
            }
            var fitRows: [[String]] = []
            for fit in try store.fits() {
                for (i, name) in fit.parameterNames.enumerated() {
                    fitRows.append([String(fit.id ?? 0), fit.kind.rawValue, fit.family.rawValue, fit.metric?.rawValue ?? "", fit.difficulty ?? "",
                                    fit.runFilter ?? "", name, String(fit.parameters[i]), number(fit.lower95?[i]), number(fit.upper95?[i]),
                                    fit.status.rawValue])
                }
            }
            // The frontier grids of stored frontier fits: envelope value and winning n per x.
            var frontierRows: [[String]] = []
            for fit in try store.fits(kind: .frontier) {
                guard let analysis = try? JSONDecoder().decode(FrontierAnalysis.self, from: Data(fit.detailsJSON.utf8)) else { continue }
                for point in analysis.grid {
                    frontierRows.append([String(fit.id ?? 0), analysis.axis, fit.options["fixedBatch"].flatMap { $0 == "none" ? nil : $0 } ?? "",
                                         String(point.x), String(point.value), String(point.rolloutsPerProblem),
                                         point.problemsPerBatch.map(String.init) ?? "", String(point.smoothedLog2N)])
                }
            }
            let planRows = try store.plans().map { p in
                [String(p.id ?? 0), String(p.budget), p.unit, p.difficulty, String(p.rolloutsPerProblem), String(p.problemsPerBatch),
                 String(p.steps), String(p.learningRate), String(p.optimalRollouts), p.lawSource]
            }
            let files: [(String, [String], [[String]])] = [
                ("runs.csv", ["run_id", "name", "source", "n", "bp", "learning_rate", "model", "dataset", "difficulty", "seed", "sweep",
                              "preset", "fixed_batch"], runRows),
                ("points.csv", ["run_id", "run", "n", "bp", "step", "rollouts", "tokens", "metric", "raw_name", "value"], pointRows),
                ("fits.csv", ["fit_id", "kind", "family", "metric", "difficulty", "run_filter", "parameter", "value", "lower95", "upper95",
                              "status"], fitRows),
                ("frontier.csv", ["fit_id", "axis", "fixed_batch", "x", "value", "n_star", "bp_star", "smoothed_log2_n_star"], frontierRows),
                ("plans.csv", ["plan_id", "budget", "unit", "difficulty", "n", "bp", "steps", "learning_rate", "n_star", "law"], planRows),
            ]
            var counts: [String: Int] = [:]
            for (name, header, rows) in files {
                let path = (directory as NSString).appendingPathComponent(name)
                try CSVWriter.table(header: header, rows: rows).write(toFile: path, atomically: true, encoding: .utf8)
                counts[name] = rows.count
            }
            return Result(directory: directory, rows: counts)
        } catch {
            throw WorkflowError(error)
        }
    }
}
