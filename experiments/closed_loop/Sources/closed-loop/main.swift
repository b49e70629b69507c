// closed-loop [OUT_MARKDOWN] [REPETITIONS]: for easy and hard, REPETITIONS (default 5) times with
// independent sweep seeds: simulate → fit the frontier (200 bootstrap resamples) → plan at 4× the
// swept budget as `plan train` does → simulate the plan and its neighbours {n/4…4n} ×
// {B_p/4, B_p, 4B_p} with 5 seeds → regret, and whether the truth's n* lies inside the plan's
// 95% interval. A repetition passes with regret ≤ 1% or the truth inside the interval.
import Domain
import Foundation
import RLSim
import RunStore
import Workflows

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closed-loop-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let repetitions = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 5 : 5
var report = """
    | difficulty | repetition | law (L, k, log10 C0, b) | identified | plan at 4e7: n / B_p / M | n* interval | \
    truth's n* | regret | passes |
    |---|---|---|---|---|---|---|---|---|

    """
var summary = "\n"
for (difficulty, size) in [(Difficulty.easy, 6000), (.hard, 5000)] {
    var passes = 0
    for repetition in 0..<repetitions {
        var request = ClosedLoopRequest()
        request.difficulty = difficulty
        request.trainSize = size
        request.repetition = repetition
        let store = try Store(
            path: directory.appendingPathComponent("\(difficulty.rawValue)-\(repetition).sqlite").path)
        let result = try ClosedLoopWorkflow.run(request, store: store)
        if result.passes { passes += 1 }
        let interval = result.plan.optimalRolloutsInterval.map { String(format: "%.0f–%.0f", $0[0], $0[1]) } ?? "none"
        report += String(
            format: "| %@ | %d | %@ | %@ | %d / %d / %d | %@ | %d | %.2f%% | %@ |\n",
            difficulty.rawValue, repetition,
            result.lawParameters.map { String(format: "%.2f", $0) }.joined(separator: ", "),
            result.lawIdentified ? "yes" : "no (fallback)", result.plan.rolloutsPerProblem,
            result.plan.problemsPerBatch, result.plan.steps, interval, result.trueOptimalRollouts,
            100 * result.relativeRegret, result.passes ? "yes" : "no")
        FileHandle.standardError.write(
            Data("\(difficulty.rawValue) #\(repetition): \(String(format: "%.1f", result.seconds)) s\n".utf8))
    }
    summary += "\(difficulty.rawValue): \(passes) of \(repetitions) repetitions pass.\n"
}
let text = report + summary
print(text)
if CommandLine.arguments.count > 1 {
    try text.write(toFile: CommandLine.arguments[1], atomically: true, encoding: .utf8)
}
