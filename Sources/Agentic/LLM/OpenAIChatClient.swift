import Domain
public import Foundation
import Synchronization

/// An OpenAI-compatible chat-completions client (`POST {endpoint}/chat/completions`).
///
/// - Bounded concurrency: at most `concurrency` requests in flight.
/// - Retries with exponential backoff and full jitter on 408, 429, 5xx, timeouts, dropped
///   connections and malformed responses (a body that is not the expected JSON is a transport
///   failure, never an answer); `Retry-After` (seconds or an HTTP date) is honoured, up to two minutes.
/// - The API key is read once from the environment variable *named* by the caller and sent only
///   in the `Authorization` header: never stored, logged or put in an error message.
public struct OpenAIChatClient: LLMClient {
    public struct Options: Sendable {
        /// Per-request timeout in seconds.
        public var timeout: Double = 120
        /// HTTP attempts per call (1 = no retry).
        public var maxAttempts = 6
        public var initialBackoff: Double = 0.5
        public var maxBackoff: Double = 30
        public var concurrency = 4
        /// The ways of asking for a structured answer, tried in this order until the endpoint
        /// accepts one (a 400, a 422, or a 500 naming `response_format` moves to the next); the first
        /// accepted is kept for the client's life. One element fixes the format.
        public var answerFormats: [AnswerFormat] = AnswerFormat.allCases
        /// Waits the given seconds between attempts (a backoff or a server's `Retry-After`); tests
        /// pass one that also records the waits. Throws when the waiting task is cancelled.
        public var sleep: @Sendable (_ seconds: Double) async throws -> Void = { seconds in
            try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
        }

        public init() {}
    }

    public let endpoint: URL
    public let model: String
    let apiKey: String?
    let options: Options
    let slots: AsyncSemaphore
    let transport: HTTPTransport
    /// The answer format the endpoint accepted, once known.
    private let acceptedFormat = AcceptedFormat()

    /// `apiKeyVariable`: the environment variable holding the key (`nil`: send no key, for local servers).
    public init(
        endpoint: URL, model: String, apiKeyVariable: String?, options: Options = Options(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LLMError) {
        if let variable = apiKeyVariable {
            guard let key = environment[variable], !key.isEmpty else { throw .missingKey(variable: variable) }
            apiKey = key
        } else {
            apiKey = nil
        }
        self.endpoint = endpoint
        self.model = model
        self.options = options
        slots = AsyncSemaphore(permits: max(1, options.concurrency))
        transport = HTTPTransport(
            connections: options.concurrency, timeout: options.timeout,
            proxy: try HTTPTransport.proxy(for: endpoint, environment: environment))
    }

    var completionsURL: URL {
        endpoint.path.hasSuffix("/chat/completions")
            ? endpoint : endpoint.appendingPathComponent("chat").appendingPathComponent("completions")
    }

    public func body(of request: ChatRequest) -> String {
        body(of: request, format: nil)
    }

    public var answerFormat: AnswerFormat? { acceptedFormat.value }

    /// The answer format an endpoint accepted, shared by every copy of a client; the first
    /// acceptance wins (concurrent first calls may each have probed).
    final class AcceptedFormat: Sendable {
        private let state = Mutex<AnswerFormat?>(nil)
        var value: AnswerFormat? { state.withLock { $0 } }
        func setIfUnset(_ format: AnswerFormat) { state.withLock { if $0 == nil { $0 = format } } }
    }

    /// The JSON body: with `format` nil, the identity (a structured request's schema under
    /// `answer_schema`); otherwise the body as sent in that format. A request without a schema has
    /// one body either way (byte-identical to stores written before structured answers).
    func body(of request: ChatRequest, format: AnswerFormat?) -> String {
        struct Body: Encodable {
            var model: String
            var messages: [ChatRequest.Message]
            var temperature: Double
            var maxTokens: Int

            enum CodingKeys: String, CodingKey {
                case model, messages, temperature
                case maxTokens = "max_tokens"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data =
            (try? encoder.encode(
                Body(
                    model: model, messages: request.messages, temperature: request.temperature,
                    maxTokens: request.maxTokens))) ?? Data()
        guard let schema = request.answerSchema, format != .tags,
            var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let schemaObject = try? JSONSerialization.jsonObject(with: Data(schema.schemaJSON.utf8))
        else { return String(decoding: data, as: UTF8.self) }
        switch format {
        case nil: object["answer_schema"] = ["name": schema.name, "schema": schemaObject]
        case .jsonSchema?:
            object["response_format"] = [
                "type": "json_schema", "json_schema": ["name": schema.name, "schema": schemaObject, "strict": true],
            ]
        case .jsonObject?: object["response_format"] = ["type": "json_object", "schema": schemaObject]
        case .tags?: break
        }
        let encoded = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? data
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Sends `request`; a structured one in the accepted answer format, or — until one is
    /// accepted — in each of ``Options/answerFormats`` in turn while the endpoint refuses the
    /// format (400 or 422, or a 500 whose error names `response_format`).
    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatResponse {
        guard request.answerSchema != nil else { return try await send(request, format: nil) }
        let formats = acceptedFormat.value.map { [$0] } ?? options.answerFormats
        for (index, format) in formats.enumerated() {
            do {
                let probing = acceptedFormat.value == nil && index < formats.count - 1
                var response = try await send(request, format: format, probing: probing)
                response.answerFormat = format
                acceptedFormat.setIfUnset(format)
                return response
            } catch .rejected(let endpoint, let status, let detail) {
                guard [400, 422, 500].contains(status) && index < formats.count - 1 else {
                    throw .rejected(endpoint: endpoint, status: status, detail: detail)
                }
            }
        }
        throw .rejected(endpoint: endpoint.absoluteString, status: 400, detail: "no answer format was accepted")
    }

    /// One call with retries: the body in `format`.
    /// `probing`: the endpoint has not accepted a format yet and another remains to try, so a 500
    /// naming `response_format` is a refusal of the format rather than a transient failure.
    private func send(_ request: ChatRequest, format: AnswerFormat?, probing: Bool = false) async throws(LLMError)
        -> ChatResponse
    {
        let start = Date()
        let body = Data(body(of: request, format: format).utf8)
        var headers = [
            ("Content-Type", "application/json"), ("X-Isoplan-Call-Id", request.callID),
            ("X-Isoplan-Purpose", request.purpose),
        ]
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let (transport, url, sentHeaders) = (self.transport, completionsURL, headers)
        var lastProblem = "no attempt"
        for attempt in 1...max(1, options.maxAttempts) {
            var wait: Double? = nil
            await slots.acquire()
            let outcome: Result<HTTPTransport.Response, HTTPTransport.Failure>
            // An unstructured task: when a sibling call fails and the run is cancelled, a request
            // already sent still finishes and is committed (the spend cap's overshoot bound).
            outcome = await Task { () -> Result<HTTPTransport.Response, HTTPTransport.Failure> in
                do throws(HTTPTransport.Failure) {
                    return .success(try await transport.post(url, headers: sentHeaders, body: body))
                } catch {
                    return .failure(error)
                }
            }.value
            await slots.release()
            switch outcome {
            case .success(let http):
                if http.status == 200 {
                    if let parsed = Self.parse(http.body, requestCharacters: body.count) {
                        return ChatResponse(
                            text: parsed.text, promptTokens: parsed.prompt, completionTokens: parsed.completion,
                            latency: Date().timeIntervalSince(start), attempts: attempt)
                    }
                    lastProblem = "malformed response body"
                } else if probing && http.status == 500
                    && Self.errorMessage(http.body).localizedCaseInsensitiveContains("response_format")
                {
                    // llama-cpp-python's server answers an unknown response_format with a 500
                    // naming it: a refusal of the format, not a transient failure.
                    throw .rejected(
                        endpoint: endpoint.absoluteString, status: 500,
                        detail: scrubbed(Self.errorMessage(http.body)))
                } else if http.status == 429 || http.status == 408 || (500...599).contains(http.status) {
                    lastProblem = "HTTP \(http.status)"
                    wait = Self.retryAfter(http.retryAfter)
                } else if http.status == 401 || http.status == 403 {
                    // The server's text may quote part of the key: none of it is repeated.
                    throw .rejected(
                        endpoint: endpoint.absoluteString, status: http.status,
                        detail: "authentication failed: check the key in the variable given to --api-key-env")
                } else {
                    throw .rejected(
                        endpoint: endpoint.absoluteString, status: http.status,
                        detail: scrubbed(Self.errorMessage(http.body)))
                }
            case .failure(let error):
                lastProblem = Self.describe(error)
            }
            guard attempt < options.maxAttempts else { break }
            let backoff = min(options.maxBackoff, options.initialBackoff * pow(2, Double(attempt - 1)))
            // Full jitter; a server's Retry-After replaces it (up to two minutes).
            let delay = wait.map { min($0, max(options.maxBackoff, 120)) } ?? Double.random(in: 0...backoff)
            do {
                try await options.sleep(delay)
            } catch {
                throw .unavailable(
                    endpoint: endpoint.absoluteString, detail: "stopped while retrying after \(lastProblem)")
            }
        }
        throw .unavailable(
            endpoint: endpoint.absoluteString, detail: "\(options.maxAttempts) attempts, last: \(lastProblem)")
    }

    /// `text` without any part of the API key of eight or more characters.
    func scrubbed(_ text: String) -> String {
        guard let apiKey else { return text }
        return Self.redacting(apiKey, in: text)
    }

    /// `text` with every run of characters that also occurs in `secret` and is at least
    /// `minimumLength` long replaced by `[redacted]` (overlapping and adjacent runs become one).
    /// A server's error may quote the key cut anywhere, so every substring counts, not only the
    /// whole key or its ends. O(text × secret × match length); both are short.
    static func redacting(_ secret: String, in text: String, minimumLength: Int = 8) -> String {
        let key = Array(secret.unicodeScalars)
        let characters = Array(text.unicodeScalars)
        guard key.count >= minimumLength, characters.count >= minimumLength else { return text }
        var hidden = [Bool](repeating: false, count: characters.count)
        for start in characters.indices {
            var longest = 0
            for offset in key.indices {
                var length = 0
                while start + length < characters.count && offset + length < key.count
                    && characters[start + length] == key[offset + length]
                { length += 1 }
                longest = max(longest, length)
            }
            if longest >= minimumLength { for i in start..<(start + longest) { hidden[i] = true } }
        }
        var out = String.UnicodeScalarView()
        for (i, character) in characters.enumerated() {
            if !hidden[i] {
                out.append(character)
            } else if i == 0 || !hidden[i - 1] {
                out.append(contentsOf: "[redacted]".unicodeScalars)
            }
        }
        return String(out)
    }

    /// The first choice's text and the usage (estimated from lengths, four characters a token,
    /// when absent), or `nil` when the body is not a chat completion.
    public static func parse(_ data: Data, requestCharacters: Int) -> (text: String, prompt: Int, completion: Int)? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let choices = object["choices"] as? [[String: Any]], let first = choices.first,
            let message = first["message"] as? [String: Any]
        else { return nil }
        let text = message["content"] as? String ?? ""
        let usage = object["usage"] as? [String: Any]
        let prompt = usage?["prompt_tokens"] as? Int ?? max(1, requestCharacters / 4)
        let completion = usage?["completion_tokens"] as? Int ?? max(1, text.count / 4)
        return (text, prompt, completion)
    }

    /// Seconds to wait from a `Retry-After` value (delta seconds or an HTTP date).
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// An OpenAI-style error's message (at most 200 characters), else the status alone.
    static func errorMessage(_ data: Data) -> String {
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let message =
            (object?["error"] as? [String: Any])?["message"] as? String
            ?? String(decoding: data.prefix(200), as: UTF8.self)
        return String(message.prefix(200))
    }

    static func describe(_ failure: HTTPTransport.Failure) -> String {
        switch failure {
        case .timedOut: "timed out"
        case .connectionDropped: "connection dropped"
        case .connectionRefused: "connection refused"
        case .bodyTooLarge: "response body over \(HTTPTransport.maxBodyBytes >> 20) MB"
        case .other(let detail): "transport error: \(detail)"
        }
    }
}
