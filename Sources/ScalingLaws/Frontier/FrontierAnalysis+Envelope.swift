import Foundation

/// The winner at one compute, and which n are within noise of it.
struct Ranking {
    /// Index of the winning curve.
    var winner: Int
    var value: Double
    /// The winner beats the runner-up by more than `z·√(u_w² + u_r²)`, u the curves' uncertainty.
    var resolved: Bool
    /// log2 of the smallest and largest n within noise of the winner.
    var tiedLog2N: (lower: Double, upper: Double)
}

/// Step 3: the upper envelope of the group curves on a log grid, each curve only over its own
/// data range, with the noise-aware ranking at every grid point and the identified range.
struct Envelope {
    let curves: [GroupCurve]
    let options: FrontierOptions
    let grid: [FrontierPoint]
    /// Indices of the grid points the law is fitted on (`nil`: no point is resolved).
    let identifiedRange: ClosedRange<Int>?
    /// Per grid point, each curve's uncertainty there: `noise/√m`, m its evaluations within
    /// ``FrontierOptions/noiseWindowDecades`` of the point.
    let uncertainty: [[Double]]
    /// Per grid point, the index of the winning curve.
    let winners: [Int]

    /// The envelope of `curves`; `evaluations` holds, per curve, the sorted x of its group's
    /// seed-averaged evaluations.
    init(_ curves: [GroupCurve], evaluations: [[Double]], options: FrontierOptions) {
        self.curves = curves
        self.options = options
        let lo = log10(curves.map(\.xMin).min() ?? 1)
        let hi = log10(curves.map(\.xReach).max() ?? 1)
        let count = max(2, Int(((hi - lo) * Double(options.gridPointsPerDecade)).rounded(.up)) + 1)
        let all = (0..<count).map { pow(10, lo + (hi - lo) * Double($0) / Double(count - 1)) }
        let parameters = curves.map(\.fit.parameters)
        let window = pow(10, options.noiseWindowDecades)
        let allUncertainty = all.map { x in
            curves.indices.map { c in
                let near = evaluations[c].filter { $0 >= x / window && $0 <= x * window }.count
                return curves[c].noise / Double(max(1, near)).squareRoot()
            }
        }
        let ranked = all.indices.compactMap { i in
            Self.rank(curves, parameters: parameters, uncertainty: allUncertainty[i], at: all[i], options: options)
                .map { (i, $0) }
        }
        uncertainty = ranked.map { allUncertainty[$0.0] }
        winners = ranked.map(\.1.winner)
        let rawLog2 = ranked.map { log2(Double(curves[$0.1.winner].rolloutsPerProblem)) }
        let smoothed = runningAverage(rawLog2, window: options.runningAverageWindow)
        grid = ranked.indices.map { i in
            let (x, ranking) = (all[ranked[i].0], ranked[i].1)
            let winner = curves[ranking.winner]
            return FrontierPoint(
                x: x, value: ranking.value, rolloutsPerProblem: winner.rolloutsPerProblem,
                problemsPerBatch: winner.problemsPerBatch, smoothedLog2N: smoothed[i], resolved: ranking.resolved,
                tiedLog2N: [ranking.tiedLog2N.lower, ranking.tiedLog2N.upper])
        }
        identifiedRange = Self.identifiedRange(grid, winners: winners, curves: curves)
    }

    /// The noise-aware ranking of the curves (with the given parameters) at x, or `nil` when no
    /// curve's data cover x. A point covered by one curve only is a tie over every n.
    static func rank(
        _ curves: [GroupCurve], parameters: [[Double]], uncertainty: [Double], at x: Double, options: FrontierOptions
    ) -> Ranking? {
        let covering = curves.indices.filter { curves[$0].covers(x) }
        let values = covering.map { curves[$0].envelopeValue(parameters[$0], at: x) }
        guard let best = values.indices.max(by: { values[$0] < values[$1] }) else { return nil }
        let allLog2 = curves.map { log2(Double($0.rolloutsPerProblem)) }
        guard covering.count >= 2 else {
            return Ranking(
                winner: covering[best], value: values[best], resolved: false,
                tiedLog2N: (allLog2.min()!, allLog2.max()!))
        }
        var tied: [Double] = []
        var closestGap = Double.infinity
        for (j, c) in covering.enumerated() where j != best {
            let gap = values[best] - values[j]
            let noise = (uncertainty[covering[best]] * uncertainty[covering[best]] + uncertainty[c] * uncertainty[c])
                .squareRoot()
            closestGap = min(closestGap, gap - options.noiseSeparation * noise)
            if gap <= options.noiseSeparation * noise { tied.append(allLog2[c]) }
        }
        tied.append(allLog2[covering[best]])
        return Ranking(
            winner: covering[best], value: values[best], resolved: closestGap > 0,
            tiedLog2N: (tied.min()!, tied.max()!))
    }

    /// From the first to the last resolved grid point, cut where the winner changes because a
    /// curve's data range ends while it leads (the range ends there) or begins (the points before
    /// missed that contender).
    static func identifiedRange(_ grid: [FrontierPoint], winners: [Int], curves: [GroupCurve]) -> ClosedRange<Int>? {
        guard var lo = grid.firstIndex(where: \.resolved), var hi = grid.lastIndex(where: \.resolved) else {
            return nil
        }
        var i = lo + 1
        while i <= hi {
            defer { i += 1 }
            guard winners[i] != winners[i - 1] else { continue }
            let (previous, next) = (curves[winners[i - 1]], curves[winners[i]])
            if !previous.covers(grid[i].x) {  // x only grows: the leader's data have ended
                hi = i - 1
            } else if !next.covers(grid[i - 1].x) {
                lo = i
            }
        }
        guard lo <= hi, grid[lo...hi].contains(where: \.resolved) else { return nil }
        return lo...hi
    }

    /// The law's data over the identified range: x and the running averages of the tied
    /// intervals' ends (the running average sees no point outside the range).
    func lawData(rankings: [Ranking]? = nil, upTo cut: Double? = nil) -> (x: [Double], lower: [Double], upper: [Double])
    {
        guard let range = identifiedRange else { return ([], [], []) }
        let indices = range.filter { cut == nil || grid[$0].x <= cut! }
        let tied = indices.map { i in
            rankings.map { ($0[i].tiedLog2N.lower, $0[i].tiedLog2N.upper) } ?? (
                grid[i].tiedLog2N[0], grid[i].tiedLog2N[1]
            )
        }
        let window = options.runningAverageWindow
        return (
            indices.map { grid[$0].x }, runningAverage(tied.map(\.0), window: window),
            runningAverage(tied.map(\.1), window: window)
        )
    }

    /// Handovers between resolved winners inside the identified range: segments of one winner
    /// that hold at least one resolved point, joined where their n differ; the crossing is
    /// located by bisection between the segments (a tie region may lie between them).
    func handovers() -> [Handover] {
        guard let range = identifiedRange else { return [] }
        var segments: [(curve: Int, first: Int, last: Int)] = []
        for i in range where grid[i].resolved {
            let curve = winners[i]
            if let last = segments.last, last.curve == curve {
                segments[segments.count - 1].last = i
            } else {
                segments.append((curve, i, i))
            }
        }
        // Consecutive segments have different winners: equal ones were merged above.
        return zip(segments, segments.dropFirst()).map { a, b in
            let (from, to) = (curves[a.curve], curves[b.curve])
            let crossing = FrontierAnalysis.bisectCrossing(from, to, from: grid[a.last].x, to: grid[b.first].x)
            return Handover(
                x: crossing ?? (grid[a.last].x * grid[b.first].x).squareRoot(), fromN: from.rolloutsPerProblem,
                toN: to.rolloutsPerProblem, isCrossing: crossing != nil)
        }
    }

    /// What would identify the frontier better, in plain words.
    func missingData() -> [String] {
        let ns = Set(curves.map(\.rolloutsPerProblem))
        let format = { (x: Double) in String(format: "%.3g", x) }
        let unit = options.fixedBatch == nil ? "rollouts" : "steps"
        guard let range = identifiedRange else {
            return [
                "no compute where one n beats the others by more than the noise (z = \(options.noiseSeparation)): "
                    + "need more seeds per configuration, or runs to higher compute"
            ]
        }
        let winners = Set(range.filter { grid[$0].resolved }.map { grid[$0].rolloutsPerProblem })
        let top = grid[range.upperBound].x
        guard winners.count >= 2 else {
            let n = winners.first!
            if n == ns.max()! {
                return [
                    "n* is the largest n tried (\(n)) by \(format(top)) \(unit): need runs at n ≥ \(2 * n) beyond \(format(grid[range.lowerBound].x)) \(unit)"
                ]
            }
            if n == ns.min()! {
                return [
                    "n* is the smallest n tried (\(n)): need runs at n ≤ \(max(1, n / 2)), or to higher compute than \(format(top)) \(unit)"
                ]
            }
            return [
                "n* = \(n) over the whole identified range: need runs beyond \(format(top)) \(unit) (n ≥ \(2 * n)) to see it change"
            ]
        }
        return [
            "the law's parameters are not pinned by the identified range \(format(grid[range.lowerBound].x))–\(format(top)) \(unit): need runs at n ≥ \(2 * winners.max()!) beyond \(format(top)) \(unit)"
        ]
    }
}
