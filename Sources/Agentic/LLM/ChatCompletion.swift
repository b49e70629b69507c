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
    /// The JSON schema a machine-read answer must follow, asked for through structured output
    /// when the endpoint supports it (``AnswerFormat``); `nil` for free text.
    public var answerSchema: AnswerSchema?

    public struct Message: Sendable, Hashable, Codable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    public init(
        messages: [Message], maxTokens: Int, temperature: Double, callID: String, purpose: String,
        answerSchema: AnswerSchema? = nil
    ) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.callID = callID
        self.purpose = purpose
        self.answerSchema = answerSchema
    }
}

/// A named JSON schema for a structured answer (its text: one JSON object, keys sorted).
public struct AnswerSchema: Sendable, Hashable {
    public var name: String
    public var schemaJSON: String

    public init(name: String, schemaJSON: String) {
        self.name = name
        self.schemaJSON = schemaJSON
    }

    /// `{"choice": k}` with k an integer in 1…`candidates`: a judge's pick. The range is an
    /// `enum`, not `minimum`/`maximum`: grammar-based servers (llama.cpp) enforce `enum` but let
    /// bounds through, and an out-of-range pick is an unparsable answer.
    public static func choice(candidates: Int) -> AnswerSchema {
        let values = (1...max(1, candidates)).map(String.init).joined(separator: ",")
        return AnswerSchema(
            name: "judge_choice",
            schemaJSON:
                #"{"additionalProperties":false,"properties":{"choice":{"enum":[\#(values)],"type":"integer"}},"required":["choice"],"type":"object"}"#
        )
    }
}

/// How a structured answer is asked for.
public enum AnswerFormat: String, Sendable, Codable, CaseIterable {
    /// OpenAI's `response_format: {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`
    /// (OpenAI, vLLM, llama.cpp's own server).
    case jsonSchema = "json-schema"
    /// `response_format: {"type": "json_object", "schema": …}`, the form llama-cpp-python's server
    /// accepts (it refuses the one above with a validation error).
    case jsonObject = "json-object"
    /// No `response_format`: the prompt's `<choice>k</choice>` tag protocol alone.
    case tags
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
    /// How a structured answer was asked for (`nil` for free text).
    public var answerFormat: AnswerFormat?

    public init(
        text: String, promptTokens: Int, completionTokens: Int, latency: Double, attempts: Int,
        answerFormat: AnswerFormat? = nil
    ) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.attempts = attempts
        self.answerFormat = answerFormat
    }
}

/// Something that answers chat requests: the OpenAI-compatible HTTP client, or a test double at
/// the same boundary.
public protocol LLMClient: Sendable {
    /// The model name requests are sent for.
    var model: String { get }
    /// The request's identity (its hash is what a stored call is checked against): the body as
    /// sent, with a structured answer's schema in place of the endpoint-specific way of asking.
    func body(of request: ChatRequest) -> String
    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatResponse
    /// How this client has been asking for structured answers, once it knows (`nil` before the
    /// first structured call, or when it never asks).
    var answerFormat: AnswerFormat? { get }
}

extension LLMClient {
    public var answerFormat: AnswerFormat? { nil }
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
