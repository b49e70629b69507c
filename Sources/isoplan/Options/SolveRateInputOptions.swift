import ArgumentParser
import Ingest
import Planner

/// How evaluation outputs become per-task solve counts, and which model is fitted to them.
struct SolveRateInputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only this system of the inputs (a counts file's system column, or a NAME= prefix).",
            valueName: "name"))
    var system: String?

    @Option(help: ArgumentHelp("Model: beta-binomial, or mixture (with point masses at 0 and 1).", valueName: "model"))
    var model = SolveRateModel.Kind.betaBinomial

    @Option(
        name: .customLong("null-resolved"),
        help: ArgumentHelp(
            "Terminal-Bench trials with is_resolved null: unresolved (as the harness's accuracy) or drop.",
            valueName: "policy"))
    var nullResolved = NullResolution.unresolved

    @Option(
        help: ArgumentHelp(
            "SWE-bench report labelling mini-SWE-agent runs (once for all runs, or once per run in order).",
            valueName: "report"))
    var labels: [String] = []

    var kind: SolveRateModel.Kind { model }

    var importOptions: SolveRateImportOptions {
        var options = SolveRateImportOptions()
        options.nullResolved = nullResolved
        options.labels = labels
        return options
    }
}
