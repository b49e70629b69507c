import Domain
import Foundation

/// Following one `RayEngine.run`: the jobs' logs read so far, the shards delivered, the errors
/// the driver reported.
struct RaySession {
    let job: ShardJob
    let client: RayJobsClient
    let progress: any ProgressReporter
    let pollInterval: Double
    let wanted: Set<String>
    var delivered: Set<String> = []
    var report = ShardJobReport()
    /// Errors the driver printed (`ISOPLAN-ERROR`, `ISOPLAN-SHARD-FAILED`), the last job's status
    /// and log tail, for `requireEveryShard`.
    var failure: ClusterError?
    var lastJob: (id: String, status: String, log: String)?

    init(
        job: ShardJob, client: RayJobsClient, progress: any ProgressReporter, pollInterval: Double
    ) {
        self.job = job
        self.client = client
        self.progress = progress
        self.pollInterval = pollInterval
        wanted = Set(job.shards.map(\.id))
    }

    /// Reads job `id`'s log until the job ends, delivering each finished shard the caller wants
    /// and has not had yet.
    mutating func follow(_ id: String, finished: (ShardOutput) throws -> Void) throws {
        var linesRead = 0
        failure = nil
        while true {
            // Status first: a job seen ended has its whole log written.
            let status = try client.job(id)?.status
            let log = try client.logs(id)
            let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
            // The last piece is a line still being written unless the log ends with a newline.
            let complete = lines.dropLast()
            for line in complete.dropFirst(linesRead) { try handle(line, finished: finished) }
            linesRead = complete.count
            let ended = status?.isTerminal ?? true
            if ended {
                lastJob = (id, status?.rawValue ?? "MISSING", log)
                return
            }
            progress.status("job \(id) \(status?.rawValue ?? "")")
            // Each poll reads the whole log: poll less often as it grows (1 s more per 10 MB).
            Thread.sleep(forTimeInterval: pollInterval + Double(log.utf8.count) / 1e7)
        }
    }

    private mutating func handle(_ line: Substring, finished: (ShardOutput) throws -> Void) throws {
        guard line.hasPrefix("ISOPLAN-"), let space = line.firstIndex(of: " ") else { return }
        let kind = line[line.index(line.startIndex, offsetBy: 8)..<space]
        let payload = Data(line[line.index(after: space)...].utf8)
        struct Event: Decodable {
            var id: String?
            var output: String?
            var error: String?
            var kind: String?
            var detail: String?
        }
        guard let event = try? JSONDecoder().decode(Event.self, from: payload) else { return }
        switch kind {
        case "SHARD":
            guard let id = event.id, wanted.contains(id), !delivered.contains(id),
                let output = event.output.flatMap({ Data(base64Encoded: $0) }).flatMap(Deflate.inflate)
            else { return }
            try finished(ShardOutput(id: id, output: output))
            delivered.insert(id)
            report.shardsDelivered += 1
            progress.advance(by: 1)
        case "SHARD-FAILED":
            if let id = event.id, wanted.contains(id), !delivered.contains(id) {
                failure = .shardFailed(id: id, detail: oneLine(event.error ?? "no detail"))
            }
        case "ERROR":
            let detail = oneLine(event.detail ?? "no detail")
            failure = event.kind == "binary" ? .binaryCannotRun(detail) : .missingRequirement(detail)
        default: return
        }
    }

    /// Throws unless every wanted shard was delivered: the driver's own error when it printed
    /// one, else the last job's status and log tail.
    func requireEveryShard() throws(ClusterError) {
        guard delivered.count < wanted.count else { return }
        if let failure { throw failure }
        guard let lastJob else { throw .jobFailed(id: "?", status: "MISSING", lastLogLines: "") }
        let tail = lastJob.log.split(whereSeparator: \.isNewline).suffix(3).joined(separator: "\n")
        if let interpreter = Self.missingInterpreter(in: lastJob.log) {
            throw .missingRequirement("a Python interpreter '\(interpreter)' on the head node (--ray-python)")
        }
        throw .jobFailed(id: lastJob.id, status: lastJob.status, lastLogLines: oneLine(tail))
    }

    /// The interpreter the shell could not find (dash: `sh: 1: python9: not found`; bash:
    /// `bash: line 1: python9: command not found`), if that is why the job failed.
    static func missingInterpreter(in log: String) -> String? {
        for line in log.split(whereSeparator: \.isNewline)
        where line.hasSuffix(": not found") || line.hasSuffix(": command not found") {
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count >= 3 { return parts[parts.count - 2] }
        }
        return nil
    }
}
