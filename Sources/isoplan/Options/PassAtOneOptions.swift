import ArgumentParser
import Planner

/// A population known only by its pass@1 (a leaderboard number): a Beta of that mean and of
/// concentration α + β (``SolveRateModel/assumedShape(passAt1:concentration:)``).
struct PassAtOneOptions: ParsableArguments {
    @Option(
        name: .customLong("pass-at-1"),
        help: ArgumentHelp("Population pass@1, when no per-task data exist (a Beta of that mean).", valueName: "p"))
    var passAt1: Double?

    @Option(
        help: ArgumentHelp(
            "Beta concentration α+β with --pass-at-1 (default 0.41, the median Terminal-Bench fit; a large one approaches a single pass rate).",
            valueName: "k"))
    var concentration: Double?

    func validate() throws {
        if let passAt1, !(passAt1 > 0 && passAt1 < 1) { throw ValidationError("--pass-at-1 must lie in (0, 1)") }
        if let concentration, !(concentration > 0 && concentration <= 1e6) {
            throw ValidationError("--concentration must lie in (0, 1e6]")
        }
        if concentration != nil && passAt1 == nil { throw ValidationError("--concentration goes with --pass-at-1") }
    }

    /// The concentration given, else the default.
    var concentrationOrDefault: Double { concentration ?? SolveRateModel.defaultConcentration }
}
