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
        for url in [stdout, stderr] {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        var child = try ProcessGroup(
            argv: argv, directory: directory.path, environment: environment, stdout: stdout.path,
            stderr: stderr.path, newGroup: false)
        let ending = await child.wait(timeout: timeout)
        child.stop(grace: 2)
        return ending == .timedOut ? -1 : child.exitStatus ?? -1
    }
}
