import Domain
import Foundation
import Synchronization

/// Renders progress as one self-overwriting line on stderr — a bar with count, rate and ETA —
/// when stderr is a terminal, and stays silent otherwise (pipes, files, CI logs).
final class TerminalProgressBar: ProgressReporter {
    private struct State {
        var label = ""
        var completed = 0
        var total: Int?
        var started = ContinuousClock.now
        var lastDrawn: ContinuousClock.Instant?
        var active = false
        var status = ""
    }

    private let state = Mutex(State())
    private let enabled: Bool
    private let write: @Sendable (String) -> Void
    private let width: Int

    /// - Parameters:
    ///   - enabled: draw at all; defaults to whether stderr is a terminal.
    ///   - width: characters of the bar itself.
    ///   - write: where text goes; stderr by default.
    init(
        enabled: Bool = isatty(STDERR_FILENO) != 0, width: Int = 30,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.enabled = enabled
        self.width = width
        self.write = write
    }

    func begin(_ label: String, total: Int?) {
        state.withLock { s in
            s = State(label: label, completed: 0, total: total, started: .now, lastDrawn: nil, active: true)
        }
        draw(force: true)
    }

    func advance(by count: Int) {
        state.withLock { $0.completed += count }
        draw(force: false)
    }

    func status(_ text: String) {
        state.withLock { $0.status = text }
        draw(force: false)
    }

    func end() {
        let wasActive = state.withLock { s in
            defer { s.active = false }
            return s.active
        }
        guard enabled, wasActive else { return }
        draw(force: true, finalLine: true)
    }

    /// Redraws at most ten times a second, unless forced.
    private func draw(force: Bool, finalLine: Bool = false) {
        guard enabled else { return }
        let line: String? = state.withLock { s in
            let now = ContinuousClock.now
            if !force, let last = s.lastDrawn, now - last < .milliseconds(100) { return nil }
            s.lastDrawn = now
            let elapsed = now - s.started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let snapshot = ProgressSnapshot(label: s.label, completed: s.completed, total: s.total, elapsed: seconds)
            let bar = TerminalProgressBar.render(snapshot, width: width)
            return s.status.isEmpty ? bar : bar + "  " + s.status
        }
        guard let line else { return }
        write("\r\u{1B}[2K" + line + (finalLine ? "\n" : ""))
    }

    /// One line: `label [#####.....] 120/400  30%  12.5/s  ETA 0:22`.
    static func render(_ snapshot: ProgressSnapshot, width: Int) -> String {
        var parts = [snapshot.label]
        if let fraction = snapshot.fraction, let total = snapshot.total {
            let filled = Int((fraction * Double(width)).rounded(.down))
            parts.append(
                "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]")
            parts.append("\(snapshot.completed)/\(total)")
            parts.append(String(format: "%3.0f%%", fraction * 100))
        } else {
            parts.append("\(snapshot.completed)")
        }
        if let rate = snapshot.rate { parts.append(formatRate(rate)) }
        if let eta = snapshot.estimatedSecondsRemaining { parts.append("ETA " + formatDuration(eta)) }
        return parts.joined(separator: "  ")
    }

    static func formatRate(_ perSecond: Double) -> String {
        perSecond >= 100 ? String(format: "%.0f/s", perSecond) : String(format: "%.1f/s", perSecond)
    }

    /// `m:ss` below an hour, `h:mm:ss` above.
    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
