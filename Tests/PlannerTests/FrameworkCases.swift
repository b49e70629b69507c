import Domain
import Foundation
import Planner

/// One row of the framework export tables: a plan's (n, B_p) on a cluster, the train-set size
/// and budget, and the (n, B_p, micro batch) the export should land on (nil: exported as planned).
struct FrameworkCase: CustomStringConvertible, Sendable {
    var n: Int
    var bp: Int
    var gpus: Int
    var micro: Int
    var nodes = 1
    var problems: Int?
    var budget = 1e6
    var expected: (n: Int, bp: Int, micro: Int)?

    var description: String {
        "n \(n), B_p \(bp), \(gpus) GPUs/\(nodes) nodes, micro \(micro), D \(problems.map(String.init) ?? "-"), C \(budget)"
    }

    /// A plan with this row's n and B_p, M = ⌊C/(B_p·n)⌋ and the square-root learning rate.
    var plan: Plan {
        var plan = Plan(
            budget: budget, unit: .rollouts, difficulty: .easy, rolloutsPerProblem: n, problemsPerBatch: bp,
            steps: Int(budget / Double(n * bp)), learningRate: TrainingPlanner.learningRate(batch: n * bp),
            optimalRollouts: Double(n), lawSource: "test", lawParameters: [],
            recipe: ["kl": "on", "entropy_bonus": "on"], rationale: "")
        plan.problems = problems
        return plan
    }

    var shape: ClusterShape { get throws { try ClusterShape(gpus: gpus, nodes: nodes, microBatch: micro) } }

    /// The (n, B_p, micro) the export should have, worked out by hand (docs/FRAMEWORKS.md, "Adjustment").
    var landing: (n: Int, bp: Int, micro: Int) { expected ?? (n, bp, micro) }

    /// 26 rows: 11 that pass as planned, 15 that need B_p, then the micro batch, then n moved.
    static let all: [FrameworkCase] = [
        FrameworkCase(n: 256, bp: 32, gpus: 8, micro: 4),
        FrameworkCase(n: 2, bp: 32, gpus: 24, micro: 4, expected: (2, 48, 4)),  // 64 over 24 GPUs × 4
        FrameworkCase(n: 8, bp: 32, gpus: 16, micro: 4),
        FrameworkCase(n: 8, bp: 20, gpus: 16, micro: 4, expected: (8, 24, 4)),  // 16 and 24 tie: the larger
        FrameworkCase(n: 4, bp: 10, gpus: 8, micro: 4, expected: (4, 8, 4)),
        FrameworkCase(n: 16, bp: 32, gpus: 6, micro: 4, expected: (16, 33, 4)),  // B_p a multiple of 3
        FrameworkCase(n: 2, bp: 3, gpus: 4, micro: 1, expected: (2, 4, 1)),
        FrameworkCase(n: 128, bp: 32, gpus: 64, micro: 8, nodes: 8),
        FrameworkCase(n: 64, bp: 32, gpus: 3, micro: 4, expected: (64, 33, 4)),
        FrameworkCase(n: 2, bp: 32, gpus: 24, micro: 4, problems: 40, expected: (2, 24, 2)),  // 48 > D: micro halves
        FrameworkCase(n: 32, bp: 32, gpus: 8, micro: 4, problems: 1000),
        FrameworkCase(n: 4, bp: 16, gpus: 32, micro: 4, problems: 16, expected: (4, 16, 2)),
        FrameworkCase(n: 2, bp: 8, gpus: 64, micro: 1, problems: 8, expected: (8, 8, 1)),  // only n can move
        FrameworkCase(n: 16, bp: 32, gpus: 8, micro: 3, expected: (16, 33, 3)),
        FrameworkCase(n: 8, bp: 32, gpus: 8, micro: 16),
        FrameworkCase(n: 8, bp: 4, gpus: 8, micro: 16, expected: (8, 16, 16)),
        FrameworkCase(n: 512, bp: 16, gpus: 8, micro: 4),
        FrameworkCase(n: 4, bp: 100, gpus: 7, micro: 2, expected: (4, 98, 2)),
        FrameworkCase(n: 32, bp: 64, gpus: 128, micro: 4, nodes: 16),
        FrameworkCase(n: 2, bp: 1, gpus: 8, micro: 4, expected: (2, 16, 4)),
        FrameworkCase(n: 64, bp: 32, gpus: 24, micro: 4, nodes: 3, expected: (64, 33, 4)),
        FrameworkCase(n: 8, bp: 48, gpus: 12, micro: 4, nodes: 2, problems: 500),
        FrameworkCase(n: 128, bp: 32, gpus: 8, micro: 4, problems: 100),
        FrameworkCase(n: 4, bp: 30, gpus: 16, micro: 8, problems: 30, expected: (4, 16, 4)),
        FrameworkCase(n: 256, bp: 32, gpus: 1, micro: 1),
        FrameworkCase(n: 2, bp: 32, gpus: 24, micro: 4, budget: 70, expected: (2, 24, 2)),  // 96 > C: micro halves
    ]
}

/// The rendered settings read back as key → value, without trusting the exporter's entries.
enum RenderedSettings {
    /// verl: `key=value` overrides before the first `#` line.
    static func verl(_ text: String) -> [String: String] {
        pairs(settingLines(text).map { $0.replacingOccurrences(of: " \\", with: "") }, separator: "=")
    }

    /// TRL: the `key=value,` lines inside `GRPOConfig(` … `)`.
    static func trl(_ text: String) -> [String: String] {
        let lines = settingLines(text).filter { $0.hasSuffix(",") }.map { String($0.dropLast()) }
        return pairs(lines, separator: "=")
    }

    /// OpenRLHF: `--key value` pairs (a flag without a value is `true`).
    static func openrlhf(_ text: String) -> [String: String] {
        let words = settingLines(text).joined(separator: " ").split(separator: " ").map(String.init).filter {
            $0 != "\\"
        }
        var result: [String: String] = [:]
        for (index, word) in words.enumerated() where word.hasPrefix("--") {
            let next = words.indices.contains(index + 1) ? words[index + 1] : "--"
            result[String(word.dropFirst(2))] = next.hasPrefix("--") ? "true" : next
        }
        return result
    }

    static func settingLines(_ text: String) -> [String] {
        let lines: [String] = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        return Array(lines.prefix(while: { !$0.hasPrefix("#") }))
    }

    static func pairs(_ lines: [String], separator: Character) -> [String: String] {
        Dictionary(
            lines.compactMap { line in
                line.firstIndex(of: separator).map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
            }, uniquingKeysWith: { _, last in last })
    }
}

extension Dictionary where Key == String, Value == String {
    /// The integer at `key`, or −1 when missing or not an integer (so arithmetic on it fails loudly).
    func int(_ key: String) -> Int { self[key].flatMap { Int($0) } ?? -1 }
}
