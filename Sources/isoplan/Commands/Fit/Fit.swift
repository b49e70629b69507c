import ArgumentParser

/// `isoplan fit …`: scaling-law fits.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract:
            "Fit scaling laws (a curve family to a CSV file, the IsoCompute frontier of stored runs) and solve-rate models.",
        subcommands: [Curve.self, Frontier.self, SolveRatesCommand.self, List.self])
}
