public import Domain
import Foundation

/// Reads per-task counts files: `task_id,trials,successes`, with the aliases public data uses
/// (`n_trials`/`n_resolved`, `attempts`/`resolved`, …) and an optional `system` column that
/// splits one file into several systems.
///
/// A task listed twice for the same system has its counts added (several evaluation rounds).
public enum SolveRateCounts {
    static let taskAliases = ["task_id", "task", "instance_id", "id", "problem"]
    static let trialAliases = ["trials", "n_trials", "attempts", "n", "samples"]
    static let successAliases = ["successes", "n_resolved", "resolved", "n_correct", "correct", "c"]
    static let systemAliases = ["system", "agent", "model"]

    /// The systems in the file, in order of first appearance.
    /// - Throws: ``ImportError`` naming the file, line and field.
    public static func read(_ path: String) throws(ImportError) -> [SolveRates] {
        try parse(CSVTable(contentsOf: path))
    }

    public static func parse(_ table: CSVTable) throws(ImportError) -> [SolveRates] {
        func column(_ aliases: [String], required: Bool) throws(ImportError) -> Int? {
            for alias in aliases { if let index = try? table.columnIndex(alias) { return index } }
            if required {
                throw .missingColumn(file: table.file, column: aliases.joined(separator: "|"), available: table.header)
            }
            return nil
        }
        let taskColumn = try column(taskAliases, required: true)!
        let trialColumn = try column(trialAliases, required: true)!
        let successColumn = try column(successAliases, required: true)!
        let systemColumn = try column(systemAliases, required: false)
        var tally = OutcomeTally()
        for row in table.rows {
            let field = { (i: Int) in row.fields[i].trimmingCharacters(in: .whitespaces) }
            guard let trials = Int(field(trialColumn)), let successes = Int(field(successColumn)) else {
                throw .malformed(
                    file: table.file, line: row.line,
                    reason:
                        "trials and successes must be whole numbers (found \"\(field(trialColumn))\", \"\(field(successColumn))\")"
                )
            }
            guard trials >= 1, successes >= 0, successes <= trials else {
                throw .malformed(
                    file: table.file, line: row.line,
                    reason: "need 0 ≤ successes ≤ trials and trials ≥ 1 (found \(successes) of \(trials))")
            }
            let task = field(taskColumn)
            guard !task.isEmpty else { throw .malformed(file: table.file, line: row.line, reason: "empty task id") }
            tally.add(system: systemColumn.map(field), task: task, trials: trials, successes: successes)
        }
        guard !tally.isEmpty else { throw .malformed(file: table.file, line: 2, reason: "no tasks") }
        return tally.solveRates
    }
}
