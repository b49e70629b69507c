public import Domain
import GRDB

/// Votes and correct votes summed over mixed groups.
public struct JudgeVoteTotals: Codable, Hashable, Sendable {
    public var groups: Int
    public var votes: Int
    public var correctVotes: Int
    /// The measured per-vote accuracy, `correctVotes / votes` (nil without votes).
    public var voteAccuracy: Double? { votes > 0 ? Double(correctVotes) / Double(votes) : nil }
}

extension Store {
    /// Saves judge tallies, all or nothing (one transaction; every tally validated first).
    public func insert(_ tallies: [JudgeTally]) throws(StoreError) {
        for tally in tallies {
            do throws(DomainError) { try tally.validate() } catch {
                throw .invalidValue(path: path, detail: "judge tally of \(tally.taskID): \(error)")
            }
        }
        try write { db in
            for tally in tallies {
                var record = JudgeTallyRecord(tally)
                try record.insert(db)
            }
        }
    }

    /// Replaces every tally of `label` by `tallies` (an evaluation rerun), in one transaction.
    public func replaceJudgeTallies(label: String, with tallies: [JudgeTally]) throws(StoreError) {
        for tally in tallies {
            do throws(DomainError) { try tally.validate() } catch {
                throw .invalidValue(path: path, detail: "judge tally of \(tally.taskID): \(error)")
            }
        }
        try write { db in
            try db.execute(sql: "DELETE FROM judgeTally WHERE label = ?", arguments: [label])
            for tally in tallies {
                var record = JudgeTallyRecord(tally)
                try record.insert(db)
            }
        }
    }

    /// Totals over the mixed groups (the only ones that measure the judge), of one label or all,
    /// of one PDR iteration or all.
    public func judgeVoteTotals(label: String? = nil, iteration: Int? = nil) throws(StoreError) -> JudgeVoteTotals {
        try read { db in
            var sql =
                "SELECT COUNT(*), COALESCE(SUM(votes), 0), COALESCE(SUM(correctVotes), 0) FROM judgeTally WHERE passing > 0 AND passing < groupSize"
            var arguments: StatementArguments = []
            if let label {
                sql += " AND label = ?"
                arguments += [label]
            }
            if let iteration {
                sql += " AND iteration = ?"
                arguments += [iteration]
            }
            let row = try Row.fetchOne(db, sql: sql, arguments: arguments)!
            return JudgeVoteTotals(groups: row[0], votes: row[1], correctVotes: row[2])
        }
    }
}
