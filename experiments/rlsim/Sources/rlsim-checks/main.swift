import Domain
import Foundation
import RLSim

let args = CommandLine.arguments
let difficulty = Difficulty(rawValue: args.count > 1 ? args[1] : "easy")!
let budget = args.count > 2 ? Double(args[2])! : 1e7
let seeds = args.count > 3 ? Int(args[3])! : 1
let problems = args.count > 4 ? Int(args[4])! : (difficulty == .hard ? 5000 : 6000)
let ns = [8, 16, 32, 64, 128, 256, 512, 1024, 2048]
let configs = ns.flatMap { n in (0..<seeds).map { SimulationConfiguration(rolloutsPerProblem: n, problemsPerBatch: 32, budget: budget, seed: UInt64($0)) } }
let sim = Simulator(source: .difficulty(difficulty), trainSize: problems)
let start = Date()
let runs = try sim.run(configs) { c in Run(name: c.runName(prefix: difficulty.rawValue), source: "sim", rolloutsPerProblem: c.rolloutsPerProblem, problemsPerBatch: c.problemsPerBatch) }
print("elapsed", Date().timeIntervalSince(start))
for n in ns {
    let mine = runs.filter { $0.configuration.rolloutsPerProblem == n }
    let best = mine.map { $0.points.filter { $0.metric == .validationReward }.map(\.value).max()! }
    let base = mine[0].points.first { $0.metric == .validationReward }!.value
    let w4 = mine.map { $0.points.filter { $0.metric == .validationWorst(at: 4) }.map(\.value).max()! }
    let b4 = mine.map { $0.points.filter { $0.metric == .validationBest(at: 4) }.map(\.value).max()! }
    print(n, String(format: "base %.3f best %.4f worst4 %.4f best4 %.4f", base, best.reduce(0,+)/Double(best.count), w4.reduce(0,+)/Double(w4.count), b4.reduce(0,+)/Double(b4.count)))
}
