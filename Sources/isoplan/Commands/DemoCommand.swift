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
        abstract: "Run the main job on the built-in defaults: small simulated sweeps, their frontiers and laws, a training plan, a test-time sizing and the report with every chart.",
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

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The report (default isoplan-demo.html, or .md with --format md).",
                                                                  valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also export the demo's runs, points, frontiers, fits and plans as tidy CSV into this directory.",
                               valueName: "dir"))
    var csv: String?

    func run() throws {
        do {
            let store = try Store(path: global.databasePath)
            let markdown = global.outputFormat == .md || global.outputFormat == .markdown
            var request = DemoRequest(reportPath: output ?? (markdown ? "isoplan-demo.md" : "isoplan-demo.html"))
            request.format = markdown ? .markdown : .html
            request.exportDirectory = csv
            request.generator = "isoplan \(Isoplan.version)"
            let result = try DemoWorkflow.run(request, store: store, progress: TerminalProgressBar())
            switch global.outputFormat {
            case .json: print(try jsonString(result))
            case .table, .md, .markdown, .verl, .trl, .openrlhf:
                print("simulated \(result.simulatedRuns) runs (\(result.storedRuns) in the sweeps), fitted the frontiers (fits \(result.frontierFitID.map(String.init) ?? "-"), \(result.fixedBatchFitID.map(String.init) ?? "-")),")
                print("planned n = \(result.plan.rolloutsPerProblem), B_p = \(result.plan.problemsPerBatch), M = \(result.plan.steps) for \(String(format: "%g", result.plan.budget)) rollouts,")
                print("sized test time: \(result.testTime.recommendation.pipeline.specification), accuracy \(formatNumber(result.testTime.recommendation.prediction.accuracy))")
                print(render(result.report))
                if let export = result.export { print("exported \(export.rows.values.reduce(0, +)) CSV rows to \(export.directory)") }
                print(String(format: "finished in %.1f s", result.seconds))
            }
        } catch {
            throw reportFailure(error)
        }
    }
}
