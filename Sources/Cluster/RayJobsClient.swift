import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The Ray Jobs API of a cluster's dashboard (`ray job submit`'s REST interface), called
/// synchronously: packages, submission, status, logs.
final class RayJobsClient: Sendable {
    /// A job's state as the dashboard reports it.
    enum Status: String, Decodable, Sendable {
        case pending = "PENDING"
        case running = "RUNNING"
        case stopped = "STOPPED"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"

        var isTerminal: Bool { self == .stopped || self == .succeeded || self == .failed }
    }

    /// `GET /api/jobs/{id}`, the fields read.
    struct JobInfo: Decodable, Sendable {
        var status: Status
        var message: String?
    }

    /// `POST /api/jobs/`'s body.
    struct Submission: Encodable {
        struct RuntimeEnvironment: Encodable {
            var workingDirectory: String
            var pythonModules: [String]?

            enum CodingKeys: String, CodingKey {
                case workingDirectory = "working_dir"
                case pythonModules = "py_modules"
            }
        }
        var entrypoint: String
        var submissionID: String
        var runtimeEnvironment: RuntimeEnvironment
        var metadata: [String: String]
        /// The driver only schedules; it takes no CPU from the shards.
        var entrypointCPUs = 0.0

        enum CodingKeys: String, CodingKey {
            case entrypoint, metadata
            case submissionID = "submission_id"
            case runtimeEnvironment = "runtime_env"
            case entrypointCPUs = "entrypoint_num_cpus"
        }
    }

    let address: URL
    private let client: HTTPClient

    /// `address`: the dashboard's base URL.
    init(address: URL) {
        self.address = address
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit { _ = client.shutdown() }

    /// The dashboard page of a job.
    func pageURL(ofJob id: String) -> String { address.absoluteString + "/#/jobs/" + id }

    /// Whether the cluster holds the package `gcs://<name>` (asking also pins it for a while).
    func hasPackage(named name: String) throws(ClusterError) -> Bool {
        let response = try send(.GET, "/api/packages/gcs/\(name)", describing: "the package check")
        if response.status == 404 { return false }
        try response.requireSuccess("the package check")
        return true
    }

    func uploadPackage(named name: String, bytes: Data) throws(ClusterError) {
        try send(
            .PUT, "/api/packages/gcs/\(name)", body: bytes, contentType: "application/zip",
            describing: "the package upload"
        )
        .requireSuccess("the package upload")
    }

    func submit(_ submission: Submission) throws(ClusterError) {
        let body = (try? JSONEncoder().encode(submission)) ?? Data()
        try send(.POST, "/api/jobs/", body: body, describing: "the job submission")
            .requireSuccess("the job submission")
    }

    /// The job's state, or nil when no job has this submission id.
    func job(_ id: String) throws(ClusterError) -> JobInfo? {
        let response = try send(.GET, "/api/jobs/\(id)", describing: "the job status")
        if response.status == 404 { return nil }
        try response.requireSuccess("the job status")
        do { return try JSONDecoder().decode(JobInfo.self, from: response.body) } catch {
            throw .rejected(request: "the job status", status: response.status, detail: "unreadable answer")
        }
    }

    /// The job's whole log so far (the driver's output).
    func logs(_ id: String) throws(ClusterError) -> String {
        struct Logs: Decodable { var logs: String }
        let response = try send(.GET, "/api/jobs/\(id)/logs", describing: "the job logs")
        try response.requireSuccess("the job logs")
        return (try? JSONDecoder().decode(Logs.self, from: response.body).logs) ?? ""
    }

    struct Response {
        var status: Int
        var body: Data

        func requireSuccess(_ request: String) throws(ClusterError) {
            guard (200..<300).contains(status) else {
                // The end of the answer: a dashboard traceback ends with its exception.
                let text = String(decoding: body.suffix(400), as: UTF8.self)
                throw .rejected(request: request, status: status, detail: oneLine(text))
            }
        }
    }

    @discardableResult
    private func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json",
        describing request: String
    )
        throws(ClusterError) -> Response
    {
        let url = address.absoluteString + path
        do {
            var headers = HTTPHeaders()
            if body != nil { headers.add(name: "Content-Type", value: contentType) }
            let outgoing = try HTTPClient.Request(
                url: url, method: method, headers: headers, body: body.map { .data($0) })
            let response = try client.execute(request: outgoing).wait()
            return Response(
                status: Int(response.status.code), body: response.body.map { Data(buffer: $0) } ?? Data())
        } catch {
            throw .unreachable(address: address.absoluteString, detail: oneLine(String(describing: error)))
        }
    }
}

/// `text` on one line, at most 300 characters.
func oneLine(_ text: String) -> String {
    let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }.joined(separator: " | ")
    return line.count > 300 ? String(line.prefix(297)) + "..." : line
}
