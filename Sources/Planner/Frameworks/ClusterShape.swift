public import Domain

/// Where a plan runs: the GPUs (one training process each), the nodes they sit on, and the
/// per-device micro batch in samples (completions) — the numbers a framework's start-up checks
/// hold a batch against.
public struct ClusterShape: Codable, Hashable, Sendable {
    /// All GPUs, over all nodes.
    public let gpus: Int
    public let nodes: Int
    /// Samples (completions) per GPU per forward/backward pass.
    public let microBatch: Int

    /// `plan train`'s defaults: one node of 8 GPUs, micro batch 4 (docs/FRAMEWORKS.md says why).
    public static let defaultGPUs = 8
    public static let defaultMicroBatch = 4

    /// - Throws: a count outside 1…2^20, or GPUs that do not split evenly over the nodes.
    public init(gpus: Int = defaultGPUs, nodes: Int = 1, microBatch: Int = defaultMicroBatch) throws(DomainError) {
        let range = 1...Limits.maxFrameworkCount
        for (field, value) in [("gpus", gpus), ("nodes", nodes), ("micro-batch", microBatch)]
        where !range.contains(value) {
            throw .invalid(field: field, value: String(value), reason: "must lie in 1…2^20")
        }
        guard gpus % nodes == 0 else {
            throw .invalid(field: "gpus", value: String(gpus), reason: "must be a multiple of the \(nodes) nodes")
        }
        self.gpus = gpus
        self.nodes = nodes
        self.microBatch = microBatch
    }

    public var gpusPerNode: Int { gpus / nodes }
}
