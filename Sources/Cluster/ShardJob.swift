public import Domain
public import Foundation

/// One unit of a job: the program runs once per shard, on whichever worker the engine picks, as
/// `isoplan <command…> --spec <spec file> --output <result file>`; the result file's bytes come
/// back as the shard's output. The shard spec's format is its command's (docs/SCALE_OUT.md).
public struct Shard: Sendable, Hashable {
    /// Unique within its job and the same for the same work in every rerun; letters, digits, `.`,
    /// `_` and `-` (it names files on the worker).
    public var id: String
    /// The spec file's bytes.
    public var spec: Data

    public init(id: String, spec: Data) {
        self.id = id
        self.spec = spec
    }
}

/// Shards of one request and the command that runs each of them.
public struct ShardJob: Sendable {
    /// Identifies the request — all its work, not only the shards left to do — so a rerun of an
    /// interrupted request finds the job it submitted (`RayEngine` derives submission ids from it).
    public var requestKey: String
    /// The program's arguments before `--spec FILE --output FILE` (`["simulate", "shard"]`).
    public var command: [String]
    /// The shards still to run.
    public var shards: [Shard]

    public init(requestKey: String, command: [String], shards: [Shard]) {
        self.requestKey = requestKey
        self.command = command
        self.shards = shards
    }
}

/// A finished shard's result file.
public struct ShardOutput: Sendable {
    public var id: String
    public var output: Data

    public init(id: String, output: Data) {
        self.id = id
        self.output = output
    }
}

/// What a job's run did: the engine's jobs it submitted or re-attached to.
public struct ShardJobReport: Codable, Sendable, Equatable {
    /// One submission of the job to the engine.
    public struct Submission: Codable, Sendable, Equatable {
        /// The engine's id (Ray's submission id).
        public var id: String
        /// Shards this run of the program asked of it (0 for one it re-attached to).
        public var shardsSubmitted: Int
        /// True when an earlier run of the program submitted it and this one re-attached.
        public var reattached: Bool
        /// Where to watch it (Ray's dashboard page of the job).
        public var url: String?
    }

    public var submissions: [Submission] = []
    /// Shard outputs delivered to the caller.
    public var shardsDelivered = 0

    public init() {}
}

/// Runs a job's shards somewhere and hands back each output as it arrives.
public protocol ShardEngine: Sendable {
    /// Runs `job`'s shards and calls `finished` once per shard with its output, as each shard
    /// finishes, in any order, on the calling thread. An error thrown by `finished` ends the run
    /// (the engine's job may go on; a rerun re-attaches). Outputs of shards not in `job.shards`
    /// are never delivered.
    func run(
        _ job: ShardJob, progress: any ProgressReporter, finished: (ShardOutput) throws -> Void
    ) throws -> ShardJobReport
}
