import Agentic
import Domain
import Foundation
import IsoplanTestSupport
import RunStore
import Testing

/// `isoplan tts pdr` as a real subprocess, killed with SIGKILL at random points and resumed.
@Suite("PDR crash and resume", .serialized)
struct CrashResumeTests {
    static let key = "sk-test-\(UUID().uuidString)"
    static let tasks: [(id: String, rate: Double)] = [
        ("task;1 $(touch pwned)|'x\"/y", 0.5), ("../escape", 0.3), ("plain-task", 0.7), ("spaces and – ünïcode", 0.5),
        ("plain-2", 0.4), ("plain-3", 0.6),
    ]

    static func writeTasks(_ url: URL) throws {
        let lines = try tasks.map { task -> String in
            let object: [String: Any] = [
                "task_id": task.id, "problem_statement": "Make the tests of \(task.id) pass.",
                "metadata": ["solve_rate": task.rate],
            ]
            return String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// The CLI arguments of one PDR execution into `directory`.
    static func arguments(_ directory: TemporaryDirectory, server: ScriptedServer) -> [String] {
        let agent = [
            "python3", ScriptedServer.scripts.appendingPathComponent("fake_agent.py").path, "--sleep", "0.1",
            "{task_id}", "{task_file}", "{priors_file}", "{out_dir}",
        ]
        let agentJSON = String(decoding: try! JSONSerialization.data(withJSONObject: agent), as: UTF8.self)
        return [
            "tts", "pdr", "--db", directory.path("x.sqlite"), "--tasks", directory.path("tasks.jsonl"),
            "--agent-command", agentJSON, "--work-dir", directory.path("work"), "-N", "4", "-T", "2", "-K", "2", "-V",
            "4",
            "--endpoint", server.endpoint.absoluteString, "--model", "scripted", "--api-key-env", "CRASH_KEY",
            "--concurrency", "2", "--tasks-at-once", "2", "--timeout", "10", "--seed", "11", "--label", "crash",
            "--predictions", directory.path("predictions.jsonl"), "--decisions", directory.path("decisions.jsonl"),
        ]
    }

    /// A rollout's identity from one attempt's directory (`…/it<t>/attempt-<k>/<rollout>` without the attempt).
    static func rolloutKey(_ directory: String) -> String {
        directory.split(separator: "/").filter { !$0.hasPrefix("attempt-") }.joined(separator: "/")
    }

    /// Watches `process` from a dedicated thread and sends SIGKILL once `directory`'s store holds
    /// `target` committed calls (or after 60 s); waits for it to exit; whether it was killed.
    static func killWhen(_ process: Process, _ directory: TemporaryDirectory, reaches target: Int) async -> Bool {
        await withCheckedContinuation { (finished: CheckedContinuation<Bool, Never>) in
            Thread.detachNewThread {
                let deadline = Date().addingTimeInterval(60)
                while process.isRunning && committedCalls(directory) < target && Date() < deadline { usleep(5_000) }
                let killed = process.isRunning
                if killed { kill(process.processIdentifier, SIGKILL) }
                while process.isRunning { usleep(5_000) }
                finished.resume(returning: killed)
            }
        }
    }

    /// LLM calls committed so far in `directory`'s store (0 before it exists).
    static func committedCalls(_ directory: TemporaryDirectory) -> Int {
        guard FileManager.default.fileExists(atPath: directory.path("x.sqlite")),
            let store = try? Store(path: directory.path("x.sqlite"), createIfMissing: false)
        else { return 0 }
        return (try? store.llmCalls(label: "crash").count) ?? 0
    }

    /// A second `isoplan` on a label another process is executing is refused (exit 75, naming the
    /// holder's pid) and changes nothing; once the holder lets go, the same command completes.
    /// The holder is this test process (the lock is the one the executor takes), so the refusal
    /// does not depend on how long a first run lasts.
    @Test func aSecondProcessOnTheSameLabelIsRefused() async throws {
        let directory = try TemporaryDirectory("isoplan-lock")
        try Self.writeTasks(directory.url.appendingPathComponent("tasks.jsonl"))
        let server = try ScriptedServer(
            directory: directory.url, seed: 3, labels: [:], judgeAccuracy: 0.7, apiKeyVariable: "CRASH_KEY",
            environment: ["CRASH_KEY": Self.key], name: "lock")
        defer { server.stop() }
        var holder: ExecutionLock? = try Store(path: directory.path("x.sqlite")).lockExecution(label: "crash")
        let refused = try CommandRunner.run(
            Self.arguments(directory, server: server), environment: ["CRASH_KEY": Self.key])
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("is running in another process (pid \(getpid()))"), "\(refused.stderr)")
        #expect(try Store(path: directory.path("x.sqlite")).llmCalls(label: "crash").isEmpty)
        #expect(server.requests().isEmpty, "the refused process sent nothing")
        withExtendedLifetime(holder) {}
        holder = nil
        let run = try CommandRunner.run(Self.arguments(directory, server: server), environment: ["CRASH_KEY": Self.key])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try !Store(path: directory.path("x.sqlite")).llmCalls(label: "crash").isEmpty)
    }

    /// Ctrl-C (SIGINT to isoplan alone, as a terminal sends it to the foreground group the agents
    /// are not in) stops every running agent's process group and exits 130 promptly.
    @Test func anInterruptStopsTheRunningAgents() async throws {
        let directory = try TemporaryDirectory("isoplan-sigint")
        try Self.writeTasks(directory.url.appendingPathComponent("tasks.jsonl"))
        let server = try ScriptedServer(
            directory: directory.url, seed: 3, labels: [:], judgeAccuracy: 0.7, apiKeyVariable: "CRASH_KEY",
            environment: ["CRASH_KEY": Self.key], name: "sigint")
        defer { server.stop() }
        let pids = directory.path("children.pid")
        let agent = ["/bin/sh", "-c", "sleep 300 & echo $! >> '\(pids)'; sleep 300", "agent", "{task_id}"]
        var arguments = Self.arguments(directory, server: server)
        let slot = arguments.firstIndex(of: "--agent-command")! + 1
        arguments[slot] = String(decoding: try JSONSerialization.data(withJSONObject: agent), as: UTF8.self)
        let process = Process()
        process.executableURL = try CommandRunner.isoplanURL()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["CRASH_KEY": Self.key]) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Two tasks at once × 4 rollouts, concurrency 2: wait for two agents' children.
        func children() -> [pid_t] {
            ((try? String(contentsOfFile: pids, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                pid_t($0)
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while children().count < 2 && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        let running = children()
        #expect(running.count >= 2, "agents never started")
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        while process.isRunning && Date().timeIntervalSince(interrupted) < 30 {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(!process.isRunning, "isoplan ignored SIGINT")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(message)")
        #expect(message.contains("rerun with the same --label to resume"), "\(message)")
        for child in running {
            let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?
                .split(separator: ")").last?.split(separator: " ").first
            #expect(kill(child, 0) != 0 || state == "Z", "agent child \(child) outlived the interrupt")
        }
    }

    @Test func killedRunsResumeToTheUninterruptedResult() async throws {
        let environment = ["CRASH_KEY": Self.key]
        // The reference: one uninterrupted run.
        let reference = try TemporaryDirectory("isoplan-ref")
        try Self.writeTasks(reference.url.appendingPathComponent("tasks.jsonl"))
        let referenceServer = try ScriptedServer(
            directory: reference.url, seed: 3, labels: [:], judgeAccuracy: 0.7,
            apiKeyVariable: "CRASH_KEY", environment: environment, unparseableRate: 0.15, name: "ref")
        let clean = try CommandRunner.run(
            Self.arguments(reference, server: referenceServer),
            environment: ["CRASH_KEY": Self.key, "FAKE_AGENT_LOG": reference.path("agent.log")])
        referenceServer.stop()
        #expect(clean.status == 0, "\(clean.stderr)")

        let totalCalls = try Store(path: reference.path("x.sqlite")).llmCalls(label: "crash").count

        // The same execution killed five times, then finished.
        let crash = try TemporaryDirectory("isoplan-crash")
        try Self.writeTasks(crash.url.appendingPathComponent("tasks.jsonl"))
        let server = try ScriptedServer(
            directory: crash.url, seed: 3, labels: [:], judgeAccuracy: 0.7, apiKeyVariable: "CRASH_KEY",
            environment: environment, unparseableRate: 0.15, name: "crash")
        let agentLog = crash.url.appendingPathComponent("agent.log")
        let runEnvironment: [String: String?] = ["CRASH_KEY": Self.key, "FAKE_AGENT_LOG": agentLog.path]
        var rng = SystemRandomNumberGenerator()
        var outputs: [String] = []
        var resentInFlight = 0
        var resentCommitted = 0
        var rerunCommittedRollouts = 0
        var kills = 0
        /// At each kill: the server log's length, the committed call ids, the call ids answered so
        /// far, the agent log's length and the committed rollouts' directories.
        var snapshots:
            [(requests: Int, committed: Set<String>, answered: Set<String>, agentRuns: Int, rollouts: Set<String>)] = []
        var unkilled: [String] = []
        for _ in 0..<10 where kills < 5 {
            let process = Process()
            process.executableURL = try CommandRunner.isoplanURL()
            process.arguments = Self.arguments(crash, server: server)
            var env = ProcessInfo.processInfo.environment
            for (k, v) in runEnvironment { env[k] = v }
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            let errorLog = crash.url.appendingPathComponent("stderr-\(outputs.count + unkilled.count).log")
            try Data().write(to: errorLog)
            process.standardError = try FileHandle(forWritingTo: errorLog)
            // Kill at a random point of the remaining work: once a random number of further
            // calls (and so rollouts before them) are committed. The watcher is an OS thread, so
            // CPU-bound neighbours in the test run cannot starve it and let the run finish first.
            let target = Self.committedCalls(crash) + Int.random(in: 1...max(2, totalCalls / 6), using: &rng)
            try process.run()
            if await Self.killWhen(process, crash, reaches: target) {
                kills += 1
            } else {
                let message = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
                unkilled.append(
                    "a run ended by itself with status \(process.terminationStatus) before \(target) calls: "
                        + message.split(separator: "\n").suffix(3).joined(separator: " / "))
            }
            try await Task.sleep(nanoseconds: 400_000_000)  // let orphaned agent runs finish
            // What was committed at the kill, and where the logs stood.
            let store = try Store(path: crash.path("x.sqlite"))
            let committed = Set(try store.llmCalls(label: "crash").map(\.callID))
            let committedRollouts = Set(
                try store.executorTasks(label: "crash").flatMap { row, _ in
                    try (0..<2).flatMap {
                        try store.rollouts(taskRow: row, iteration: $0).map { Self.rolloutKey($0.rollout.source) }
                    }
                })
            let before = server.requests()
            let answeredBefore = Set(
                before.filter { $0.outcome == "ok" || $0.outcome == "malformed" || $0.outcome == "slow" }.map(\.callID)
            )
            let agentBefore = (try? String(contentsOf: agentLog, encoding: .utf8))?.split(separator: "\n").count ?? 0
            outputs.append("kill \(kills): \(committed.count) calls and \(committedRollouts.count) rollouts committed")
            snapshots.append((before.count, committed, answeredBefore, agentBefore, committedRollouts))
        }
        let final = try CommandRunner.run(Self.arguments(crash, server: server), environment: runEnvironment)
        #expect(final.status == 0, "\(final.stderr)")
        let log = server.requests()
        let agentLines = ((try? String(contentsOf: agentLog, encoding: .utf8)) ?? "").split(separator: "\n")
        for (offset, committed, answered, agentOffset, rollouts) in snapshots {
            let after = log.dropFirst(offset)
            resentCommitted += after.filter { committed.contains($0.callID) }.count
            resentInFlight +=
                Set(after.filter { answered.contains($0.callID) && !committed.contains($0.callID) }.map(\.callID))
                .count
            for line in agentLines.dropFirst(agentOffset) {
                struct Invocation: Decodable {
                    let outDirectory: String
                    enum CodingKeys: String, CodingKey { case outDirectory = "out_dir" }
                }
                if let invocation = try? JSONDecoder().decode(Invocation.self, from: Data(line.utf8)),
                    rollouts.contains(Self.rolloutKey(invocation.outDirectory))
                {
                    rerunCommittedRollouts += 1
                }
            }
        }
        server.stop()
        print((outputs + unkilled).joined(separator: "\n"))
        print(
            "re-sent after a kill: \(resentInFlight) in-flight requests (allowed ≤ \(2 * kills)), \(resentCommitted) committed ones"
        )
        #expect(kills == 5, "five runs killed mid-way (\(kills)); \(unkilled)")
        #expect(resentCommitted == 0, "no committed call is sent again")
        #expect(resentInFlight <= 2 * max(kills, 1), "at most one in-flight request per slot per kill is re-sent")
        #expect(rerunCommittedRollouts == 0, "no committed rollout is run again")
        for file in ["predictions.jsonl", "decisions.jsonl"] {
            let a = try String(contentsOfFile: reference.path(file), encoding: .utf8)
            let b = try String(contentsOfFile: crash.path(file), encoding: .utf8)
            #expect(a == b, "\(file) equals the uninterrupted run's")
        }

        // Task ids with shell metacharacters and separators reach the agent intact, and every
        // rollout directory stays inside the work directory.
        let work = crash.url.appendingPathComponent("work").standardizedFileURL.path
        var argvSeen = Set<String>()
        for case let path as String in FileManager.default.enumerator(atPath: work)! where path.hasSuffix("argv.json") {
            let argv =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/" + path)))
                as! [String]
            argvSeen.insert(argv[argv.count - 4])
        }
        #expect(argvSeen == Set(Self.tasks.map(\.id)))
        for line in agentLines {
            struct Invocation: Decodable {
                let outDirectory: String
                enum CodingKeys: String, CodingKey { case outDirectory = "out_dir" }
            }
            let dir = try JSONDecoder().decode(Invocation.self, from: Data(line.utf8)).outDirectory
            #expect(
                URL(fileURLWithPath: dir).standardizedFileURL.path.hasPrefix(work + "/"),
                "\(dir) inside the work directory")
        }
        #expect(!FileManager.default.fileExists(atPath: crash.url.appendingPathComponent("pwned").path))
        #expect(!FileManager.default.fileExists(atPath: work + "/pwned"))

        // The API key appears nowhere: store, logs, outputs, agent files, messages.
        var leaks: [String] = []
        for directory in [reference, crash] {
            for case let path as String in FileManager.default.enumerator(atPath: directory.url.path)! {
                let full = directory.url.path + "/" + path
                if let data = FileManager.default.contents(atPath: full), data.range(of: Data(Self.key.utf8)) != nil {
                    leaks.append(full)
                }
            }
        }
        for text in [clean.stdout, clean.stderr, final.stdout, final.stderr] where text.contains(Self.key) {
            leaks.append("command output")
        }
        #expect(leaks.isEmpty, "the key leaked into \(leaks)")
        // A wrong key is refused, and the error names the variable, not the key.
        let wrongServer = try ScriptedServer(
            directory: crash.url, seed: 3, labels: [:], judgeAccuracy: 0.7, apiKeyVariable: "CRASH_KEY",
            environment: environment, name: "wrong")
        let wrong = try CommandRunner.run(
            Self.arguments(crash, server: wrongServer).map { $0 == "crash" ? "wrong-key" : $0 },
            environment: ["CRASH_KEY": "not-the-key-\(Self.key.suffix(4))"])
        wrongServer.stop()
        #expect(
            wrong.status == 65 && wrong.stderr.contains("401") && !wrong.stderr.contains("not-the-key"),
            "\(wrong.stderr)")
        let missing = try CommandRunner.run(Self.arguments(crash, server: wrongServer), environment: ["CRASH_KEY": nil])
        #expect(missing.status == 65 && missing.stderr.contains("CRASH_KEY"))
    }
}

@Suite("tts command line")
struct TTSCommandLineTests {
    /// Every option of `tts rtv` and `tts pdr` is documented in `--help`, and bad values are
    /// refused before any work (exit 64).
    @Test func helpDocumentsEveryOptionAndValidationRefusesBadValues() throws {
        let shared = [
            "--trajectories", "--rollouts-file", "--tasks", "--labels", "--endpoint", "--model", "--api-key-env",
            "--concurrency",
            "--tasks-at-once", "--timeout", "--max-attempts", "--answer-format", "--group-size", "--votes",
            "--max-reasks",
            "--tie-break-votes",
            "--judge-temperature", "--context-chars", "--summary-chars", "--seed", "--max-spend", "--max-tokens",
            "--price-in",
            "--price-out", "--label", "--predictions", "--decisions", "--db", "--json",
        ]
        for (command, extra) in [
            ("rtv", [String]()),
            (
                "pdr",
                [
                    "--agent-command", "--agent-timeout", "--work-dir", "--rollouts", "--iterations",
                    "--priors", "--prior-selection",
                ]
            ),
        ] {
            let help = try CommandRunner.run(["tts", command, "--help"])
            #expect(help.status == 0)
            let lines = help.stdout.split(separator: "\n").map(String.init)
            for option in shared + extra {
                let line = try #require(
                    lines.first {
                        $0.trimmingCharacters(in: .whitespaces).hasPrefix(option) || $0.contains(", \(option)")
                    },
                    "\(command): \(option) listed")
                let index = lines.firstIndex(of: line)!
                let text = line.drop { $0 == " " }.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                #expect(
                    text.count > 1 || lines[index + 1].hasPrefix("      "), "\(command): \(option) has a description")
            }
        }
        let base = ["tts", "rtv", "--rollouts-file", "x.jsonl", "--model", "m"]
        for bad in [
            ["--endpoint", "ftp://x"], ["--endpoint", "http://127.0.0.1:1/v1", "--votes", "0"],
            ["--endpoint", "http://127.0.0.1:1/v1", "--max-spend", "5"],
            ["--endpoint", "http://127.0.0.1:1/v1", "--api-key-env", "sk=secret"],
        ] {
            let result = try CommandRunner.run(base + bad)
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(!result.stderr.contains("secret"))
        }
        let pdr = try CommandRunner.run([
            "tts", "pdr", "--tasks", "t.jsonl", "--model", "m", "--endpoint", "http://127.0.0.1:1/v1",
            "--agent-command", "python3 agent.py",
        ])
        #expect(pdr.status == 64 && pdr.stderr.contains("JSON array"))
    }

    /// A command that fails on its inputs creates no store (exit 65, or 66 for a missing folder);
    /// labels that grade none of the rollouts are refused, labels that grade some are reported.
    @Test func inputErrorsCreateNoStoreAndLabelsMustGradeTheRollouts() throws {
        let directory = try TemporaryDirectory("isoplan-inputs")
        let rollouts = (0..<4).map { i in
            "{\"task_id\": \"t\(i / 2)\", \"rollout_id\": \"r\(i % 2)\", \"transcript\": \"ran pytest\", \"final_patch\": \"\"}"
        }
        try (rollouts.joined(separator: "\n") + "\n").write(
            to: directory.url.appendingPathComponent("r.jsonl"), atomically: true, encoding: .utf8)
        try "task_id,rollout_id,resolved\nother,r0,true\nother,r1,false\n".write(
            to: directory.url.appendingPathComponent("none.csv"), atomically: true, encoding: .utf8)
        try "task_id,rollout_id,resolved\nt0,r0,true\nt0,r1,false\nt1,r0,true\n".write(
            to: directory.url.appendingPathComponent("some.csv"), atomically: true, encoding: .utf8)
        try "{\"task_id\": \"t0\"\n".write(
            to: directory.url.appendingPathComponent("broken.jsonl"), atomically: true, encoding: .utf8)
        func rtv(_ extra: [String], db: String = "x.sqlite", endpoint: String = "http://127.0.0.1:1/v1") throws
            -> CommandRunner.Result
        {
            try CommandRunner.run(
                ["tts", "rtv", "--db", directory.path(db), "--endpoint", endpoint, "--model", "m", "-V", "1"]
                    + ["--predictions", directory.path("p.jsonl"), "--decisions", directory.path("d.jsonl")] + extra)
        }
        let none = try rtv(["--rollouts-file", directory.path("r.jsonl"), "--labels", directory.path("none.csv")])
        #expect(none.status == 65 && none.stderr.contains("grades none of the 4 given rollouts"), "\(none.stderr)")
        let broken = try rtv(["--rollouts-file", directory.path("broken.jsonl")])
        #expect(broken.status == 65, "\(broken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("x.sqlite")))
        let folder = try rtv(["--rollouts-file", directory.path("r.jsonl")], db: "missing/x.sqlite")
        #expect(folder.status == 66 && folder.stderr.contains("no such folder"), "\(folder.stderr)")

        let server = try ScriptedServer(directory: directory.url, seed: 2, labels: [:], judgeAccuracy: 0.7)
        defer { server.stop() }
        let some = try rtv(
            ["--rollouts-file", directory.path("r.jsonl"), "--labels", directory.path("some.csv")],
            endpoint: server.endpoint.absoluteString)
        #expect(some.status == 0, "\(some.stderr)")
        #expect(some.stderr.contains("warning: ") && some.stderr.contains("grades 3 of the 4 given rollouts"))
    }
}
