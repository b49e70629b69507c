import Domain
import Foundation
import RunStore
import Synchronization

/// Prices and a hard cap for an execution's LLM spend.
public struct SpendLimit: Sendable {
    /// USD per input and per output token.
    public var priceIn: Double
    public var priceOut: Double
    /// Stop sending new calls once committed spend reaches this (USD); `nil`: no cap.
    public var capUSD: Double?
    /// Or cap total tokens (prompt + completion); `nil`: no cap.
    public var capTokens: Int?

    public init(priceIn: Double = 0, priceOut: Double = 0, capUSD: Double? = nil, capTokens: Int? = nil) {
        self.priceIn = priceIn
        self.priceOut = priceOut
        self.capUSD = capUSD
        self.capTokens = capTokens
    }
}

/// Live counters of an execution, for progress and the final report.
public struct ExecutionCounters: Sendable, Codable, Equatable {
    public var sent = 0
    /// Calls answered from the store (committed by an earlier run).
    public var cached = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var dollars = 0.0
    /// Rollouts summarised or judged (given ones and agent runs).
    public var rollouts = 0
    /// Agent command runs started by this run.
    public var agentRuns = 0
    public var tasksDone = 0
}

/// The LLM as the executor uses it: every response is committed (with usage and latency) under its
/// logical call id before it is used, a committed call is never sent again, and no new call starts
/// once the spend cap is reached.
final class CachedLLM: Sendable {
    let client: any LLMClient
    let store: Store
    let label: String
    let limit: SpendLimit
    let counters: Mutex<ExecutionCounters>
    let onChange: @Sendable (ExecutionCounters) -> Void
    /// Calls past the cache, at most `sendSlots` at once: the cap is checked after taking a slot,
    /// so it is overshot by at most the calls already in flight.
    let gate: AsyncSemaphore

    init(
        client: any LLMClient, store: Store, label: String, limit: SpendLimit, sendSlots: Int,
        onChange: @escaping @Sendable (ExecutionCounters) -> Void
    ) throws(StoreError) {
        self.client = client
        gate = AsyncSemaphore(permits: max(1, sendSlots))
        self.store = store
        self.label = label
        self.limit = limit
        self.onChange = onChange
        let used = try store.llmUsage(label: label)
        var start = ExecutionCounters()
        start.promptTokens = used.promptTokens
        start.completionTokens = used.completionTokens
        start.dollars = Double(used.promptTokens) * limit.priceIn + Double(used.completionTokens) * limit.priceOut
        counters = Mutex(start)
    }

    /// The response text of `request`, from the store when committed, else from the endpoint (then committed).
    func text(for request: ChatRequest) async throws -> String {
        let hash = StableHash.hex(client.body(of: request))
        if let stored = try store.llmCall(label: label, callID: request.callID) {
            guard stored.requestHash == hash else {
                throw ExecutorError.changedRequest(callID: request.callID)
            }
            update { $0.cached += 1 }
            return stored.response
        }
        await gate.acquire()
        let response: ChatResponse
        do {
            try Task.checkCancellation()
            let (dollars, tokens) = counters.withLock { ($0.dollars, $0.promptTokens + $0.completionTokens) }
            if let cap = limit.capUSD, dollars >= cap {
                throw LLMError.budgetExhausted(spent: dollars, cap: cap, unit: "USD")
            }
            if let cap = limit.capTokens, tokens >= cap {
                throw LLMError.budgetExhausted(spent: Double(tokens), cap: Double(cap), unit: "tokens")
            }
            response = try await client.complete(request)
        } catch {
            await gate.release()
            throw error
        }
        await gate.release()
        try store.insertLLMCall(
            label: label,
            LLMCallLog(
                callID: request.callID, purpose: request.purpose, requestHash: hash, model: client.model,
                response: response.text,
                promptTokens: response.promptTokens, completionTokens: response.completionTokens,
                latency: response.latency,
                attempts: response.attempts))
        update {
            $0.sent += 1
            $0.promptTokens += response.promptTokens
            $0.completionTokens += response.completionTokens
            $0.dollars +=
                Double(response.promptTokens) * self.limit.priceIn + Double(response.completionTokens)
                * self.limit.priceOut
        }
        return response.text
    }

    func update(_ change: (inout ExecutionCounters) -> Void) {
        let now = counters.withLock { c in
            change(&c)
            return c
        }
        onChange(now)
    }
}
