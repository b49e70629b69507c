import ArgumentParser
import Domain
import Foundation
import Planner
import RunStore
import Workflows

/// `isoplan demo`: the main job on the built-in defaults.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Run the main job on the built-in defaults: small simulated sweeps, their frontiers and laws, a training plan, a test-time sizing and the report with every chart.",
        discussion: """
            Simulates the isocompute-q1-easy grid and the B = 8,192 slice of isocompute-q2-easy \
            (2,000 problems, 3·10⁶ rollouts, 2 seeds), fits both frontiers, plans training at \
            4× the swept budget, sizes test-time scaling for $500 on the bundled Terminal-Bench \
            solve rates, and writes the report (HTML, or Markdown with --format md). Uses the \
            store (--db, default ./isoplan.sqlite); rerunning resumes the sweeps instead of \
            simulating them again. A few seconds in a release build on two cores.

              isoplan demo -o isoplan-demo.html --csv notebooks-data/demo
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "The report (default isoplan-demo.html, or .md with --format md).",
            valueName: "file"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "Also export the demo's runs, points, frontiers, fits and plans as tidy CSV into this directory.",
            valueName: "dir"))
    var csv: String?

    func run() throws {
        try reportingFailures {
            let store = try Store(path: global.databasePath)
            let markdown = global.outputFormat.isMarkdown
            var request = DemoRequest(reportPath: output ?? (markdown ? "isoplan-demo.md" : "isoplan-demo.html"))
            request.format = markdown ? .markdown : .html
            request.exportDirectory = csv
            request.generator = "isoplan \(Isoplan.version)"
            let result = try DemoWorkflow.run(request, store: store, progress: TerminalProgressBar())
            try global.render(result) { _ in summary(of: result) }
        }
    }

    /// The lines the demo prints: what it simulated, fitted, planned, sized and wrote.
    private func summary(of result: DemoResult) -> String {
        let plan = result.plan
        let recommendation = result.testTime.recommendation
        let fits = [("n*(C)", result.frontierFitID), ("n*(M)", result.fixedBatchFitID)].map { law, id in
            "\(law): \(id.map { "fit \($0)" } ?? "no law the data identify, not stored")"
        }.joined(separator: "; ")
        var lines = [
            "simulated \(result.simulatedRuns) runs (\(result.storedRuns) in the sweeps), fitted the frontiers (\(fits)),",
            "planned n = \(plan.rolloutsPerProblem), B_p = \(plan.problemsPerBatch), M = \(plan.steps) "
                + "for \(String(format: "%g", plan.budget)) rollouts,",
            "sized test time: \(recommendation.pipeline.specification), "
                + "accuracy \(formatNumber(recommendation.prediction.accuracy))",
            render(result.report),
        ]
        if let export = result.export {
            lines.append("exported \(export.rows.values.reduce(0, +)) CSV rows to \(export.directory)")
        }
        lines.append(String(format: "finished in %.1f s", result.seconds))
        return lines.joined(separator: "\n")
    }
}
