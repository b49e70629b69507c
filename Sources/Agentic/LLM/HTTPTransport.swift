import AsyncHTTPClient
import Domain
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One POST at a time over an AsyncHTTPClient connection pool, shut down when released (its
/// clients must be). Not Foundation's URLSession: on Linux it keeps 100–200 bytes per request
/// for the life of the process (docs/RELIABILITY.md, "The executor under load").
final class HTTPTransport: Sendable {
    /// A response: status, the headers the client reads, the body.
    struct Response: Sendable {
        var status: Int
        var retryAfter: String?
        var body: Data
    }

    /// Why a request got no response.
    enum Failure: Error, Equatable {
        case timedOut, connectionDropped, connectionRefused, bodyTooLarge
        /// Anything else, described in one line.
        case other(String)
    }

    /// A proxy from the environment: HTTP (CONNECT for https) or SOCKS5, with basic credentials.
    struct Proxy: Equatable {
        enum Kind: Equatable { case http, socks5 }
        var kind: Kind
        var host: String
        var port: Int
        var user: String?
        var password: String?
    }

    /// Bodies larger than this are refused (a chat completion is kilobytes).
    static let maxBodyBytes = 64 << 20

    let client: HTTPClient
    let timeout: TimeAmount

    /// `connections`: the pool's connections per host (the callers bound requests in flight);
    /// `timeout`: seconds until the response head and then between reads of its body; the
    /// connect time-out is the smaller of it and 30 s.
    init(connections: Int, timeout: Double, proxy: Proxy?) {
        self.timeout = .nanoseconds(Int64(max(0.001, timeout) * 1e9))
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: min(self.timeout, .seconds(30)), read: self.timeout)
        // The pool retries failed connection attempts until the connect time-out, then fails the
        // request with the last attempt's error (turning that off fails every queued request at
        // the first refused connection).
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        configuration.networkFrameworkWaitForConnectivity = false
        configuration.proxy = proxy.map { proxy in
            switch proxy.kind {
            case .socks5: .socksServer(host: proxy.host, port: proxy.port)
            case .http:
                .server(
                    host: proxy.host, port: proxy.port,
                    authorization: proxy.user.map { .basic(username: $0, password: proxy.password ?? "") })
            }
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        // The client keeps itself alive until its connections are closed.
        _ = client.shutdown()
    }

    func post(_ url: URL, headers: [(String, String)], body: Data) async throws(Failure) -> Response {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: Self.maxBodyBytes)
            return Response(
                status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                body: Data(bytes.readableBytesView))
        } catch {
            throw Self.failure(error)
        }
    }

    static func failure(_ error: any Error) -> Failure {
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout:
                return .timedOut
            case .remoteConnectionClosed: return .connectionDropped
            default: break
            }
        }
        if error is NIOTooManyBytesError { return .bodyTooLarge }
        switch (error as? IOError)?.errnoCode {
        case ECONNREFUSED: return .connectionRefused
        case ECONNRESET: return .connectionDropped
        default: break
        }
        return .other(String(String(describing: error).escapingControlCharacters.prefix(200)))
    }

    /// The proxy the environment names for `endpoint`, read as curl reads it: `https_proxy` (or
    /// `HTTPS_PROXY`) for https, `http_proxy` (lower case only) for http; `http://` or
    /// `socks5://` (default port 1080), with `user:password@`; none when `no_proxy` (or `NO_PROXY`)
    /// lists the host, a parent domain or `*`, and none for the loopback. Other proxy schemes are
    /// refused.
    static func proxy(for endpoint: URL, environment: [String: String]) throws(LLMError) -> Proxy? {
        guard let host = endpoint.host?.lowercased(),
            !["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
        else { return nil }
        func variable(_ names: String...) -> (name: String, value: String)? {
            names.lazy.compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : (name, $0) } }.first
        }
        let exempt = (variable("no_proxy", "NO_PROXY")?.value ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        if exempt.contains(where: { $0 == "*" || host == $0 || host.hasSuffix("." + $0) }) { return nil }
        let https = endpoint.scheme?.lowercased() == "https"
        guard let (name, text) = https ? variable("https_proxy", "HTTPS_PROXY") : variable("http_proxy") else {
            return nil
        }
        let url = URL(string: text.contains("://") ? text : "http://" + text)
        let kinds: [String: Proxy.Kind] = ["http": .http, "socks5": .socks5, "socks5h": .socks5]
        guard let url, let proxyHost = url.host, let kind = kinds[url.scheme?.lowercased() ?? ""] else {
            throw .invalidProxy(
                variable: name, detail: "\(text.escapingControlCharacters) is not an http:// or socks5:// proxy")
        }
        return Proxy(
            kind: kind, host: proxyHost, port: url.port ?? 1080, user: url.user?.removingPercentEncoding,
            password: url.password?.removingPercentEncoding)
    }
}
