public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// llama-cpp-python's OpenAI-compatible server with SmolLM2-135M-Instruct on loopback
/// (`Tests/LLMServer/serve.sh`; `make test` installs it first with `Tests/LLMServer/setup.sh`).
public final class LocalLLMServer: @unchecked Sendable {
    public let port: Int
    public let logURL: URL
    let process: Process

    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("LLMServer")

    /// Whether `setup.sh` has built the environment.
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(".venv/bin/python").path)
    }

    /// Starts the server with `apiKey` required (`nil`: keyless) and a context of `contextTokens`
    /// (`serve.sh`'s 2,048 when `nil`), and waits until `/v1/models` answers (at most `wait` seconds).
    public init(apiKey: String?, logDirectory: URL, contextTokens: Int? = nil, wait: Double = 120) async throws {
        var port = 0
        var started: Process?
        logURL = logDirectory.appendingPathComponent("llm-server.log")
        for _ in 0..<5 {
            port = Int.random(in: 20_000...60_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments =
                [Self.directory.appendingPathComponent("serve.sh").path, String(port)]
                + (apiKey.map { ["--api_key", $0] } ?? [])
            if let contextTokens {
                var environment = ProcessInfo.processInfo.environment
                environment["LLM_SERVER_N_CTX"] = String(contextTokens)
                process.environment = environment
            }
            try Data().write(to: logURL)
            let log = try FileHandle(forWritingTo: logURL)
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // Counted polls, not a deadline: a test starved of threads by CPU-bound neighbours
            // must not give up on a server that is up.
            for _ in 0..<Int(wait * 4) where process.isRunning {
                if await Self.answers(port: port, apiKey: apiKey) {
                    started = process
                    break
                }
                try await Task.sleep(nanoseconds: 250_000_000)
            }
            if started != nil { break }
            Self.stop(process)
        }
        guard let started else {
            throw CocoaError(
                .executableLoad,
                userInfo: [NSLocalizedDescriptionKey: "the llama.cpp server did not start; see \(logURL.path)"])
        }
        self.port = port
        process = started
    }

    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    static func answers(port: Int, apiKey: String?) async -> Bool {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/models")!, timeoutInterval: 2)
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// SIGTERM, then SIGKILL after 5 s (uvicorn's graceful shutdown waits for idle keep-alive
    /// connections, which a client may hold open).
    public func stop() { Self.stop(process) }

    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(20_000) }
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
