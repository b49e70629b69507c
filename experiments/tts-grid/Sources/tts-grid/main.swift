// tts-grid: analytic vs Monte Carlo over the whole grid of issue 6.
//
//   tts-grid COUNTS_CSV OUT_DIR [TASKS_PER_CELL]
//
// RTV: shapes {7 Terminal-Bench Beta-binomial fits, a point-mass mixture} × N ∈ {2, 3, 8, 16, 17}
// × G ∈ {2, 4} × V ∈ {1, 2, 8} × a ∈ {0.5, 0.66, 0.9, 1} (960 cells). PDR: the same shapes ×
// N ∈ {8, 16} × K ∈ {2, 4} × T = 2 × {select, random} × a ∈ {0.66, 0.9}, G = 2, V = 8 (128 cells).
// Each cell simulates TASKS_PER_CELL tasks (default 10⁶) and passes when
// |analytic − MC| ≤ max(0.5 points, 4 SE). Writes OUT_DIR/tts-grid.csv and prints a summary.
import Domain
import Foundation
import Ingest
import Planner

let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write(Data("usage: tts-grid COUNTS_CSV OUT_DIR [TASKS_PER_CELL]\n".utf8))
    exit(64)
}
let tasks = args.count > 3 ? Int(args[3])! : 1_000_000
let systems = try SolveRateCounts.read(args[1])
var shapes: [(String, SolveRateModel)] = try systems.map { ($0.system ?? "?", try SolveRateFitter.fit($0)) }
shapes.append(("mixture:" + (systems[5].system ?? "?"), try SolveRateFitter.fit(systems[5], kind: .mixture)))

struct Cell: Sendable {
    let shape: Int
    let pipeline: TestTimePipeline
    let voteAccuracy: Double
}
var cells: [Cell] = []
for s in shapes.indices {
    for n in [2, 3, 8, 16, 17] {
        for g in [2, 4] {
            for v in [1, 2, 8] {
                for a in [0.5, 0.66, 0.9, 1] {
                    cells.append(
                        Cell(
                            shape: s,
                            pipeline: TestTimePipeline(
                                configuration: PipelineConfiguration(rollouts: n, groupSize: g, votes: v)),
                            voteAccuracy: a))
                }
            }
        }
    }
    for n in [8, 16] {
        for k in [2, 4] {
            for selection in [PriorSelection.select, .random] {
                for a in [0.66, 0.9] {
                    cells.append(
                        Cell(
                            shape: s,
                            pipeline: TestTimePipeline(
                                configuration: PipelineConfiguration(
                                    rollouts: n, groupSize: 2, votes: 8, priors: k, iterations: 2), selection: selection
                            ),
                            voteAccuracy: a))
                }
            }
        }
    }
}

struct Row: Sendable {
    let analytic: Double
    let mean: Double
    let se: Double
}
final class Rows: @unchecked Sendable {
    var values: [Row?]
    let lock = NSLock()
    var done = 0
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
}
let rows = Rows(cells.count)
let start = Date()
let allCells = cells
let allShapes = shapes.map(\.1)
DispatchQueue.concurrentPerform(iterations: allCells.count) { i in
    let cell = allCells[i]
    let judge = JudgeModel(voteAccuracy: cell.voteAccuracy)
    let model = allShapes[cell.shape]
    let analytic = PipelineModel(judge: judge).expectedAccuracy(model: model, pipeline: cell.pipeline)
    let mc = PipelineSimulator(judge: judge).simulate(
        model: model, pipeline: cell.pipeline, tasks: tasks, seed: UInt64(i))
    rows.lock.lock()
    rows.values[i] = Row(analytic: analytic, mean: mc.mean, se: mc.standardError)
    rows.done += 1
    if rows.done % 64 == 0 {
        FileHandle.standardError.write(
            Data("\(rows.done)/\(allCells.count) cells, \(Int(Date().timeIntervalSince(start))) s\n".utf8))
    }
    rows.lock.unlock()
}
let elapsed = Date().timeIntervalSince(start)

var csv = "shape,N,G,V,K,T,selection,a,analytic,monte_carlo,se,diff_points,pass\n"
var summary: [String: (cells: Int, passed: Int, maxDiff: Double, maxZ: Double)] = [:]
for (cell, row) in zip(cells, rows.values.map { $0! }) {
    let c = cell.pipeline.configuration
    let diff = row.analytic - row.mean
    let pass = abs(diff) <= max(0.005, 4 * row.se)
    let kind = c.iterations > 1 ? "PDR" : "RTV"
    csv +=
        "\(shapes[cell.shape].0),\(c.rollouts),\(c.groupSize),\(c.votes),\(c.iterations > 1 ? String(c.priors) : ""),\(c.iterations),"
        + "\(c.iterations > 1 ? cell.pipeline.selection.rawValue : ""),\(cell.voteAccuracy),\(row.analytic),\(row.mean),\(row.se),"
        + "\(100 * diff),\(pass)\n"
    for key in [kind, "\(kind) \(shapes[cell.shape].0)"] {
        var s = summary[key] ?? (0, 0, 0, 0)
        s.cells += 1
        s.passed += pass ? 1 : 0
        s.maxDiff = max(s.maxDiff, abs(100 * diff))
        s.maxZ = max(s.maxZ, row.se > 0 ? abs(diff) / row.se : 0)
        summary[key] = s
    }
}
try csv.write(toFile: (args[2] as NSString).appendingPathComponent("tts-grid.csv"), atomically: true, encoding: .utf8)
print("| cells | passed | max abs diff (points) | max abs diff / SE |")
print("|---|---|---|---|")
for key in summary.keys.sorted() {
    let s = summary[key]!
    print(
        "| \(key): \(s.cells) | \(s.passed) | \(String(format: "%.3f", s.maxDiff)) | \(String(format: "%.2f", s.maxZ)) |"
    )
}
print("\(cells.count) cells × \(tasks) tasks in \(String(format: "%.0f", elapsed)) s")
