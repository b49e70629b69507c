// closed-loop [OUT_MARKDOWN]: simulate → fit → plan at 4× the fitted budget → simulate the plan and
// its neighbours {n/4…4n} × {B_p/4, B_p, 4B_p} with 5 seeds → regret, for easy and hard.
import Domain
import Foundation
import RLSim
import RunStore
import Workflows

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closed-loop-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
var report =
    "| difficulty | law (L, k, log10 C0, b) | plan at 4e7: n / B_p / M | plan's best val | best alternative | regret (relative) | spread across alternatives |\n|---|---|---|---|---|---|---|\n"
var tables = ""
for (difficulty, size) in [(Difficulty.easy, 6000), (.hard, 5000)] {
    var request = ClosedLoopRequest()
    request.difficulty = difficulty
    request.trainSize = size
    let store = try Store(path: directory.appendingPathComponent("\(difficulty.rawValue).sqlite").path)
    let result = try ClosedLoopWorkflow.run(request, store: store)
    let best = result.alternatives.max { $0.bestValidationReward < $1.bestValidationReward }!
    let plan = result.alternatives.first { $0.isPlan }!
    report += String(
        format: "| %@ | %@ | %d / %d / %d | %.4f | n %d, B_p %d: %.4f | %.4f (%.2f%%) | %.1f%% |\n",
        difficulty.rawValue, result.lawParameters.map { String(format: "%.2f", $0) }.joined(separator: ", "),
        result.plan.rolloutsPerProblem, result.plan.problemsPerBatch, result.plan.steps, plan.bestValidationReward,
        best.rolloutsPerProblem, best.problemsPerBatch, best.bestValidationReward, result.regret,
        100 * result.relativeRegret, 100 * result.spread)
    tables +=
        "\n\(difficulty.rawValue) alternatives (seed mean of the best val_reward at 4e7, 5 seeds; infeasible: \(result.infeasible.isEmpty ? "none" : result.infeasible.joined(separator: ", "))):\n\n| n | B_p | best val |\n|---|---|---|\n"
    for a in result.alternatives {
        tables += String(
            format: "| %d | %d | %.4f%@ |\n", a.rolloutsPerProblem, a.problemsPerBatch, a.bestValidationReward,
            a.isPlan ? " (plan)" : "")
    }
    FileHandle.standardError.write(Data("\(difficulty.rawValue): \(String(format: "%.1f", result.seconds)) s\n".utf8))
}
let text = report + tables
print(text)
if CommandLine.arguments.count > 1 {
    try text.write(toFile: CommandLine.arguments[1], atomically: true, encoding: .utf8)
}
