import Domain
import GRDB

/// A row of `selection`. Internal: the store speaks `Domain.TournamentDecision`; candidates,
/// chosen and tally are JSON text, kind and stage their raw values.
struct SelectionRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "selection"

    var id: Int64?
    var taskId: Int64
    var kind: String
    var stage: String
    var iteration: Int
    var round: Int?
    var groupIndex: Int?
    var candidates: String
    var chosen: String
    var method: String
    var tally: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let taskId = Column(CodingKeys.taskId)
    }

    init(_ decision: TournamentDecision, taskRow: Int64) throws {
        taskId = taskRow
        (kind, stage) = (decision.kind.rawValue, decision.stage.rawValue)
        (iteration, round, groupIndex, method) = (decision.iteration, decision.round, decision.group, decision.method)
        candidates = try storedJSON(decision.candidates)
        chosen = try storedJSON(decision.chosen)
        tally = try storedJSON(decision.tally)
    }

    /// The stored decision.
    /// - Throws: ``MalformedRow`` for an unknown kind or stage, or candidates, chosen or tally
    ///   that are not the JSON they should be.
    func decision() throws -> TournamentDecision {
        let text = StoredText(table: Self.databaseTableName, row: id)
        return TournamentDecision(
            kind: try text.value(kind, column: "kind"), stage: try text.value(stage, column: "stage"),
            iteration: iteration, round: round, group: groupIndex,
            candidates: try text.json(candidates, column: "candidates"),
            chosen: try text.json(chosen, column: "chosen"), method: method,
            tally: try text.json(tally, column: "tally"))
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
