/// Why a cluster engine could not run a job; each description is one line.
public enum ClusterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address is not a usable dashboard address (`http://host:8265`).
    case invalidAddress(String)
    /// No answer from the dashboard at the address: a transient failure, rerun to resume.
    case unreachable(address: String, detail: String)
    /// The dashboard answered with an error status.
    case rejected(request: String, status: Int, detail: String)
    /// The cluster's Python lacks what the driver needs (`ray`), or the interpreter itself.
    case missingRequirement(String)
    /// The isoplan binary cannot start on a worker (missing file, wrong architecture, missing library).
    case binaryCannotRun(String)
    /// A shard failed after its retries (the program's own error on the worker).
    case shardFailed(id: String, detail: String)
    /// The job ended without the outputs of every shard: its status and last log lines.
    case jobFailed(id: String, status: String, lastLogLines: String)
    /// The binary or a file of the job could not be read or packaged here.
    case packaging(String)

    public var description: String {
        switch self {
        case .invalidAddress(let address):
            "ray address '\(oneLine(address))' is not a dashboard URL (http://host:8265, as `ray job submit --address`)"
        case .unreachable(let address, let detail):
            "no Ray dashboard answers at \(address) (\(detail)); start the cluster or fix --ray-address, then rerun"
        case .rejected(let request, let status, let detail):
            "the Ray dashboard refused \(request) (HTTP \(status)): \(detail)"
        case .missingRequirement(let what): "the Ray cluster lacks \(what)"
        case .binaryCannotRun(let detail): "the isoplan binary cannot run on the Ray cluster: \(detail)"
        case .shardFailed(let id, let detail): "shard \(id) failed on the Ray cluster: \(detail)"
        case .jobFailed(let id, let status, let lines):
            "Ray job \(id) ended \(status) before every shard finished; its last log lines: \(lines)"
        case .packaging(let detail): "cannot package the job for Ray: \(detail)"
        }
    }
}
