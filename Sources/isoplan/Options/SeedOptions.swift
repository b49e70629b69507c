import ArgumentParser

/// `--seed`: every random process is reproducible from it.
struct SeedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seed of every random draw (bootstrap resamples, random starts).", valueName: "n"))
    var seed: UInt64 = 0
}
