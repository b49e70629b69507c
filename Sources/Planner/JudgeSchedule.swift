/// The judge of each PDR iteration: iteration t's select-K, and the final RTV over the last
/// iteration, use ``judge(forIteration:)``. The reference's judge is worse in iteration 1, where
/// candidates are more alike (61–67 % on SWE in iteration 0, 48–62 % in iteration 1).
public struct JudgeSchedule: Sendable, Hashable, Codable {
    /// Iteration 0 first; iterations beyond the list use its last judge.
    public var judges: [JudgeModel]

    public init(_ judges: [JudgeModel]) {
        precondition(!judges.isEmpty, "a schedule needs at least one judge")
        self.judges = judges
    }

    /// The same judge for every iteration.
    public init(_ judge: JudgeModel) {
        self.init([judge])
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let judges = try container.decode([JudgeModel].self, forKey: .judges)
        guard !judges.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .judges, in: container, debugDescription: "a schedule needs at least one judge")
        }
        self.judges = judges
    }

    /// The judge of iteration `t` (0-based).
    public func judge(forIteration t: Int) -> JudgeModel {
        judges[min(max(t, 0), judges.count - 1)]
    }
}
