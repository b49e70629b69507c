import Domain
import Foundation
import ScalingLaws
import Workflows

/// Human tables for fit results.
enum FitRendering {
    static func curveTable(_ result: FitCurveResult, format: OutputFormat) -> String {
        let fit = result.fit
        var rows: [[String]] = []
        for (j, name) in fit.parameterNames.enumerated() {
            var row = [name, formatNumber(fit.parameters[j])]
            if let boot = result.bootstrap {
                row += [
                    formatNumber(boot.standardErrors[j]),
                    "[\(formatNumber(boot.lower95[j])), \(formatNumber(boot.upper95[j]))]",
                ]
            } else {
                row += [result.covarianceStandardErrors.map { formatNumber($0[j]) } ?? "–", "–"]
            }
            row.append(fit.onBound[j] ? "on bound" : "")
            rows.append(row)
        }
        let header = ["parameter", "value", result.bootstrap == nil ? "SE (cov.)" : "SE (boot.)", "95% CI", ""]
        var lines = [table(header: header, rows: rows, format: format), ""]
        lines.append(
            "family \(fit.family), loss \(fit.loss), \(result.points) points\(result.droppedPoints > 0 ? " (\(result.droppedPoints) dropped)" : ""), \(fit.starts) starts"
        )
        lines.append(
            "objective \(formatNumber(fit.objective)), status \(fit.status.rawValue), gradient \(formatNumber(fit.gradientNorm)), \(fit.iterations) iterations"
        )
        if let boot = result.bootstrap {
            lines.append(
                "bootstrap: \(boot.resamples) resamples (seed \(boot.seed)), \(boot.notConverged) not converged")
        }
        if fit.family == "chinchilla" {
            let p = fit.parameters
            lines.append(
                "A = e^a = \(formatNumber(exp(p[0]))), B = e^b = \(formatNumber(exp(p[1]))), E = e^e = \(formatNumber(exp(p[2]))), β/(α+β) = \(formatNumber(p[4] / (p[3] + p[4])))"
            )
        }
        if fit.candidatesAtOptimum == 1 {
            lines.append(
                "warning: only 1 of the polished candidates reached this optimum; the search may have missed a better one. "
                    + "The parameters are one local optimum: try more --starts, or --screen-starts off "
                    + "(docs/SCALING_LAWS.md, \"Start screening\")."
            )
        }
        if let id = result.storedID { lines.append("stored as fit \(id)") }
        return lines.joined(separator: "\n")
    }

    static func frontierTable(_ result: FrontierResult, format: OutputFormat) -> String {
        let analysis = result.analysis
        var lines: [String] = []
        let curveRows = analysis.curves.map { curve in
            [
                String(curve.rolloutsPerProblem), curve.problemsPerBatch.map(String.init) ?? "all",
                String(curve.runs.count),
                String(curve.recordPoints.count),
            ] + curve.fit.parameters.map(formatNumber)
        }
        lines.append(
            table(
                header: ["n", "B_p", "runs", "records", "R0", "A", "log10 C_mid", "B"], rows: curveRows, format: format)
        )
        lines.append("")
        lines += lawLines(analysis, format: format)
        let handovers = analysis.handovers
        if !handovers.isEmpty {
            lines.append(
                "handovers: "
                    + handovers.map {
                        "n \($0.fromN)→\($0.toN) at \(analysis.axis == "steps" ? "M" : "C") = \(formatNumber($0.x))"
                            + ($0.isCrossing ? "" : " (across a tie)")
                    }.joined(separator: ", "))
        }
        lines.append(
            "best value per n: "
                + analysis.bestValuePerN.sorted { Int($0.key)! < Int($1.key)! }.map {
                    "\($0.key): \(formatNumber($0.value))"
                }.joined(separator: ", "))
        if let check = analysis.extrapolation {
            lines.append(
                "extrapolation above \(formatNumber(check.cut)): RMSE \(formatNumber(check.rmse)), max \(formatNumber(check.maxAbsoluteError)) (log2 n), \(check.pointsAbove) points"
            )
        }
        for note in analysis.notes { lines.append("note: \(note)") }
        if let id = result.storedID {
            lines.append(
                "stored as fit \(id) (\(result.runIDs.count) runs\(result.difficulty.map { ", difficulty \($0)" } ?? ""))"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// The law's parameters with their intervals and identification, the identified range, what is
    /// missing and the suggested next runs.
    static func lawLines(_ analysis: FrontierAnalysis, format: OutputFormat) -> [String] {
        var lines: [String] = []
        if let law = analysis.law {
            var rows: [[String]] = []
            for (j, name) in law.parameterNames.enumerated() {
                var row = [name, formatNumber(law.parameters[j])]
                if let boot = analysis.lawBootstrap {
                    row += ["[\(formatNumber(boot.lower95[j])), \(formatNumber(boot.upper95[j]))]"]
                } else {
                    row += ["–"]
                }
                row.append(law.onBound[j] ? "on bound" : "")
                rows.append(row)
            }
            lines.append(table(header: ["law", "value", "95% CI", ""], rows: rows, format: format))
            if analysis.lawIdentified, let floor = analysis.floorN, let saturation = analysis.saturationN {
                lines.append("floor 2^b = \(formatNumber(floor)), saturation 2^(b+L) = \(formatNumber(saturation))")
            } else {
                lines.append("law NOT IDENTIFIED: \(analysis.lawReason ?? "")")
            }
            if let failed = analysis.lawBootstrap?.notConverged, failed > 0 {
                lines.append(
                    "bootstrap: \(failed) of \(failed + (analysis.lawBootstrap?.resamples ?? 0)) refits failed (left out of the CI)"
                )
            }
        }
        if let range = analysis.identifiedRange {
            lines.append(
                "identified range: \(analysis.axis == "steps" ? "M" : "C") = \(formatNumber(range[0]))–\(formatNumber(range[1])) "
                    + "(\(analysis.grid.filter(\.resolved).count) of \(analysis.grid.count) grid points resolved)")
        }
        for need in analysis.missing { lines.append("missing: \(need)") }
        if let next = analysis.suggestions, !next.runs.isEmpty {
            let now = next.interval.map { "now \(formatNumber($0[0]))–\(formatNumber($0[1]))" } ?? "not identified"
            lines.append("suggested next runs (n* at \(formatNumber(next.target)): \(now)):")
            for run in next.runs {
                lines.append(
                    "  n = \(run.rolloutsPerProblem.map(String.init).joined(separator: " and ")) to "
                        + "C = \(formatNumber(run.budget)) each: \(run.reason)")
            }
        }
        return lines
    }
}
