public import Domain
import Foundation
import GRDB

/// A row of `plan`: the searchable fields as columns, the whole plan as JSON.
struct PlanRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "plan"
    var id: Int64?
    var budget: Double
    var unit: String
    var difficulty: String
    var rolloutsPerProblem: Int
    var problemsPerBatch: Int
    var steps: Int
    var learningRate: Double
    var lawSource: String
    var details: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Store {
    /// Saves a plan and returns it with its id.
    @discardableResult
    public func insert(_ plan: Plan) throws(StoreError) -> Plan {
        guard plan.rolloutsPerProblem >= 1, plan.problemsPerBatch >= 1, plan.steps >= 1, plan.learningRate > 0 else {
            throw .invalidValue(
                path: path,
                detail: "plan with n = \(plan.rolloutsPerProblem), B_p = \(plan.problemsPerBatch), M = \(plan.steps)")
        }
        let details: String
        do { details = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self) } catch {
            throw .invalidValue(path: path, detail: "plan: \(error)")
        }
        return try write { db in
            var record = PlanRecord(
                id: nil, budget: plan.budget, unit: plan.unit.rawValue, difficulty: plan.difficulty.rawValue,
                rolloutsPerProblem: plan.rolloutsPerProblem, problemsPerBatch: plan.problemsPerBatch,
                steps: plan.steps, learningRate: plan.learningRate, lawSource: plan.lawSource, details: details)
            try record.insert(db)
            var stored = plan
            stored.id = record.id
            return stored
        }
    }

    /// Stored plans, newest first.
    public func plans() throws(StoreError) -> [Plan] {
        try read { db in
            try PlanRecord.order(Column("id").desc).fetchAll(db).map { record in
                let stored = StoredText(table: PlanRecord.databaseTableName, row: record.id)
                var plan = try stored.json(record.details, column: "details", as: Plan.self)
                plan.id = record.id
                return plan
            }
        }
    }
}
