public import Domain
public import Foundation

/// Runs a job's shards on a Ray cluster through its dashboard's Jobs API (docs/SCALE_OUT.md).
///
/// A job is a package of the driver, `job.json` and the shard specs (the job's `working_dir`),
/// plus the isoplan binary (a `py_modules` package, uploaded once per binary) unless the binary
/// sits on a shared filesystem. Its submission id is `isoplan-<request hash>-<attempt>`: a rerun
/// of the same request finds its earlier attempts, collects what they finished from their logs,
/// re-attaches to one still running, and submits a new attempt only for shards none delivered.
public struct RayEngine: ShardEngine {
    /// How the isoplan binary reaches the workers.
    public enum BinaryPlacement: Sendable, Equatable {
        /// This binary (and its resource bundles) uploaded to the cluster with the job.
        case upload(path: String)
        /// A path valid on every node (a shared filesystem); nothing is uploaded.
        case shared(path: String)
    }

    public struct Settings: Sendable {
        /// The dashboard's base URL (`http://127.0.0.1:8265`).
        public var address: URL
        public var binary: BinaryPlacement
        /// The Python that runs the driver on the head node (it must have `ray`).
        public var python = "python"
        /// CPUs Ray reserves for each shard's task, and custom resources (agent sandboxes).
        public var cpusPerTask = 1.0
        public var resources: [String: Double] = [:]
        /// Ray's retries of a task whose worker process or node was lost.
        public var maxRetries = 3
        /// Seconds between two polls of the job.
        public var pollInterval = 0.5

        public init(address: URL, binary: BinaryPlacement) {
            self.address = address
            self.binary = binary
        }
    }

    public var settings: Settings

    public init(settings: Settings) { self.settings = settings }

    /// The dashboard address `text` names: `http(s)://host:port`, or `host:port` for http. Ray's
    /// own convention (`RAY_ADDRESS`, `ray job submit --address`).
    public static func address(_ text: String) throws(ClusterError) -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let url = URL(string: withScheme), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil, !trimmed.isEmpty
        else { throw .invalidAddress(text) }
        let base = url.absoluteString
        return URL(string: base.hasSuffix("/") ? String(base.dropLast()) : base) ?? url
    }

    public func run(
        _ job: ShardJob, progress: any ProgressReporter, finished: (ShardOutput) throws -> Void
    ) throws -> ShardJobReport {
        let client = RayJobsClient(address: settings.address)
        var session = RaySession(
            job: job, client: client, progress: progress, pollInterval: settings.pollInterval)
        progress.begin("Ray shards", total: job.shards.count)
        defer { progress.end() }
        // The binary is part of the identity: a rebuilt program never re-attaches to, or reads
        // outputs from, a job of another build.
        var binaryPackage: RayPackage?
        let binaryIdentity: String
        switch settings.binary {
        case .upload(let path):
            let package = try RayPackage.binary(at: path)
            binaryPackage = package
            binaryIdentity = package.name
        case .shared(let path):
            // The path and, where this machine sees the file too, its size and time of change.
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.stringValue ?? "?"
            let changed = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            binaryIdentity = "\(path) \(size) \(changed)"
        }
        // So are the task settings: a rerun with other resources or another Python is a new job.
        let resources = settings.resources.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let key = [
            job.requestKey, binaryIdentity, settings.python, String(settings.cpusPerTask),
            resources.joined(separator: ","), String(settings.maxRetries),
        ].joined(separator: "\n")
        let base = "isoplan-" + String(StableHash.contentHash(Array(key.utf8)).prefix(16))
        var attempt = 1
        // Earlier attempts of this request: collect what they finished, waiting for a running one.
        while try client.job("\(base)-\(attempt)") != nil {
            let id = "\(base)-\(attempt)"
            session.report.submissions.append(
                ShardJobReport.Submission(id: id, shardsSubmitted: 0, reattached: true, url: client.pageURL(ofJob: id)))
            progress.status("re-attached to job \(id)")
            try session.follow(id, finished: finished)
            attempt += 1
        }
        let remaining = job.shards.filter { !session.delivered.contains($0.id) }
        if !remaining.isEmpty {
            let id = "\(base)-\(attempt)"
            try submit(id, shards: remaining, job: job, binary: binaryPackage, client: client)
            session.report.submissions.append(
                ShardJobReport.Submission(
                    id: id, shardsSubmitted: remaining.count, reattached: false, url: client.pageURL(ofJob: id)))
            progress.status("job \(id): \(client.pageURL(ofJob: id))")
            try session.follow(id, finished: finished)
        }
        try session.requireEveryShard()
        return session.report
    }

    private func submit(
        _ id: String, shards: [Shard], job: ShardJob, binary: RayPackage?, client: RayJobsClient
    ) throws(ClusterError) {
        var modules: [String]?
        var place: [String: String] = ["module": RayPackage.binaryModule]
        if let binary {
            modules = [try binary.ensureUploaded(to: client)]
        } else if case .shared(let path) = settings.binary {
            place = ["path": path]
        }
        let manifest = RayPackage.Manifest(
            command: job.command, shards: shards.map(\.id), binary: place, cpusPerTask: settings.cpusPerTask,
            resources: settings.resources, maxRetries: settings.maxRetries)
        let workingDirectory = try RayPackage.job(manifest, shards: shards).ensureUploaded(to: client)
        try client.submit(
            .init(
                entrypoint: "\(shellQuoted(settings.python)) \(RayPackage.driverName) job.json",
                submissionID: id,
                runtimeEnvironment: .init(workingDirectory: workingDirectory, pythonModules: modules),
                metadata: ["isoplan_request": job.requestKey, "isoplan_shards": String(shards.count)]))
    }
}

/// `text` quoted for a POSIX shell.
func shellQuoted(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@".contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
