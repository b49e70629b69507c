import Foundation
import Testing

@testable import Agentic

/// Agents run as the leaders of their own process groups: nothing they spawn outlives them.
@Suite("Agent commands run in their own process group")
struct AgentProcessGroupTests {
    /// An agent that starts a sleeping child, records the child's pid, then does `tail`.
    private static func agent(then tail: String) -> [String] {
        ["/bin/sh", "-c", "sleep 3600 & echo $! > child.pid; \(tail)"]
    }

    private static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("isoplan-pgroup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The pid the agent wrote, once it exists.
    private static func childPID(in directory: URL) async throws -> pid_t {
        let file = directory.appendingPathComponent("child.pid")
        for _ in 0..<500 {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        Issue.record("the agent never wrote child.pid")
        return 0
    }

    /// Whether `pid` is a live process (a zombie waiting for a reaper that is not ours is dead).
    private static func isAlive(_ pid: pid_t) async throws -> Bool {
        for _ in 0..<100 {  // the group was SIGKILLed; allow the kernel a moment to tear it down
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?
                .split(separator: ")").last?.split(separator: " ").first
            if kill(pid, 0) != 0 || state == "Z" { return false }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return true
    }

    @Test func aTimedOutAgentLeavesNoChildBehind() async throws {
        let directory = try Self.directory()
        let (status, _) = try await AgentRunner.execute(Self.agent(then: "sleep 3600"), in: directory, timeout: 1)
        #expect(status == -1)
        let child = try await Self.childPID(in: directory)
        #expect(try await !Self.isAlive(child))
    }

    @Test func anAgentThatExitsTakesItsBackgroundChildrenWithIt() async throws {
        let directory = try Self.directory()
        let (status, _) = try await AgentRunner.execute(Self.agent(then: "exit 3"), in: directory, timeout: 60)
        #expect(status == 3)
        let child = try await Self.childPID(in: directory)
        #expect(try await !Self.isAlive(child))
    }

    @Test func aCancelledRunStopsTheWholeGroup() async throws {
        let directory = try Self.directory()
        let run = Task { try await AgentRunner.execute(Self.agent(then: "sleep 3600"), in: directory, timeout: 7200) }
        let child = try await Self.childPID(in: directory)
        #expect(try await Self.isAlive(child))
        run.cancel()
        await #expect(throws: ExecutorError.self) { try await run.value }
        #expect(try await !Self.isAlive(child))
    }

    @Test func theAgentRunsInItsDirectoryWithoutTheWithheldVariable() async throws {
        let directory = try Self.directory()
        setenv("ISOPLAN_TEST_WITHHELD", "secret-value", 1)
        defer { unsetenv("ISOPLAN_TEST_WITHHELD") }
        let (status, log) = try await AgentRunner.execute(
            ["/bin/sh", "-c", "pwd; echo \"key=${ISOPLAN_TEST_WITHHELD-unset}\"; echo oops >&2; kill -TERM $$"],
            in: directory, timeout: 60, withholding: ["ISOPLAN_TEST_WITHHELD"])
        #expect(status == 128 + SIGTERM)
        #expect(log.contains(directory.lastPathComponent))
        #expect(log.contains("key=unset") && log.contains("oops"))
        let missing = await #expect(throws: ExecutorError.self) {
            try await AgentRunner.execute(["no-such-agent-program-xyz"], in: directory, timeout: 5)
        }
        #expect(missing?.description.contains("no-such-agent-program-xyz") == true)
    }
}
