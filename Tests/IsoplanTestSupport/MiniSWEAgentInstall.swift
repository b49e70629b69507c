public import Foundation

/// mini-SWE-agent in its project-local virtualenv (`Tests/MiniSWEAgent/setup.sh`, run by `make test`).
public enum MiniSWEAgentInstall {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("MiniSWEAgent")

    /// The venv's `mini` program.
    public static var mini: URL { directory.appendingPathComponent(".venv/bin/mini") }

    /// Whether `setup.sh` has installed it.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: mini.path) }
}
