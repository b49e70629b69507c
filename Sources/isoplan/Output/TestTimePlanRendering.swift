import Domain
import Foundation
import Planner

/// `plan tts`'s table and Markdown output: the recommendation, its cost per task, the iterations'
/// coverage, the accuracy-vs-budget curve and the shape sensitivity, then the notes.
struct TestTimePlanRendering {
    let plan: TestTimePlan
    let format: OutputFormat
    /// USD per input and per output token, for the cost table.
    let priceIn: Double
    let priceOut: Double

    var text: String {
        var out = "\(heading)\n\n" + keyValueTable(summaryRows, format: format)
        out += "\n\nCost per task\n\n" + costTable
        out += "\n\nIterations\n\n" + iterationsTable
        if let redistribution = plan.redistribution {
            out +=
                "\n\nRefined population, task by task (own-rate refinement, a judge worse on hard tasks)\n\n"
                + redistributionText(redistribution)
        }
        if !plan.curve.isEmpty {
            out += "\n\nAccuracy vs budget (\(plan.configurationsScored) configurations scored)\n\n" + curveTable
        }
        if !plan.sensitivity.isEmpty {
            out += "\n\nSensitivity to the assumed shape (same pass@1)\n\n" + sensitivityTable
        }
        for note in plan.notes { out += "\n\nnote: \(note)" }
        return out
    }

    var unitName: String { plan.unit == .usd ? "USD" : "tokens" }

    /// An amount in the plan's unit.
    func money(_ x: Double) -> String { plan.unit == .usd ? String(format: "$%.2f", x) : formatNumber(x) }

    var heading: String {
        switch plan.mode {
        case .fixed: "Prediction for \(plan.recommendation.pipeline.specification)"
        case .target: "Cheapest configuration reaching accuracy \(formatNumber(plan.targetAccuracy ?? 0))"
        case .budget: "Recommendation for a budget of \(money(plan.budget ?? 0)) over \(plan.tasks) tasks"
        }
    }

    var summaryRows: [(String, String)] {
        let r = plan.recommendation
        let c = r.pipeline.configuration
        var rows: [(String, String)] = [
            ("configuration", r.pipeline.specification),
            ("rollouts N", String(c.rollouts)), ("group size G", String(c.groupSize)), ("votes V", String(c.votes)),
        ]
        if c.iterations > 1 {
            rows += [
                ("priors K", String(c.priors)), ("iterations T", String(c.iterations)),
                ("selection", r.pipeline.selection.rawValue),
            ]
        }
        let interval =
            "\(formatNumber(r.interval.lower))–\(formatNumber(r.interval.upper)) (mean over \(plan.tasks) tasks)"
        rows += [
            ("expected accuracy", formatNumber(r.prediction.accuracy)),
            ("95% predictive interval", interval),
            ("cost per task", "\(String(format: "$%.2f", r.dollarsPerTask)), \(formatNumber(r.tokensPerTask)) tokens"),
            ("total (\(unitName))", money(r.totalCost)),
            ("sequential rounds", String(r.cost.sequentialRounds)),
            ("population", population),
        ]
        for (t, judge) in plan.judges.enumerated() {
            let name =
                plan.judges.count == 1
                ? "judge" : t == plan.judges.count - 1 ? "judge, iterations ≥ \(t)" : "judge, iteration \(t)"
            let value =
                "vote accuracy \(formatNumber(judge.voteAccuracy)) (\(judge.source)); "
                + "pair accuracy after \(c.votes) votes \(formatNumber(r.pairAccuracies[t]))"
            rows.append((name, value))
        }
        return rows
    }

    var population: String {
        let p = plan.population
        let shape = "α = \(formatNumber(p.model.alpha)), β = \(formatNumber(p.model.beta))"
        return p.assumedShape
            ? "assumed Beta(\(formatNumber(p.model.alpha)), \(formatNumber(p.model.beta)))"
            : "\(p.system ?? p.source): \(p.model.kind.rawValue) \(shape)"
                + (p.model.pointMassZero > 0 ? ", w₀ = \(formatNumber(p.model.pointMassZero))" : "")
                + (p.model.pointMassOne > 0 ? ", w₁ = \(formatNumber(p.model.pointMassOne))" : "")
    }

    var costTable: String {
        let b = plan.recommendation.cost
        func row(_ part: String, _ calls: Int, _ tokensIn: Double, _ tokensOut: Double) -> [String] {
            [
                part, String(calls), formatNumber(tokensIn), formatNumber(tokensOut),
                String(format: "%.2f", tokensIn * priceIn + tokensOut * priceOut),
            ]
        }
        return table(
            header: ["part", "calls", "tokens in", "tokens out", "USD"],
            rows: [
                row("rollouts", b.rollouts, b.rolloutTokensIn, b.rolloutTokensOut),
                row("summaries", b.summaries, b.summaryTokensIn, b.summaryTokensOut),
                row("judge calls", b.judgeCalls, b.judgeTokensIn, b.judgeTokensOut),
                row("total", b.rollouts + b.summaries + b.judgeCalls, b.tokensIn, b.tokensOut),
            ], format: format)
    }

    var iterationsTable: String { iterationsTable(plan.recommendation.prediction.iterations) }

    /// The redistribution model's iterations, final accuracy and judge curve.
    func redistributionText(_ r: RedistributionModel.Prediction) -> String {
        let curve = [0.1, 0.5, 0.9].map { "a(\($0)) = \(formatNumber(r.judgeAccuracy(solveRate: $0)))" }
        let given = plan.recommendation.pairAccuracies.prefix(r.judgeAccuracies.count).map(formatNumber)
        return iterationsTable(r.iterations) + "\n\n"
            + keyValueTable(
                [
                    ("expected accuracy", formatNumber(r.accuracy)),
                    ("judge on a task of rate p", curve.joined(separator: ", ")),
                    (
                        "judge accuracy per iteration",
                        "\(r.judgeAccuracies.map(formatNumber).joined(separator: ", ")) (given \(given.joined(separator: ", ")))"
                    ),
                ], format: format)
    }

    func iterationsTable(_ iterations: [IterationQuality]) -> String {
        let n = plan.recommendation.pipeline.configuration.rollouts
        let tasks = Double(plan.tasks)
        return table(
            header: ["iteration", "pass@1", "pass@N", "priors' pass@1", "tasks at 0/\(n)", "tasks at \(n)/\(n)"],
            rows: iterations.enumerated().map { t, quality in
                [
                    String(t), formatNumber(quality.passAt1), formatNumber(quality.passAtN),
                    quality.priorsPassAt1.map(formatNumber) ?? "—",
                    String(format: "%.1f", tasks * quality.passingDistribution[0]),
                    String(format: "%.1f", tasks * quality.passingDistribution[n]),
                ]
            }, format: format)
    }

    var curveTable: String {
        table(
            header: ["budget (\(unitName))", "accuracy", "configuration"],
            rows: plan.curve.map {
                [money($0.budget), formatNumber($0.accuracy), $0.pipeline.specification]
            }, format: format)
    }

    var sensitivityTable: String {
        table(
            header: ["alpha+beta", "best configuration", "its accuracy", "recommended's accuracy"],
            rows: plan.sensitivity.map {
                [
                    formatNumber($0.concentration), $0.best?.specification ?? "none",
                    $0.bestAccuracy.map(formatNumber) ?? "-",
                    formatNumber($0.recommendedAccuracy),
                ]
            }, format: format)
    }
}
