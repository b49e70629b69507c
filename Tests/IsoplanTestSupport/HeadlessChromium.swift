public import Foundation

/// Debian's Chromium, run headless as a real subprocess: it loads a local page, dumps the DOM
/// after its scripts ran, or writes a screenshot.
public struct HeadlessChromium: Sendable {
    public let executable: URL

    /// The first of `chromium`, `chromium-browser`, `google-chrome` on the PATH, else `nil`.
    public init?() {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) {
                    executable = candidate
                    return
                }
            }
        }
        return nil
    }

    /// Options every run shares: no sandbox (tests run as root), no GPU, no network beyond the
    /// page, a fixed device scale so CSS pixels are screenshot pixels.
    var commonArguments: [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--mute-audio",
        ]
    }

    /// The serialized DOM of `page` after load, at a window `width` pixels wide.
    public func dumpDOM(_ page: URL, width: Int, profile: URL) throws -> String {
        try run(
            commonArguments + [
                "--user-data-dir=\(profile.path)", "--window-size=\(width),900", "--dump-dom", page.absoluteString,
            ])
    }

    /// Writes a `width` × `height` screenshot of `page` to `png`.
    public func screenshot(_ page: URL, width: Int, height: Int, to png: URL, profile: URL) throws {
        _ = try run(
            commonArguments + [
                "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)",
                "--screenshot=\(png.path)", page.absoluteString,
            ])
        guard FileManager.default.fileExists(atPath: png.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: png.path])
        }
    }

    /// Runs Chromium with a time limit of two minutes; its stdout.
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: timer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        guard process.terminationStatus == 0 else {
            throw CocoaError(
                .executableLoad,
                userInfo: [NSLocalizedDescriptionKey: "chromium exited with status \(process.terminationStatus)"])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
