import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One POST at a time over an AsyncHTTPClient connection pool, shut down when released (its
/// clients must be). Not Foundation's URLSession: on Linux it keeps about 250 bytes per request
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
        case timedOut, connectionDropped, cannotConnect, bodyTooLarge
        case other(String)
    }

    /// An HTTP proxy (CONNECT for https).
    struct Proxy: Equatable {
        var host: String
        var port: Int
    }

    /// Bodies larger than this are refused (a chat completion is kilobytes).
    static let maxBodyBytes = 64 << 20

    let client: HTTPClient
    let timeout: TimeAmount

    /// `connections`: the pool's connections per host (the callers bound requests in flight);
    /// `timeout`: seconds for the whole request and, for the body, between reads.
    init(connections: Int, timeout: Double, proxy: Proxy?) {
        self.timeout = .nanoseconds(Int64(max(0.001, timeout) * 1e9))
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: min(self.timeout, .seconds(30)), read: self.timeout)
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        // A refused connection fails now; the chat client's own retries and backoff decide what next.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.proxy = proxy.map { .server(host: $0.host, port: $0.port) }
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
            default: return .other("\(http)")
            }
        }
        if error is NIOTooManyBytesError { return .bodyTooLarge }
        if error is NIOConnectionError { return .cannotConnect }
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return .cannotConnect }
        if error is CancellationError { return .other("cancelled") }
        return .other(String(describing: type(of: error)))
    }

    /// The proxy the environment names for `endpoint` (`https_proxy` or `http_proxy`, either case,
    /// as curl reads them), unless `no_proxy` lists its host or the host is the loopback.
    static func proxy(for endpoint: URL, environment: [String: String]) -> Proxy? {
        guard let host = endpoint.host?.lowercased(),
            !["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
        else { return nil }
        func variable(_ name: String) -> String? {
            (environment[name] ?? environment[name.uppercased()]).flatMap { $0.isEmpty ? nil : $0 }
        }
        let exempt = (variable("no_proxy") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        if exempt.contains(where: { $0 == "*" || host == $0 || host.hasSuffix("." + $0) }) { return nil }
        let name = endpoint.scheme?.lowercased() == "https" ? "https_proxy" : "http_proxy"
        guard let text = variable(name),
            let proxy = URL(string: text.contains("://") ? text : "http://" + text), let proxyHost = proxy.host
        else { return nil }
        return Proxy(host: proxyHost, port: proxy.port ?? 80)
    }
}
