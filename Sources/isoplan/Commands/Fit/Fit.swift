import ArgumentParser

/// `isoplan fit …`: scaling-law fits.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit scaling laws: a curve family to a CSV file, or the IsoCompute frontier of stored runs.",
        subcommands: [Curve.self, Frontier.self, List.self])
}
