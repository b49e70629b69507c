import Foundation

/// A helper program run by an agent adapter (mini-SWE-agent, git, a hidden test), in the
/// adapter's own process group.
///
/// Unlike ``AgentRunner``'s agents, which the executor stops as a whole group, these stay in the
/// group of the adapter that runs them: when the executor stops the adapter's group on a
/// time-out or an interrupted execution, they are stopped with it.
enum ChildProcess {
    /// Runs `argv` (no shell; a bare name is looked up on `PATH`) in `directory` with
    /// `environment`, stdin empty, stdout and stderr appended to the given files (they may be the
    /// same). After `timeout` seconds (when given) or when the calling task is cancelled it is
    /// terminated (SIGTERM, SIGKILL 2 s later). Returns the exit status: −1 after a time-out,
    /// 128 + n for signal n.
    static func run(
        _ argv: [String], in directory: URL, environment: [String: String], stdout: URL, stderr: URL,
        timeout: Double? = nil
    ) async throws -> Int32 {
        let process = Process()
        if argv[0].contains("/") {
            process.executableURL = URL(fileURLWithPath: argv[0])
            process.arguments = Array(argv.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = argv
        }
        process.environment = environment
        process.currentDirectoryURL = directory
        let out = try appending(to: stdout)
        let err = stderr == stdout ? out : try appending(to: stderr)
        defer {
            try? out.close()
            if err !== out { try? err.close() }
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ExecutorError.agent("cannot start \(argv[0]): \(error.localizedDescription)")
        }
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var timedOut = false
        while process.isRunning {
            if let deadline, Date() > deadline { timedOut = true }
            if timedOut || Task.isCancelled {
                process.terminate()
                let killAt = Date().addingTimeInterval(2)
                while process.isRunning && Date() < killAt { usleep(20_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        while process.isRunning { usleep(10_000) }  // reaped; waitUntilExit spins a core on Linux
        if timedOut { return -1 }
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// A handle appending to `url`, created when missing.
    private static func appending(to url: URL) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ExecutorError.agent("cannot create \(url.path)")
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        return handle
    }
}
