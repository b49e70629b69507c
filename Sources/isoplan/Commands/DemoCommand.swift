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
        abstract: "Run the main job on the built-in defaults: a small simulated sweep, its frontier and law, a training plan and a test-time sizing, with a Markdown report.",
        discussion: """
            Uses the store (--db, default ./isoplan.sqlite); rerunning resumes the sweep instead of \
            simulating it again. A few seconds in a release build on two cores.

              isoplan demo -o isoplan-demo.md
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The Markdown report.", valueName: "file"))
    var output = "isoplan-demo.md"

    func run() throws {
        do {
            let store = try Store(path: global.databasePath)
            let result = try DemoWorkflow.run(DemoRequest(reportPath: output), store: store, progress: TerminalProgressBar())
            switch global.outputFormat {
            case .json: print(try jsonString(result))
            case .table, .md, .markdown, .verl, .trl, .openrlhf:
                print("simulated \(result.simulatedRuns) runs (\(result.storedRuns) in the sweep), fitted the frontier (fit \(result.frontierFitID.map(String.init) ?? "-")),")
                print("planned n = \(result.plan.rolloutsPerProblem), B_p = \(result.plan.problemsPerBatch), M = \(result.plan.steps) for \(String(format: "%g", result.plan.budget)) rollouts,")
                print("sized test time: \(result.testTime.recommendation.pipeline.specification), accuracy \(formatNumber(result.testTime.recommendation.prediction.accuracy))")
                print("report: \(result.reportPath) (\(String(format: "%.1f", result.seconds)) s)")
            }
        } catch {
            throw reportFailure(error)
        }
    }
}
