import Foundation

/// The best reward one (B_p, n) setting reached (averaged over its runs).
public struct SettingReward: Sendable, Equatable {
    public var rolloutsPerProblem: Int
    public var problemsPerBatch: Int
    public var bestReward: Double
    /// Runs (seeds) behind the value.
    public var runs: Int

    public init(rolloutsPerProblem: Int, problemsPerBatch: Int, bestReward: Double, runs: Int) {
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.bestReward = bestReward
        self.runs = runs
    }
}

/// Quantiles of per-problem training pass@1 at successive compute, for one run.
public struct PassRateTrajectory: Sendable, Equatable {
    public var label: String
    public var compute: [Double]
    /// Per compute value: the 10 %, 25 %, 50 %, 75 % and 90 % quantiles over train problems.
    public var quantiles: [[Double]]

    public init(label: String, compute: [Double], quantiles: [[Double]]) {
        precondition(
            compute.count == quantiles.count && quantiles.allSatisfy { $0.count == 5 },
            "one row of five quantiles per compute value")
        self.label = label
        self.compute = compute
        self.quantiles = quantiles
    }
}

/// Training figures beyond the frontier: B_p-vs-n sensitivity (Fig. 9) and the distribution of
/// per-problem training pass@1 over time (Fig. 12).
public enum TrainingCharts {
    /// Best reward per setting against n, one line per B_p: flat lines across B_p and steep ones
    /// across n say that n matters more than B_p.
    public static func batchSensitivity(
        _ cells: [SettingReward], id: String = "bp-vs-n", yLabel: String, caption: String
    ) -> Chart {
        let batches = Array(Set(cells.map(\.problemsPerBatch))).sorted()
        let series = batches.enumerated().map { i, bp in
            Series(
                name: "B_p = \(bp)",
                points: cells.filter { $0.problemsPerBatch == bp }.sorted {
                    $0.rolloutsPerProblem < $1.rolloutsPerProblem
                }
                .map { ChartPoint(Double($0.rolloutsPerProblem), $0.bestReward) },
                style: .lineAndMarkers, color: Palette.category(i))
        }
        return Chart(
            id: id, title: "B_p vs n sensitivity: best reward per setting", caption: caption,
            x: Axis("rollouts per problem n", scale: .log2), y: Axis(yLabel), series: series)
    }

    /// Median per-problem training pass@1 against compute with its 25–75 % and 10–90 % bands,
    /// one colour per run.
    public static func passRateDistribution(
        _ runs: [PassRateTrajectory], id: String = "train-pass-distribution",
        xLabel: String, caption: String
    ) -> Chart {
        var series: [Series] = []
        var bands: [Band] = []
        for (i, run) in runs.enumerated() {
            let color = Palette.category(i)
            bands.append(
                Band(
                    name: "10–90 % of problems", x: run.compute, lower: run.quantiles.map { $0[0] },
                    upper: run.quantiles.map { $0[4] }, color: color, opacity: 0.12, inLegend: i == 0))
            bands.append(
                Band(
                    name: "25–75 % of problems", x: run.compute, lower: run.quantiles.map { $0[1] },
                    upper: run.quantiles.map { $0[3] }, color: color, opacity: 0.28, inLegend: i == 0))
            series.append(
                Series(
                    name: "\(run.label): median", points: zip(run.compute, run.quantiles).map { ChartPoint($0, $1[2]) },
                    color: color, lineWidth: 2.2))
        }
        return Chart(
            id: id, title: "Per-problem training pass@1 over training", caption: caption,
            x: Axis(xLabel, scale: .log10), y: Axis("training pass@1 of a problem", range: 0...1), series: series,
            bands: bands)
    }
}

/// Test-time figures: pass@k with the solve-rate fit, and expected accuracy against budget.
public enum TestTimeCharts {
    /// Measured unbiased pass@k (k up to the trials per task) and the fitted model's E[pass@k]
    /// beyond them, with the fit's bootstrap band when given (x, lower, upper).
    public static func passAtK(
        measured: [ChartPoint], fitted: [ChartPoint], band: (x: [Double], lower: [Double], upper: [Double])?,
        system: String, id: String = "pass-at-k", caption: String
    ) -> Chart {
        var bands: [Band] = []
        if let band {
            bands.append(
                Band(
                    name: "fit 95% bootstrap band", x: band.x, lower: band.lower, upper: band.upper,
                    color: Palette.category(0), opacity: 0.2))
        }
        return Chart(
            id: id, title: "pass@k of \(system)", caption: caption,
            x: Axis("k (rollouts per task)", scale: .log2), y: Axis("pass@k over tasks", range: 0...1),
            series: [
                Series(name: "fitted E[pass@k]", points: fitted, color: Palette.category(0), lineWidth: 2.2),
                Series(
                    name: "measured (unbiased)", points: measured, style: .markers, color: Palette.category(4),
                    markerRadius: 4),
            ],
            bands: bands)
    }

    /// The best expected accuracy each total budget buys (the cost-accuracy frontier), with the
    /// recommended configuration and its 95% predictive interval marked.
    public static func accuracyVsBudget(
        curve: [ChartPoint], recommended: ChartPoint, interval: ClosedRange<Double>,
        recommendedLabel: String, budget: Double?, unitLabel: String,
        id: String = "tts-accuracy-vs-budget", caption: String
    ) -> Chart {
        var annotations = [
            Annotation(
                .point(x: recommended.x, y: recommended.y, lower: interval.lowerBound, upper: interval.upperBound),
                label: recommendedLabel, color: Palette.category(4))
        ]
        if let budget { annotations.append(Annotation(.vertical(x: budget), label: "budget", color: ChartColor.muted)) }
        return Chart(
            id: id, title: "Test-time expected accuracy vs budget", caption: caption,
            x: Axis("total budget (\(unitLabel))", scale: .log10), y: Axis("expected accuracy", range: 0...1),
            series: [
                Series(
                    name: "best per budget", points: curve, style: .lineAndMarkers,
                    color: Palette.category(0), lineWidth: 2)
            ],
            annotations: annotations)
    }
}
