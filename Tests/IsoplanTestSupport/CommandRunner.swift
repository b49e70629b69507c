public import Foundation
import Synchronization

/// Runs the built `isoplan` binary as a real subprocess, the way a user does.
public enum CommandRunner {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `isoplan` executable beside the test bundle (the test target depends on it, so SwiftPM
    /// builds it into the same products directory).
    public static func isoplanURL() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("isoplan") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates.map(\.path).joined(separator: ", ")])
        }
        return found
    }

    /// Runs `isoplan arguments…` with `environment` added to (or, with `nil` values, removed
    /// from) this process's environment; stdin is empty.
    public static func run(
        _ arguments: [String], environment: [String: String?] = [:],
        currentDirectory: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = try isoplanURL()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ISOPLAN_DB"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr on another thread while this one drains stdout, so a child that fills
        // either pipe's buffer can never block; then wait.
        let errHandle = err.fileHandleForReading
        let errData = Mutex(Data())
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let data = errHandle.readDataToEndOfFile()
            errData.withLock { $0 = data }
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
    }

    /// Starts `isoplan arguments…` as a child process with its output discarded; the caller waits
    /// for it (or kills it).
    public static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try isoplanURL()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs several `isoplan` commands at the same moment, each from its own OS thread, and
    /// returns their results in the order given.
    public static func runAtOnce(_ argumentLists: [[String]], environment: [String: String?] = [:]) -> [Result] {
        let results = Mutex([Int: Result]())
        let group = DispatchGroup()
        for (index, arguments) in argumentLists.enumerated() {
            group.enter()
            Thread.detachNewThread {
                let result =
                    (try? run(arguments, environment: environment))
                    ?? Result(status: -1, stdout: "", stderr: "could not start isoplan")
                results.withLock { $0[index] = result }
                group.leave()
            }
        }
        group.wait()
        return results.withLock { all in argumentLists.indices.map { all[$0]! } }
    }
}
