import Domain
import GRDB

/// A row of `llmCall`. Internal: the store speaks `Domain.LLMCallLog`.
struct LLMCallRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "llmCall"

    var id: Int64?
    var label: String
    var callID: String
    var purpose: String
    var requestHash: String
    var model: String
    var response: String
    var promptTokens: Int
    var completionTokens: Int
    var latency: Double
    var attempts: Int

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let label = Column(CodingKeys.label)
        static let callID = Column(CodingKeys.callID)
        static let promptTokens = Column(CodingKeys.promptTokens)
        static let completionTokens = Column(CodingKeys.completionTokens)
    }

    init(_ call: LLMCallLog, label: String) {
        self.label = label
        (callID, purpose, requestHash) = (call.callID, call.purpose, call.requestHash)
        (model, response) = (call.model, call.response)
        (promptTokens, completionTokens) = (call.promptTokens, call.completionTokens)
        (latency, attempts) = (call.latency, call.attempts)
    }

    var call: LLMCallLog {
        LLMCallLog(
            callID: callID, purpose: purpose, requestHash: requestHash, model: model, response: response,
            promptTokens: promptTokens, completionTokens: completionTokens, latency: latency, attempts: attempts)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
