import Domain
import Foundation
import Ingest
import NumericCore
import Planner
import RLSim
import Report
import RunStore
import ScalingLaws

/// Gathers a report's data from the store (and the test-time inputs) and lays out its sections.
struct ReportBuilder {
    let request: ReportRequest
    let store: Store
    let progress: any ProgressReporter
    let runs: [Run]
    var document: ReportDocument
    var summary: ReportSummary
    var provenance: [String] = []

    init(request: ReportRequest, store: Store, progress: any ProgressReporter) throws {
        self.request = request
        self.store = store
        self.progress = progress
        runs = try store.runs(matching: request.filter)
        let date = ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
        let selection = request.filter.description.isEmpty ? "all runs" : "runs matching `\(request.filter)`"
        document = ReportDocument(
            title: request.title,
            subtitle: "\(request.generator), \(date) — store `\(store.path)`, \(runs.count) \(selection)")
        summary = ReportSummary(
            path: request.outputPath, format: request.format.rawValue, chartFiles: [], charts: [], runs: runs.count,
            frontierFits: [], bytes: 0, notes: [], testTimePlan: nil)
    }

    mutating func build() throws {
        planSection()
        let free = runs.filter { $0.fixedBatch == nil }
        try frontierSection(free)
        let batches = Dictionary(grouping: runs.filter { $0.fixedBatch != nil }, by: { $0.fixedBatch! })
        for (batch, group) in batches.sorted(by: { $0.key < $1.key }) { try fixedBatchSection(group, batch: batch) }
        if batches.isEmpty { note("fixed-batch laws: no run with a fixed batch B = B_p·n in the selection") }
        try sensitivitySection(free)
        try passRateSection(free)
        try testTimeSection()
        try fitsSection()
        provenanceSection()
        summary.charts = document.charts.map(\.id)
    }

    mutating func note(_ text: String) { summary.notes.append(text) }

    // MARK: Plan

    mutating func planSection() {
        guard let plan = (try? store.plans())?.max(by: { ($0.id ?? 0) < ($1.id ?? 0) }) else {
            note("plan: no training plan in the store (`isoplan plan train`)")
            return
        }
        document.heading("Training plan")
        var rows: [[String]] = [
            ["budget", "\(Axis.siLabel(plan.budget)) \(plan.unit.rawValue) (\(plan.difficulty.rawValue))"],
            ["rollouts per problem n", "\(plan.rolloutsPerProblem)"],
            ["problems per batch B_p", "\(plan.problemsPerBatch)"],
            ["update steps M", "\(plan.steps)"],
            ["learning rate η", String(format: "%.3g", plan.learningRate)],
            [
                "n* from the law",
                String(format: "%.1f", plan.optimalRollouts)
                    + (plan.optimalRolloutsInterval.map { String(format: " (95%% bootstrap %.1f–%.1f)", $0[0], $0[1]) }
                        ?? ""),
            ],
            ["law", plan.lawSource],
        ]
        if let reward = plan.expectedReward {
            rows.append([
                "expected validation reward",
                String(format: "%.3f", reward)
                    + (plan.expectedRewardExtrapolated == true ? " (extrapolated beyond the curve's data)" : ""),
            ])
        }
        if let cost = plan.cost {
            rows.append([
                "cost on \(cost.gpus) GPUs",
                String(
                    format: "%.3g s/step, %.3g h wall clock, %.4g GPU-hours", cost.secondsPerStep, cost.wallClockHours,
                    cost.gpuHours)
                    + (cost.usd.map { String(format: ", $%.4g", $0) } ?? ""),
            ])
        }
        if let zero = plan.zeroAdvantage?.atPlan {
            rows.append([
                "zero-advantage groups at n",
                String(format: "%.1f%% (%.3g informative of B_p; ", 100 * zero.fraction, zero.informativeGroups)
                    + (zero.oversampling.map { String(format: "over-sampling %.2f× for dynamic sampling)", $0) }
                        ?? "too few informative groups to over-sample for)"),
            ])
        }
        document.table(header: ["plan \(plan.id.map(String.init) ?? "")", "value"], rows: rows)
        document.paragraph(plan.rationale)
        document.list(plan.warnings.map { "warning: \($0)" })
        provenance.append("Training plan \(plan.id.map(String.init) ?? "-") from law `\(plan.lawSource)`.")
    }

    // MARK: Frontier

    /// The newest stored frontier analysis of (a large part of) these runs, else one computed here.
    mutating func analysis(of runs: [Run], fixedBatch: Int?) throws -> (
        analysis: FrontierAnalysis, fitID: Int64?, tokens: Bool
    )? {
        let ids = Set(runs.compactMap(\.id))
        guard !ids.isEmpty else { return nil }
        let wanted = fixedBatch.map(String.init) ?? "none"
        for fit in try store.fits(kind: .frontier, metric: .validationReward)
        where fit.options["fixedBatch"] == wanted && !fit.runIDs.isEmpty && Set(fit.runIDs).isSubset(of: ids)
            && Double(fit.runIDs.count) >= 0.9 * Double(ids.count)
        {
            if let analysis = try? JSONDecoder().decode(FrontierAnalysis.self, from: Data(fit.detailsJSON.utf8)) {
                provenance.append(
                    "Frontier fit \(fit.id ?? 0) (stored; \(fit.runIDs.count) runs, filter `\(fit.runFilter ?? "")`, \(fit.options["bootstrap"] ?? "?") bootstrap resamples)."
                )
                return (analysis, fit.id, fit.options["compute"] == "tokens")
            }
        }
        let series = try FrontierWorkflow.series(
            of: runs, metric: .validationReward, computeInTokens: false, store: store)
        guard !series.isEmpty else { return nil }
        var options = FrontierOptions()
        options.fixedBatch = fixedBatch
        options.bootstrapResamples = request.bootstrapResamples
        do {
            let analysis = try FrontierAnalysis.analyze(
                series, options: options, workers: request.workers, progress: progress)
            provenance.append(
                "Frontier analysis of \(analysis.runsUsed.count) runs\(fixedBatch.map { " at B = \($0)" } ?? "") computed for this report (not stored; \(options.bootstrapResamples) bootstrap resamples, default options)."
            )
            return (analysis, nil, false)
        } catch {
            note("frontier\(fixedBatch.map { " at B = \($0)" } ?? ""): \(error)")
            return nil
        }
    }

    mutating func frontierSection(_ free: [Run]) throws {
        guard let (analysis, fitID, tokens) = try analysis(of: free, fixedBatch: nil) else {
            note("frontier: no run with validation-reward points and a free batch")
            return
        }
        summary.frontierFits.append(fitID)
        let xLabel = "compute C (\(tokens ? "tokens" : "rollouts"))"
        document.heading("The compute-optimal frontier")
        document.paragraph(
            "Each group's record-breaking points (a run's points that beat every cheaper point) and its fitted monotone sigmoid R(C) = R0 + (A − R0)/(1 + (C_mid/C)^B), drawn over its own data only; the grey band is the upper envelope of the fitted curves and the dashed rules mark where the winning n changes. \(analysis.curves.count) groups from \(analysis.runsUsed.count) runs\(fitID.map { ", stored fit \($0)" } ?? "")."
        )
        document.chart(
            FrontierCharts.rewardVsCompute(
                analysis, xLabel: xLabel, yLabel: "validation reward (mean pass@1)",
                caption: "Validation reward against sampling compute per rollouts-per-problem n; handovers: "
                    + (analysis.handovers.isEmpty
                        ? "none."
                        : analysis.handovers.map { h in
                            "\(h.fromN)→\(h.toN) at \(Axis.siLabel(h.x))\(h.isCrossing ? "" : " (range ends)")"
                        }.joined(separator: ", ") + ".")))
        let best = analysis.bestValuePerN.sorted { Int($0.key)! < Int($1.key)! }
        document.table(
            header: ["n", "best fitted reward"], rows: best.map { [$0.key, String(format: "%.4f", $0.value)] })
        document.chart(FrontierCharts.allocationLaw(analysis, xLabel: xLabel, caption: lawCaption(analysis)))
        if let law = analysis.law {
            document.table(
                header: ["law parameter", "value", "95% bootstrap interval"],
                rows: parameterRows(law, analysis.lawBootstrap))
        }
        document.list(analysis.notes)
    }

    func lawCaption(_ analysis: FrontierAnalysis) -> String {
        guard let law = analysis.law else {
            return "n* takes a single value on this frontier: no allocation law was fitted."
        }
        let p = law.parameters
        var text = String(
            format:
                "log2 n*(C) = L / (1 + e^(−k (log10 C − log10 C0))) + b with L = %.2f, k = %.2f, log10 C0 = %.2f, b = %.2f",
            p[0], p[1], p[2], p[3])
        if let range = analysis.identifiedRange {
            text += String(format: ", fitted on the identified range %.3g–%.3g", range[0], range[1])
        }
        if analysis.lawIdentified, let bootstrap = analysis.lawBootstrap {
            text +=
                "; the band is the pointwise 95% range over \(bootstrap.samples.count) bootstrap refits of the whole pipeline"
            if bootstrap.notConverged > 0 { text += " (\(bootstrap.notConverged) failed refits left out)" }
        }
        if let floor = analysis.floorN, let saturation = analysis.saturationN {
            text += String(format: "; floor ≈ %.0f, saturation ≈ %.0f rollouts per problem.", floor, saturation)
        } else {
            text += "; NOT IDENTIFIED: \(analysis.lawReason ?? "floor and saturation are not pinned by the data")"
            text += " — no band is drawn and `plan train` will not use this law."
        }
        return text
    }

    func parameterRows(_ fit: CurveFit, _ bootstrap: BootstrapSummary?) -> [[String]] {
        fit.parameterNames.indices.map { i in
            [
                fit.parameterNames[i], String(format: "%.4g", fit.parameters[i]),
                bootstrap.map { String(format: "%.4g – %.4g", $0.lower95[i], $0.upper95[i]) } ?? "—",
            ]
        }
    }

    mutating func fixedBatchSection(_ group: [Run], batch: Int) throws {
        guard Set(group.map(\.rolloutsPerProblem)).count >= 2,
            let (analysis, fitID, _) = try analysis(of: group, fixedBatch: batch)
        else {
            note("fixed batch B = \(batch): fewer than two n values, no law")
            return
        }
        summary.frontierFits.append(fitID)
        document.heading("Fixed batch B = \(batch)")
        var caption =
            "With B = B_p·n fixed, compute is proportional to update steps M: the frontier's n* and B_p* = B/n* per M, and the laws log2 n*(M), log2 B_p*(M) (logistic in linear M)."
        if let law = analysis.law {
            caption += String(
                format: " n*(M): L = %.2f, k = %.3g, M0 = %.1f, b = %.2f.", law.parameters[0], law.parameters[1],
                law.parameters[2], law.parameters[3])
            if !analysis.lawIdentified {
                caption += " NOT IDENTIFIED (\(analysis.lawReason ?? "")): drawn without a band."
            }
            if analysis.batchLawIdentified == false { caption += " The B_p*(M) law is not identified either." }
        }
        document.chart(FrontierCharts.fixedBatch(analysis, batch: batch, id: "fixed-batch-\(batch)", caption: caption))
        if let law = analysis.law {
            document.table(
                header: ["n*(M) parameter", "value", "95% bootstrap interval"],
                rows: parameterRows(law, analysis.lawBootstrap))
        }
        document.list(analysis.notes)
    }

    // MARK: Sensitivity and per-problem distributions

    mutating func sensitivitySection(_ free: [Run]) throws {
        var best: [[Int]: [Double]] = [:]
        for run in free {
            let values = try store.points(ofRun: run.id!, metric: .validationReward).map(\.value)
            if let top = values.max() { best[[run.rolloutsPerProblem, run.problemsPerBatch], default: []].append(top) }
        }
        let cells = best.map { key, values in
            SettingReward(
                rolloutsPerProblem: key[0], problemsPerBatch: key[1],
                bestReward: values.reduce(0, +) / Double(values.count), runs: values.count)
        }
        guard Set(cells.map(\.problemsPerBatch)).count >= 2, Set(cells.map(\.rolloutsPerProblem)).count >= 2 else {
            note("B_p-vs-n sensitivity: needs runs at two or more B_p and two or more n")
            return
        }
        let spreads = BatchSensitivity(cells)
        document.heading("B_p vs n sensitivity")
        let caption =
            String(
                format:
                    "Best validation reward each (B_p, n) setting reached, averaged over its seeds. Median relative spread across B_p at fixed n: %.1f %%; across n at fixed B_p: %.1f %%",
                100 * spreads.acrossBatch, 100 * spreads.acrossN)
            + (spreads.acrossBatch < spreads.acrossN
                ? " — n matters more than B_p." : " — B_p matters as much as n here.")
        document.chart(TrainingCharts.batchSensitivity(cells, yLabel: "best validation reward", caption: caption))
    }

    mutating func passRateSection(_ free: [Run]) throws {
        let names = SimulationMetrics.trainPassRateQuantiles.map(\.0)
        // The most common B_p; at it, the smallest and the largest n (lowest seed each).
        let byBatch = Dictionary(grouping: free, by: \.problemsPerBatch)
        guard let (bp, group) = byBatch.max(by: { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }) else {
            return
        }
        let ordered = group.sorted { ($0.rolloutsPerProblem, $0.seed ?? 0) < ($1.rolloutsPerProblem, $1.seed ?? 0) }
        var chosen: [Run] = []
        if let low = ordered.first { chosen.append(low) }
        if let high = ordered.last(where: { $0.rolloutsPerProblem != ordered.first?.rolloutsPerProblem }),
            let seed = ordered.first(where: { $0.rolloutsPerProblem == high.rolloutsPerProblem })
        {
            chosen.append(seed)
        }
        var trajectories: [PassRateTrajectory] = []
        for run in chosen {
            var byStep: [Int: (compute: Double, values: [MetricName: Double])] = [:]
            for name in names {
                for point in try store.points(ofRun: run.id!, metric: name) {
                    byStep[point.step, default: (point.rollouts, [:])].values[name] = point.value
                }
            }
            let rows = byStep.sorted { $0.key < $1.key }.filter {
                $0.value.values.count == names.count && $0.value.compute > 0
            }
            if rows.count >= 2 {
                trajectories.append(
                    PassRateTrajectory(
                        label: "n = \(run.rolloutsPerProblem)", compute: rows.map(\.value.compute),
                        quantiles: rows.map { row in names.map { row.value.values[$0]! } }))
            }
        }
        guard !trajectories.isEmpty else {
            note(
                "per-problem training pass@1: no run with per-problem pass-rate quantiles (simulated runs record them)")
            return
        }
        document.heading("Per-problem training pass@1 over training")
        document.chart(
            TrainingCharts.passRateDistribution(
                trajectories, xLabel: "compute C (rollouts)",
                caption:
                    "Median and 25–75 % / 10–90 % ranges of the training pass@1 of individual problems as training proceeds, at B_p = \(bp) for the smallest and the largest n (one seed each; simulated runs record these quantiles at every evaluation). Compare them at equal compute: a larger n keeps the distribution more uniform."
            ))
    }

    // MARK: Test time

    mutating func testTimeSection() throws {
        guard let tts = request.testTime else {
            note("test-time: no solve rates given (--solve-rates)")
            return
        }
        document.heading("Test-time scaling")
        if case .measured(let files, let system, let options, let kind) = tts.population {
            let systems = try SolveRatesWorkflow.load(files, system: system, options: options)
            if systems.count == 1 { try passAtKChart(systems[0], kind: kind, files: files, seed: tts.seed) }
        }
        let plan = try TestTimePlanWorkflow.run(tts)
        summary.testTimePlan = plan
        if !plan.curve.isEmpty { accuracyChart(plan) }
        recommendationTable(plan)
    }

    /// Measured pass@k of one system's tasks with the solve-rate fit and its task-bootstrap band.
    private mutating func passAtKChart(_ rates: SolveRates, kind: SolveRateModel.Kind, files: [String], seed: UInt64)
        throws
    {
        let model = try SolveRateFitter.fit(rates, kind: kind)
        guard let trials = rates.tasks.map(\.trials).min(), trials >= 1 else { return }
        let measured = (1...trials).map { k in
            ChartPoint(
                Double(k),
                rates.tasks.reduce(0) { $0 + passAtK(samples: $1.trials, correct: $1.successes, k: k) }
                    / Double(rates.tasks.count))
        }
        let ks = (0...6).map { 1 << $0 }  // 1 … 64
        let refits = try SolveRateFitter.bootstrap(rates, kind: kind, resamples: 200, seed: seed)
        let band = ks.map { k in quantiles(refits.map { $0.expectedPassAtK(k) }, [0.025, 0.975]) }
        let name = rates.system ?? "the task set"
        document.chart(
            TestTimeCharts.passAtK(
                measured: measured, fitted: ks.map { ChartPoint(Double($0), model.expectedPassAtK($0)) },
                band: (ks.map(Double.init), band.map { $0[0] }, band.map { $0[1] }), system: name,
                caption: String(
                    format:
                        "Unbiased pass@k of %d tasks × %d trials and the %@ fit (α = %.3f, β = %.3f), extrapolated to k = 64; the band spans 200 task-bootstrap refits.",
                    rates.tasks.count, trials, model.kind.rawValue, model.alpha, model.beta)))
        provenance.append(
            "Solve rates: \(files.joined(separator: ", ")) (system \(name), \(rates.tasks.count) tasks).")
    }

    /// Accuracy against the total budget, with the recommendation and its predictive interval.
    private mutating func accuracyChart(_ plan: TestTimePlan) {
        let r = plan.recommendation
        let unit = plan.unit == .usd ? "USD" : "tokens"
        document.chart(
            TestTimeCharts.accuracyVsBudget(
                curve: plan.curve.map { ChartPoint($0.budget, $0.accuracy) },
                recommended: ChartPoint(r.totalCost, r.prediction.accuracy),
                interval: r.interval.lower...r.interval.upper,
                recommendedLabel: r.pipeline.specification, budget: plan.budget,
                unitLabel: "\(unit), \(plan.tasks) tasks",
                caption: String(
                    format:
                        "The most accurate configuration (N, G, V, K, T, selection) each total budget buys, over %d scored configurations, with a judge right on %.0f %% of votes; the circle is the recommendation with its 95%% predictive interval.",
                    plan.configurationsScored, 100 * plan.judges[0].voteAccuracy)))
    }

    /// The recommended pipeline, its accuracy, costs and judge, and the plan's notes.
    private mutating func recommendationTable(_ plan: TestTimePlan) {
        let r = plan.recommendation
        document.table(
            header: ["recommendation", "value"],
            rows: [
                ["pipeline", r.pipeline.specification],
                [
                    "expected accuracy",
                    String(
                        format: "%.3f (95%% predictive interval %.3f–%.3f)", r.prediction.accuracy, r.interval.lower,
                        r.interval.upper),
                ],
                ["cost per task", String(format: "$%.2f, %@ tokens", r.dollarsPerTask, Axis.siLabel(r.tokensPerTask))],
                ["total", String(format: "%.4g %@ for %d tasks", r.totalCost, plan.unit.rawValue, plan.tasks)],
            ]
                + plan.judges.enumerated().map { t, judge in
                    [
                        plan.judges.count == 1
                            ? "judge"
                            : t == plan.judges.count - 1 ? "judge, iterations ≥ \(t)" : "judge, iteration \(t)",
                        String(format: "vote accuracy %.3f (%@)", judge.voteAccuracy, judge.source),
                    ]
                })
        document.list(plan.notes)
    }

    // MARK: Fits and provenance

    mutating func fitsSection() throws {
        let fits = try store.fits()
        guard !fits.isEmpty else { return }
        document.heading("Fits in the store")
        document.table(
            header: ["fit", "kind", "family", "runs / input", "parameters (95% interval)", "status"],
            rows: fits.prefix(20).map { fit in
                let parameters = fit.parameterNames.indices.map { i in
                    String(format: "%@ = %.4g", fit.parameterNames[i], fit.parameters[i])
                        + ((fit.lower95.map { l in
                            fit.upper95.map { u in String(format: " (%.3g–%.3g)", l[i], u[i]) } ?? ""
                        }) ?? "")
                }.joined(separator: ", ")
                let input =
                    fit.kind == .frontier
                    ? "\(fit.runIDs.count) runs, `\(fit.runFilter ?? "")`"
                        + (fit.options["fixedBatch"].flatMap { $0 == "none" ? nil : ", B = \($0)" } ?? "")
                    : (fit.inputFile ?? "")
                return [
                    String(fit.id ?? 0), fit.kind.rawValue, fit.family.rawValue, input, parameters, fit.status.rawValue,
                ]
            })
        if fits.count > 20 { document.paragraph("… and \(fits.count - 20) older fits (`isoplan fit list`).") }
    }

    mutating func provenanceSection() {
        document.heading("Data provenance")
        let bySource = Dictionary(grouping: runs) { run in
            [run.source.rawValue, run.sweepID.map { "sweep `\($0)`" }, run.preset.map { "preset `\($0)`" }].compactMap {
                $0
            }.joined(separator: ", ")
        }
        var lines = bySource.sorted { $0.key < $1.key }.map { "\($0.value.count) runs: \($0.key)." }
        if runs.contains(where: { $0.source == .sim }) {
            lines.append(
                "Simulated runs come from the on-policy GRPO population model with its committed parameter file (`docs/SIMULATOR.md`); their names carry a tag of its settings."
            )
        }
        lines += provenance + request.provenance
        lines.append(
            "Produced by \(request.generator); every chart is drawn from the values listed here, in this file, with no external resource."
        )
        document.list(lines)
    }
}

/// Median relative spreads of best rewards: across B_p at fixed n, and across n at fixed B_p
/// (the paper's Fig. 9 comparison). Relative spread = (max − min) / max over a row.
struct BatchSensitivity {
    var acrossBatch: Double
    var acrossN: Double

    init(_ cells: [SettingReward]) {
        func medianSpread(_ groups: [[Double]]) -> Double {
            let spreads = groups.filter { $0.count >= 2 }.map { ($0.max()! - $0.min()!) / max($0.max()!, 1e-12) }
            return spreads.isEmpty ? 0 : quantiles(spreads, [0.5])[0]
        }
        acrossBatch = medianSpread(
            Dictionary(grouping: cells, by: \.rolloutsPerProblem).values.map { $0.map(\.bestReward) })
        acrossN = medianSpread(Dictionary(grouping: cells, by: \.problemsPerBatch).values.map { $0.map(\.bestReward) })
    }
}
