import ArgumentParser
import Domain
import RunStore
import ScalingLaws
import Workflows

extension FitCommand {
    /// `isoplan fit curve`: a family fitted to columns of a CSV file.
    struct Curve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a curve family to columns of a CSV file, with bootstrap CIs; the fit is stored.",
            discussion: """
                Families: scalerl (R(C) = R0 + (A − R0)/(1 + (C_mid/C)^B)), law (log2 n*(C) sigmoid in \
                log10 C), law-linear (the same in linear M), power (y = E + A·x^−α), chinchilla \
                (L(N, D) = E + A/N^α + B/D^β, fitted in log space).

                Epoch AI's Chinchilla refit:
                  isoplan fit curve --family chinchilla --csv svg_extracted_data.csv \\
                    --x "Model Size" --tokens-from-flops "Training FLOP" --y loss \\
                    --drop-highest 5 --loss huber:1e-3 --bootstrap 4000

                A grid of more than 256 starts (chinchilla's 4,500) is screened: the 256 that stand \
                best after 3 steps go on. On Epoch's data this finds the full search's optimum on 200 \
                of 200 resamples, 4× faster; with a Huber delta much below the residuals (1e-4) the \
                full search itself is chaotic and screening finds worse optima more often than \
                better: use --screen-starts off there (docs/SCALING_LAWS.md, "Start screening").
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Curve family.", valueName: "family"))
        var family: FitFamily

        @Option(help: ArgumentHelp("CSV file with a header row.", valueName: "file"))
        var csv: String

        @Option(
            help: ArgumentHelp("Input column(s), comma-separated (two for chinchilla: N,D).", valueName: "col[,col]"))
        var x: String

        @Option(help: ArgumentHelp("Target column.", valueName: "col"))
        var y: String

        @Option(help: ArgumentHelp("Column of point weights (≥ 0).", valueName: "col"))
        var weights: String?

        @Option(
            name: .customLong("tokens-from-flops"),
            help: ArgumentHelp(
                "FLOP column turned into tokens D = FLOP/(6·N), N the first --x column.", valueName: "col"))
        var tokensFromFlops: String?

        @Option(help: ArgumentHelp("Loss: l2, huber:<delta> or soft_l1:<scale>.", valueName: "loss"))
        var loss = RobustLoss.l2

        @Option(help: ArgumentHelp("Bootstrap resamples for CIs (0: none).", valueName: "n"))
        var bootstrap = 0

        @Option(
            help: ArgumentHelp("Number of starts (default: the family's grid; 4,500 for chinchilla).", valueName: "n"))
        var starts: Int?

        @Option(
            name: .customLong("screen-starts"),
            help: ArgumentHelp(
                "With more starts than KEEP (and 8), every start runs at most STEPS iterations and the best KEEP go on; 'off': all go on.",
                valueName: "keep:steps|off"))
        var screenStarts = StartScreening.standard

        @Option(
            name: .customLong("drop-highest"),
            help: ArgumentHelp("Drop the K points with the highest y first.", valueName: "k"))
        var dropHighest = 0

        @Option(name: .customLong("fixed-r0"), help: ArgumentHelp("Hold R0 fixed (scalerl only).", valueName: "value"))
        var fixedR0: Double?

        @OptionGroup var seed: SeedOptions

        func validate() throws {
            guard bootstrap == 0 || bootstrap >= 2 else {
                throw ValidationError("--bootstrap needs 0 or at least 2 resamples")
            }
            if let starts, starts < 1 { throw ValidationError("--starts must be at least 1") }
            guard dropHighest >= 0 else { throw ValidationError("--drop-highest must be ≥ 0") }
            if fixedR0 != nil && family != .scalerl {
                throw ValidationError("--fixed-r0 applies to --family scalerl only")
            }
        }

        func run() throws {
            var request = FitCurveRequest(
                file: csv, family: family, xColumns: x.split(separator: ",").map(String.init), yColumn: y)
            request.weightsColumn = weights
            request.tokensFromFlopsColumn = tokensFromFlops
            request.dropHighest = dropHighest
            request.loss = loss
            request.fixedR0 = fixedR0
            request.bootstrapResamples = bootstrap
            request.starts = starts
            request.screening = screenStarts
            request.seed = seed.seed
            try reportingFailures {
                let result = try FitCurveWorkflow.run(
                    request, storePath: global.databasePath, progress: TerminalProgressBar())
                try global.render(result) { FitRendering.curveTable(result, format: $0) }
            }
        }
    }
}
