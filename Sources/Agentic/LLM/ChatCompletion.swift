import Foundation

/// A chat-completions request with the executor's identity of it.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [Message]
    public var maxTokens: Int
    public var temperature: Double
    /// The logical call id (task, iteration, stage, round, group, vote, attempt, purpose): the key
    /// responses are cached under, sent as the `X-Isoplan-Call-Id` header.
    public var callID: String
    /// `summary`, `vote`, `tie-break` or `re-ask`; sent as `X-Isoplan-Purpose`.
    public var purpose: String

    public struct Message: Sendable, Hashable, Codable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    public init(messages: [Message], maxTokens: Int, temperature: Double, callID: String, purpose: String) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.callID = callID
        self.purpose = purpose
    }
}

/// A completed chat call.
public struct ChatResponse: Sendable, Hashable {
    public var text: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Seconds from the first send to the answer, retries included.
    public var latency: Double
    /// HTTP attempts it took.
    public var attempts: Int

    public init(text: String, promptTokens: Int, completionTokens: Int, latency: Double, attempts: Int) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.attempts = attempts
    }
}

/// Something that answers chat requests: the OpenAI-compatible HTTP client, or a test double at
/// the same boundary.
public protocol LLMClient: Sendable {
    /// The model name requests are sent for.
    var model: String { get }
    /// The request body as sent (its hash identifies the request).
    func body(of request: ChatRequest) -> String
    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatResponse
}

/// Why an LLM call failed after its retries.
public enum LLMError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The endpoint could not be reached or kept failing (status or transport error) after every retry.
    case unavailable(endpoint: String, detail: String)
    /// The endpoint refused the request (4xx other than 429): retrying cannot help.
    case rejected(endpoint: String, status: Int, detail: String)
    /// The API key's environment variable is not set.
    case missingKey(variable: String)
    /// A proxy variable (`https_proxy`, `http_proxy`) names a proxy the client cannot use.
    case invalidProxy(variable: String, detail: String)
    /// The spend cap is reached: no new call is sent.
    case budgetExhausted(spent: Double, cap: Double, unit: String)

    public var description: String {
        switch self {
        case .unavailable(let endpoint, let detail): "\(endpoint): unavailable after retries (\(detail))"
        case .rejected(let endpoint, let status, let detail): "\(endpoint): HTTP \(status) (\(detail))"
        case .missingKey(let variable):
            "the API key variable \(variable) is not set (export it, or name another with --api-key-env)"
        case .invalidProxy(let variable, let detail): "\(variable): \(detail)"
        case .budgetExhausted(let spent, let cap, let unit):
            String(
                format: "budget cap reached: %.4g of %.4g %@ spent; rerun with a higher cap to resume", spent, cap, unit
            )
        }
    }
}
