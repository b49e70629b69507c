import Foundation
import Testing

@testable import Agentic

@Suite("The LLM client's HTTP transport")
struct HTTPTransportTests {
    @Test(
        arguments: [
            ("https://api.example.com/v1", ["HTTPS_PROXY": "http://proxy.corp:3128"], "http proxy.corp:3128"),
            ("https://api.example.com/v1", ["https_proxy": "proxy.corp"], "http proxy.corp:1080"),
            (
                "https://api.example.com/v1", ["https_proxy": "http://u%40x:p%3Aw@proxy.corp:8080"],
                "http u@x:p:w@proxy.corp:8080"
            ),
            ("https://api.example.com/v1", ["https_proxy": "socks5://s.corp"], "socks5 s.corp:1080"),
            ("http://vllm.lan:8000/v1", ["http_proxy": "http://p:8080", "https_proxy": "http://q:1"], "http p:8080"),
            ("http://vllm.lan:8000/v1", ["HTTP_PROXY": "http://p:8080"], "direct"),
            ("https://api.example.com/v1", ["http_proxy": "http://p:8080"], "direct"),
            (
                "https://api.example.com/v1", ["HTTPS_PROXY": "http://p:1", "no_proxy": "localhost,.example.com"],
                "direct"
            ),
            ("https://example.com/v1", ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "example.com"], "direct"),
            ("https://api.example.com/v1", ["HTTPS_PROXY": "http://p:1", "no_proxy": "*"], "direct"),
            ("http://127.0.0.1:8000/v1", ["http_proxy": "http://p:8080"], "direct"),
            ("http://localhost:8000/v1", ["http_proxy": "http://p:8080"], "direct"),
            ("https://api.example.com/v1", ["HTTPS_PROXY": ""], "direct"),
        ])
    func proxiesComeFromTheEnvironmentAsCurlReadsThem(endpoint: String, environment: [String: String], expected: String)
        throws
    {
        let proxy = try HTTPTransport.proxy(for: try #require(URL(string: endpoint)), environment: environment)
        let credentials = proxy?.user.map { "\($0):\(proxy?.password ?? "")@" } ?? ""
        #expect(proxy.map { "\($0.kind) \(credentials)\($0.host):\($0.port)" } ?? "direct" == expected)
    }

    @Test func aProxyTheClientCannotUseIsRefusedNamingItsVariable() throws {
        let endpoint = try #require(URL(string: "https://api.example.com/v1"))
        #expect(
            throws: LLMError.invalidProxy(
                variable: "https_proxy", detail: "https://p.corp:443 is not an http:// or socks5:// proxy")
        ) {
            _ = try HTTPTransport.proxy(for: endpoint, environment: ["https_proxy": "https://p.corp:443"])
        }
    }

    @Test func aRefusedConnectionIsRetriedThenReportedAsRefused() async throws {
        var options = OpenAIChatClient.Options()
        options.maxAttempts = 2
        options.timeout = 1  // the pool retries the connection until then
        options.sleep = { _ in }
        // Port 1 on the loopback: nothing listens there without privileges.
        let endpoint = try #require(URL(string: "http://127.0.0.1:1/v1"))
        let client = try OpenAIChatClient(endpoint: endpoint, model: "m", apiKeyVariable: nil, options: options)
        let request = ChatRequest(
            messages: [.init(role: "user", content: "hi")], maxTokens: 4, temperature: 0, callID: "c", purpose: "vote")
        await #expect(
            throws: LLMError.unavailable(
                endpoint: endpoint.absoluteString, detail: "2 attempts, last: connection refused")
        ) {
            _ = try await client.complete(request)
        }
    }
}

/// No part of the API key of eight or more characters reaches an error message.
@Suite("Key redaction")
struct KeyRedactionTests {
    static let key = "sk-proj-4f9a2c71e8b04d5fa3c6e1b97d20f8a55c31"  // 44 characters

    @Test(arguments: [(5, 37), (0, 44), (10, 18), (36, 44), (0, 8), (20, 43)])
    func anyPartOfTheKeyOfEightCharactersIsRedacted(from: Int, to: Int) {
        let part = String(Array(Self.key)[from..<to])
        let message = "Incorrect API key provided: \(part). You can find your API key at https://example.com."
        let scrubbed = OpenAIChatClient.redacting(Self.key, in: message)
        #expect(scrubbed == "Incorrect API key provided: [redacted]. You can find your API key at https://example.com.")
        for start in 0...(Self.key.count - 8) {
            let window = String(Array(Self.key)[start..<(start + 8)])
            #expect(!scrubbed.contains(window))
        }
    }

    @Test func shortCoincidencesAndTheRestOfTheTextAreKept() {
        // "sk-proj" (7 characters) and "4f9a" appear in the key but are shorter than 8.
        let text = "project sk-proj quota 4f9a exceeded"
        #expect(OpenAIChatClient.redacting(Self.key, in: text) == text)
        #expect(
            OpenAIChatClient.redacting(Self.key, in: "a \(Self.key) b \(Self.key.prefix(9))")
                == "a [redacted] b [redacted]")
    }
}
