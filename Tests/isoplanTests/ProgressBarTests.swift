import Domain
import Synchronization
import Testing

@testable import isoplan

@Suite("Terminal progress bar")
struct ProgressBarTests {
    @Test func rendersBarCountRateAndETA() {
        let line = TerminalProgressBar.render(
            ProgressSnapshot(label: "sweep", completed: 30, total: 120, elapsed: 10), width: 20)
        #expect(line == "sweep  [#####...............]  30/120   25%  3.0/s  ETA 0:30")
    }

    @Test func rendersUnknownTotalWithoutBar() {
        let line = TerminalProgressBar.render(
            ProgressSnapshot(label: "import", completed: 5000, total: nil, elapsed: 2), width: 20)
        #expect(line == "import  5000  2500/s")
    }

    @Test func durationsFormat() {
        #expect(TerminalProgressBar.formatDuration(59.6) == "1:00")
        #expect(TerminalProgressBar.formatDuration(3725) == "1:02:05")
    }

    @Test func silentWhenNotATerminal() {
        let written = Mutex<[String]>([])
        let bar = TerminalProgressBar(enabled: false) { text in written.withLock { $0.append(text) } }
        bar.begin("work", total: 3)
        bar.advance(by: 3)
        bar.end()
        #expect(written.withLock { $0.isEmpty })
    }

    @Test func drawsAndEndsWithNewlineOnATerminal() {
        let written = Mutex<[String]>([])
        let bar = TerminalProgressBar(enabled: true, width: 10) { text in written.withLock { $0.append(text) } }
        bar.begin("work", total: 4)
        for _ in 0..<4 { bar.advance(by: 1) }
        bar.end()
        let output = written.withLock { $0 }
        #expect(output.first?.contains("0/4") == true)
        #expect(output.last?.hasSuffix("\n") == true)
        #expect(output.last?.contains("[##########]  4/4") == true)
    }
}
