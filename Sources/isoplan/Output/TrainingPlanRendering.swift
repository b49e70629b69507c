import Domain
import Foundation

/// The plan's table, its cost arithmetic, the zero-advantage table, its rationale and warnings.
func trainingPlanSummary(_ plan: Plan, format: OutputFormat) -> String {
    let interval =
        plan.optimalRolloutsInterval.map {
            " (95% interval \(formatNumber($0[0]))–\(formatNumber($0[1])); widened when extrapolated)"
        } ?? ""
    let expected =
        plan.expectedReward.map {
            formatNumber($0)
                + (plan.expectedRewardExtrapolated == true ? " (extrapolated beyond the curve's data)" : "")
        } ?? "no fitted curve for this n"
    var rows = [
        ("n (rollouts per problem)", String(plan.rolloutsPerProblem)),
        ("B_p (problems per batch)", String(plan.problemsPerBatch)),
        ("M (steps)", String(plan.steps)), ("batch B = B_p·n", String(plan.batch)),
        ("learning rate", String(format: "%.3g", plan.learningRate)),
        ("n* (unrounded)", formatNumber(plan.optimalRollouts) + interval),
        ("expected val_reward", expected),
        ("law", plan.lawSource),
    ]
    if let zero = plan.zeroAdvantage?.atPlan {
        rows.append(
            (
                "zero-advantage groups",
                String(format: "%.1f%%", 100 * zero.fraction) + " (informative per batch "
                    + formatNumber(zero.informativeGroups) + " of \(plan.problemsPerBatch))"
            ))
    }
    rows += [
        ("recipe", plan.recipe.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
        ("stored as plan", plan.id.map(String.init) ?? "-"),
    ]
    var sections = [keyValueTable(rows, format: format)]
    if let cost = plan.cost {
        let arithmetic = costArithmetic(plan, cost)
        sections += ["", format.isMarkdown ? "```\n" + arithmetic + "\n```" : arithmetic]
    }
    if let zero = plan.zeroAdvantage { sections += ["", zeroAdvantageTable(zero, format: format)] }
    return (sections + ["", plan.rationale] + plan.warnings.map { "warning: \($0)" }).joined(separator: "\n")
}

/// Steps, epochs, time, GPU-hours and dollars, each with its arithmetic.
func costArithmetic(_ plan: Plan, _ cost: PlanCost) -> String {
    let model = cost.throughput
    let perStep =
        model.origin == .given
        ? "t = B/(G·rate) = \(plan.batch)/(\(cost.gpus)·\(formatNumber(1 / model.generationGPUSecondsPerToken)))"
        : "t = B·(g·T_r + u·(T_p + T_r))/G + o = \(plan.batch)·(\(formatNumber(model.generationGPUSecondsPerToken))·"
            + "\(formatNumber(cost.responseTokens)) + \(formatNumber(model.updateGPUSecondsPerToken))·"
            + "\(formatNumber(model.promptTokens + cost.responseTokens)))/\(cost.gpus) + \(formatNumber(model.overheadSeconds))"
    let generation = cost.generationSecondsPerStep.map { " (generation \(formatNumber($0)) s)" } ?? ""
    var lines = [
        "cost on \(cost.gpus) GPUs (throughput: \(model.source)):",
        "  seconds per step  \(perStep) = \(formatNumber(cost.secondsPerStep)) s" + generation,
        "  rollouts          M·B = \(plan.steps)·\(plan.batch) = \(formatNumber(cost.rollouts))",
        "  wall clock        M·t = \(plan.steps)·\(formatNumber(cost.secondsPerStep)) s = \(formatNumber(cost.wallClockHours)) h",
        "  GPU-hours         G·M·t = \(formatNumber(cost.gpuHours))",
    ]
    if let epochs = cost.epochs, let problems = plan.problems {
        lines.append("  epochs            ⌈M·B_p/D⌉ = ⌈\(plan.steps)·\(plan.problemsPerBatch)/\(problems)⌉ = \(epochs)")
    }
    if let usd = cost.usd, let price = cost.usdPerGPUHour {
        lines.append(
            "  dollars           \(formatNumber(cost.gpuHours)) GPU-h · $\(formatNumber(price)) = $\(formatNumber(usd))"
        )
    }
    if plan.unit.isClusterTime {
        lines.append(
            "  budget            \(formatNumber(plan.budget)) \(plan.unit.rawValue): the plan of the largest rollout budget found within it"
        )
    }
    return lines.joined(separator: "\n")
}

/// Zero-advantage groups across n: the fraction, informative groups per batch and the
/// dynamic-sampling over-sampling.
func zeroAdvantageTable(_ zero: ZeroAdvantageTable, format: OutputFormat) -> String {
    let title =
        "zero-advantage groups over \(zero.population) (mean pass rate \(formatNumber(zero.meanPassRate)), B_p = \(zero.problemsPerBatch)):"
    let rows = zero.rows.map { row in
        [
            String(row.rolloutsPerProblem), String(format: "%.3f", row.fraction), formatNumber(row.informativeGroups),
            row.oversampling.map { String(format: "%.2f", $0) } ?? "unbounded",
            row.oversampling95.map { String(format: "%.2f", $0) } ?? "unbounded",
        ]
    }
    return title + (format.isMarkdown ? "\n\n" : "\n")
        + table(
            header: ["n", "zero-adv fraction", "informative groups", "over-sampling", "over-sampling (95%)"],
            rows: rows,
            format: format)
}
