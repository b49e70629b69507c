import ArgumentParser
import Domain
import RunStore
import ScalingLaws
import Workflows

extension FitCommand {
    /// `isoplan fit frontier`: the IsoCompute frontier and allocation law of stored runs.
    struct Frontier: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Fit the compute-optimal frontier and the n*(C) allocation law of stored runs; the fit is stored.",
            discussion: """
                Seeds of one configuration are averaged first, their spread is the noise. Per \
                configuration: record-breaking points (optional EMA and reward buckets); per n (or per \
                (B_p, n)): a monotone sigmoid; the frontier is their upper envelope on a log grid, where \
                n within --noise-separation noise SDs of the winner are ties; the identified range runs \
                from the first to the last resolved point; the law log2 n*(C) = L/(1 + exp(−k(log10 C \
                − log10 C0))) + b is fitted there to the ties' intervals, with bootstrap CIs. The \
                output says whether the law is identified (plan train uses only identified laws), what \
                data are missing, and which next runs would narrow n* at --target. --batch B switches \
                to fixed-batch mode: n*(M) and B_p*(M).

                Run filter: space-separated key OP value terms, all must hold; keys id, name, source, \
                n, bp, lr, model, dataset, difficulty; operators = != < <= > >= ~ (contains); a \
                comma list means any of: "source=sim difficulty=easy n>=32", "n=8,32,128".

                  isoplan fit frontier --run-filter "source=sim difficulty=easy" --json
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("run-filter"), help: ArgumentHelp("Runs to use (default: all).", valueName: "expr"))
        var runFilter = ""

        @Option(help: ArgumentHelp("Metric to fit (canonical name).", valueName: "name"))
        var metric = MetricName.validationReward.rawValue

        @Option(
            name: .customLong("group-by"), help: ArgumentHelp("One curve per n, or per (B_p, n).", valueName: "n|bp,n"))
        var groupBy = FrontierOptions.Grouping.n

        @Option(
            help: ArgumentHelp(
                "Fixed rollout batch B = B_p·n: fit n*(M) and B_p*(M) over update steps.", valueName: "B"))
        var batch: Int?

        @Flag(help: "Use cumulative tokens instead of rollouts as compute.")
        var tokens = false

        @Option(help: ArgumentHelp("EMA coefficient β for each run's values (e.g. 0.8).", valueName: "β"))
        var ema: Double?

        @Option(help: ArgumentHelp("Reward bucket width for record-breaking points (e.g. 0.01).", valueName: "width"))
        var bucket: Double?

        @Option(
            name: .customLong("min-compute"), help: ArgumentHelp("Ignore points below this compute.", valueName: "C"))
        var minCompute = 0.0

        @Option(help: ArgumentHelp("Running-average window over grid points for n*.", valueName: "points"))
        var window = 5

        @Option(
            name: .customLong("grid-per-decade"),
            help: ArgumentHelp("Grid points per decade of compute.", valueName: "n"))
        var gridPerDecade = 40

        @Option(
            help: ArgumentHelp(
                "How many noise standard deviations the winning n must lead the runner-up by to count; closer curves are ties.",
                valueName: "z"))
        var noiseSeparation = 1.0

        @Option(
            help: ArgumentHelp(
                "The budget the suggested next runs aim at, in rollouts (tokens with --tokens); default 4× the top of the identified range.",
                valueName: "C"))
        var target: Double?

        @Option(help: ArgumentHelp("Bootstrap resamples for the law's CIs.", valueName: "n"))
        var bootstrap = 1000

        @Option(
            name: .customLong("extrapolation-cut"),
            help: ArgumentHelp(
                "Fit the law below this compute (steps with --batch) and report its error above.", valueName: "C|M"))
        var extrapolationCut: Double?

        @OptionGroup var seed: SeedOptions

        func validate() throws {
            if let ema, !(ema >= 0 && ema < 1) { throw ValidationError("--ema must be in [0, 1), got \(ema)") }
            if let bucket, !(bucket > 0) { throw ValidationError("--bucket must be > 0") }
            if let batch, batch < 2 { throw ValidationError("--batch must be at least 2") }
            if let target, !(target > 0 && target.isFinite) {
                throw ValidationError("--target must be a budget > 0, got \(target)")
            }
            guard noiseSeparation >= 0, noiseSeparation.isFinite else {
                throw ValidationError("--noise-separation must be a number ≥ 0, got \(noiseSeparation)")
            }
            guard window >= 1, window % 2 == 1 else {
                throw ValidationError("--window must be an odd number of grid points ≥ 1, got \(window)")
            }
            guard gridPerDecade >= 2 else { throw ValidationError("--grid-per-decade must be ≥ 2") }
            guard bootstrap == 0 || bootstrap >= 2 else {
                throw ValidationError("--bootstrap needs 0 or at least 2 resamples")
            }
            do { _ = try RunFilter(runFilter) } catch { throw ValidationError("--run-filter: \(error)") }
        }

        func run() throws {
            var request = FrontierRequest(filter: try RunFilter(runFilter))
            request.metric = MetricName(rawValue: metric)
            request.computeInTokens = tokens
            request.options.grouping = groupBy
            request.options.fixedBatch = batch
            request.options.emaCoefficient = ema
            request.options.bucketWidth = bucket
            request.options.minimumCompute = minCompute
            request.options.runningAverageWindow = window
            request.options.gridPointsPerDecade = gridPerDecade
            request.options.bootstrapResamples = bootstrap
            request.options.noiseSeparation = noiseSeparation
            request.options.targetBudget = target
            request.options.extrapolationCut = extrapolationCut
            request.options.seed = seed.seed
            try reportingFailures {
                let store = try Store(path: global.databasePath, createIfMissing: false)
                let result = try FrontierWorkflow.run(request, store: store, progress: TerminalProgressBar())
                try global.render(result) { FitRendering.frontierTable(result, format: $0) }
            }
        }
    }
}
