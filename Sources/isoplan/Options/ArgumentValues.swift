// Public only because these conformances of public types are: the isoplan executable exports nothing.
public import ArgumentParser
public import Domain
public import RLSim

// Closed option values of other modules' types, parsed by name; `--help` lists them.

/// `simulate --difficulty`: a named population.
extension Difficulty: ExpressibleByArgument {}

/// `simulate sweep --preset`: a study preset by name.
extension SweepPreset: ExpressibleByArgument {
    public init?(argument: String) {
        guard let preset = SweepPreset.named(argument) else { return nil }
        self = preset
    }

    public static var allValueStrings: [String] { all.map(\.name) }
}
