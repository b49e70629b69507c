public import Foundation
import Synchronization

/// The scripted OpenAI-compatible judge (`Tests/Scripts/scripted_openai_server.py`) as a real
/// loopback subprocess: answers depend only on (seed, logical call id); faults can be injected.
public final class ScriptedServer: @unchecked Sendable {
    public let port: Int
    public let logURL: URL
    let process: Process
    let stdin: Pipe

    public static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts")

    /// Starts the server with `labels` (`"task::rollout" → passes`) written to `directory`.
    public init(
        directory: URL, seed: Int, labels: [String: Bool], judgeAccuracy: Double, apiKeyVariable: String? = nil,
        environment: [String: String] = [:], unparseableRate: Double = 0, faultRate: Double = 0,
        faultKinds: String = "429,500,slow,malformed,drop", slowSeconds: Double = 3, latency: Double = 0,
        retryAfter: Double = 0, refusedResponseFormats: [String] = [], name: String = "server"
    ) throws {
        let labelsURL = directory.appendingPathComponent("\(name)-labels.json")
        try JSONSerialization.data(withJSONObject: labels, options: [.sortedKeys]).write(to: labelsURL)
        logURL = directory.appendingPathComponent("\(name)-requests.jsonl")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = [
            "python3", Self.scripts.appendingPathComponent("scripted_openai_server.py").path, "--port", "0",
            "--seed", String(seed), "--labels", labelsURL.path, "--judge-accuracy", String(judgeAccuracy),
            "--unparseable-rate", String(unparseableRate), "--fault-rate", String(faultRate), "--fault-kinds",
            faultKinds,
            "--slow-seconds", String(slowSeconds), "--latency", String(latency), "--refuse-response-formats",
            refusedResponseFormats.joined(separator: ","),
            "--retry-after", String(retryAfter), "--log", logURL.path,
            "--max-seconds", "1500",
        ]
        if let apiKeyVariable { arguments += ["--api-key-env", apiKeyVariable] }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is `LISTENING <port>`.
        var line = Data()
        let handle = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("LISTENING "), let port = Int(text.dropFirst(10)) else {
            process.terminate()
            throw CocoaError(
                .executableLoad, userInfo: [NSLocalizedDescriptionKey: "the scripted server did not start: \(text)"])
        }
        self.port = port
    }

    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// One request as the server logged it.
    public struct LoggedRequest: Decodable, Sendable {
        public let callID: String
        public let purpose: String
        public let arrival: Int?
        public let outcome: String
        public let choice: Int?
        public let mixed: Bool?

        enum CodingKeys: String, CodingKey {
            case callID = "call_id"
            case purpose
            case arrival
            case outcome
            case choice
            case mixed
        }
    }

    public func requests() -> [LoggedRequest] {
        guard let data = try? Data(contentsOf: logURL) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONDecoder().decode(LoggedRequest.self, from: Data($0.utf8))
        }
    }

    /// Closes the server's stdin (it exits by itself) and waits.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(20_000) }
    }

    deinit {
        if process.isRunning {
            try? stdin.fileHandleForWriting.close()
            process.terminate()
        }
    }
}
