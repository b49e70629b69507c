public import Domain

/// The sweeps of the IsoCompute study (`isoplan simulate sweep --preset NAME`).
public struct SweepPreset: Sendable, Hashable {
    public let name: String
    public let difficulty: Difficulty
    /// Train problems (the paper's sets: about 6,000 easy, 5,000 hard) and C_max in rollouts.
    public let trainSize: Int
    public let budget: Double
    /// (n, B_p, fixed B) of every configuration, before the dataset-size check.
    public let grid: [(n: Int, bp: Int, fixedBatch: Int?)]

    /// A grid of one's own (the closed loop's B_p = 32 row); only the study's presets are in `all`.
    public init(
        name: String, difficulty: Difficulty, trainSize: Int, budget: Double,
        grid: [(n: Int, bp: Int, fixedBatch: Int?)]
    ) {
        self.name = name
        self.difficulty = difficulty
        self.trainSize = trainSize
        self.budget = budget
        self.grid = grid
    }

    public static let all: [SweepPreset] = [q1Easy, q1Hard, q2Easy, q3Easy, q3Hard]

    public static func named(_ name: String) -> SweepPreset? { all.first { $0.name == name } }

    static let powers = (3...11).map { 1 << $0 }  // 8…2048

    /// Q1: B_p ∈ {32…1024} × n ∈ {8…2048}, B_p·n ≤ B_max (65,536 easy, 16,384 hard).
    static func q1(maximumBatch: Int) -> [(n: Int, bp: Int, fixedBatch: Int?)] {
        (5...10).map { 1 << $0 }.flatMap { bp in
            powers.filter { bp * $0 <= maximumBatch }.map { (n: $0, bp: bp, fixedBatch: nil) }
        }
    }

    /// Q2: fixed B ∈ {4096, 8192, 16384}, B_p ∈ {8…1024} with n = B/B_p ∈ {8…2048}.
    static func q2() -> [(n: Int, bp: Int, fixedBatch: Int?)] {
        [4096, 8192, 16384].flatMap { b in
            (3...10).map { 1 << $0 }.filter { b / $0 >= 8 && b / $0 <= 2048 }.map { (n: b / $0, bp: $0, fixedBatch: b) }
        }
    }

    /// The union of Q1 and Q2 as free (n, B_p) pairs.
    static func union(_ a: [(n: Int, bp: Int, fixedBatch: Int?)], _ b: [(n: Int, bp: Int, fixedBatch: Int?)])
        -> [(n: Int, bp: Int, fixedBatch: Int?)]
    {
        var seen = Set<[Int]>()
        return (a + b).compactMap { seen.insert([$0.n, $0.bp]).inserted ? (n: $0.n, bp: $0.bp, fixedBatch: nil) : nil }
    }

    public static let q1Easy = SweepPreset(
        name: "isocompute-q1-easy", difficulty: .easy, trainSize: 6000, budget: 1e7,
        grid: q1(maximumBatch: 65_536))
    public static let q1Hard = SweepPreset(
        name: "isocompute-q1-hard", difficulty: .hard, trainSize: 5000, budget: 1e7,
        grid: q1(maximumBatch: 16_384))
    public static let q2Easy = SweepPreset(
        name: "isocompute-q2-easy", difficulty: .easy, trainSize: 6000, budget: 1e7, grid: q2())
    public static let q3Easy = SweepPreset(
        name: "isocompute-q3-easy", difficulty: .easy, trainSize: 6000, budget: 1e7,
        grid: union(q1(maximumBatch: 65_536), q2()))
    public static let q3Hard = SweepPreset(
        name: "isocompute-q3-hard", difficulty: .hard, trainSize: 5000, budget: 1e7,
        grid: union(q1(maximumBatch: 16_384), q2().filter { $0.n * $0.bp <= 16_384 }))

    public static func == (a: SweepPreset, b: SweepPreset) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The configurations for `seeds` seeds, `budget` and a train set of `trainSize`: those with
    /// B_p above the train set are dropped and returned apart.
    public func configurations(seeds: Int, budget: Double? = nil, trainSize: Int? = nil)
        -> (kept: [SimulationConfiguration], dropped: [SimulationConfiguration])
    {
        let all = grid.flatMap { entry in
            (0..<seeds).map {
                SimulationConfiguration(
                    rolloutsPerProblem: entry.n, problemsPerBatch: entry.bp,
                    budget: budget ?? self.budget, seed: UInt64($0), fixedBatch: entry.fixedBatch)
            }
        }
        let limit = trainSize ?? self.trainSize
        return (all.filter { $0.problemsPerBatch <= limit }, all.filter { $0.problemsPerBatch > limit })
    }
}
