import Foundation
import NumericCore
public import ScalingLaws

/// The IsoCompute figures (isocompute-playbook.md §11, Figs. 5, 6 and 8) drawn from a
/// ``ScalingLaws/FrontierAnalysis``.
public enum FrontierCharts {
    /// Reward vs compute per n (Fig. 5): each group's record-breaking points and fitted sigmoid
    /// over its own data range, the upper envelope underlaid, handovers marked.
    /// - Parameters:
    ///   - xLabel: the compute axis's label (rollouts or tokens, or steps at a fixed batch).
    ///   - yLabel: the metric's label.
    public static func rewardVsCompute(
        _ analysis: FrontierAnalysis, id: String = "reward-vs-compute",
        xLabel: String, yLabel: String, caption: String
    ) -> Chart {
        let colors = colorsByN(analysis.curves.map(\.rolloutsPerProblem))
        var series = [
            Series(
                name: "frontier envelope", points: analysis.grid.map { ChartPoint($0.x, $0.value) },
                color: ChartColor(hex: "#b8b8b8"), lineWidth: 7)
        ]
        for curve in analysis.curves {
            let name = groupName(curve)
            let color = colors[curve.rolloutsPerProblem]!
            series.append(
                Series(
                    name: name,
                    points: logGrid(from: curve.xMin, to: curve.xMax, count: 60).map {
                        ChartPoint($0, curve.value(at: $0))
                    },
                    color: color))
            series.append(
                Series(
                    name: "\(name): record-breaking points",
                    points: curve.recordPoints.map { ChartPoint($0[0], $0[1]) },
                    style: .markers, color: color, markerRadius: 2.6, inLegend: false))
        }
        let handovers = analysis.handovers.map { h in
            Annotation(.vertical(x: h.x), label: "\(h.fromN)→\(h.toN)", color: ChartColor.muted)
        }
        return Chart(
            id: id, title: "Reward vs compute per n, with the compute-optimal frontier", caption: caption,
            x: Axis(xLabel, scale: .log10), y: Axis(yLabel), series: series, annotations: handovers)
    }

    /// n*(C) (Fig. 6): the frontier's winning n on the grid, its running average, the fitted
    /// allocation law with its bootstrap 95% band, and floor 2^b and saturation 2^(b+L) when
    /// identified.
    public static func allocationLaw(
        _ analysis: FrontierAnalysis, id: String = "allocation-law", xLabel: String,
        caption: String
    ) -> Chart {
        let xs = analysis.grid.map(\.x)
        var series = [
            Series(
                name: "frontier n*", points: analysis.grid.map { ChartPoint($0.x, Double($0.rolloutsPerProblem)) },
                style: .markers, color: Palette.category(0), markerRadius: 2.8),
            Series(
                name: "running average", points: analysis.grid.map { ChartPoint($0.x, pow(2, $0.smoothedLog2N)) },
                color: Palette.category(5), dashed: true),
        ]
        var bands: [Band] = []
        var annotations: [Annotation] = []
        if let law = analysis.law {
            let family = AllocationLaw(input: analysis.axis == "steps" ? .linear : .log10)
            series.append(
                Series(
                    name: "fitted law",
                    points: xs.map { ChartPoint($0, pow(2, family.value(law.parameters, at: [$0]))) },
                    color: Palette.category(4), lineWidth: 2.4))
            // An unidentified law's bootstrap says nothing the data support: no band.
            if analysis.lawIdentified,
                let band = bootstrapBand(
                    analysis.lawBootstrap, family: family, at: xs, name: "law 95% bootstrap band",
                    color: Palette.category(4))
            {
                bands.append(band)
            }
            if let floor = analysis.floorN {
                annotations.append(Annotation(.horizontal(y: floor), label: String(format: "floor 2^b ≈ %.0f", floor)))
            }
            if let saturation = analysis.saturationN {
                annotations.append(
                    Annotation(
                        .horizontal(y: saturation), label: String(format: "saturation 2^(b+L) ≈ %.0f", saturation)))
            }
        }
        return Chart(
            id: id, title: "Compute-optimal rollouts per problem n*(C)", caption: caption,
            x: Axis(xLabel, scale: .log10), y: Axis("n* (rollouts per problem)", scale: .log2), series: series,
            bands: bands, annotations: annotations)
    }

    /// Fixed batch B = B_p·n (Fig. 8): n*(M) and B_p*(M) = B / n*(M) against update steps, with
    /// the two fitted laws.
    public static func fixedBatch(_ analysis: FrontierAnalysis, batch: Int, id: String, caption: String) -> Chart {
        let family = AllocationLaw(input: .linear)
        let xs = analysis.grid.map(\.x)
        let (nColor, bColor) = (Palette.category(0), Palette.category(1))
        var series = [
            Series(
                name: "n* on the frontier",
                points: analysis.grid.map { ChartPoint($0.x, Double($0.rolloutsPerProblem)) },
                style: .markers, color: nColor, markerRadius: 2.8),
            Series(
                name: "B_p* = B / n*",
                points: analysis.grid.map { ChartPoint($0.x, Double(batch) / Double($0.rolloutsPerProblem)) },
                style: .markers, color: bColor, markerRadius: 2.8),
        ]
        var bands: [Band] = []
        if let law = analysis.law {
            series.append(
                Series(
                    name: analysis.lawIdentified ? "n*(M) law" : "n*(M) law (not identified)",
                    points: xs.map { ChartPoint($0, pow(2, family.value(law.parameters, at: [$0]))) },
                    color: nColor, lineWidth: 2.2))
            if analysis.lawIdentified,
                let band = bootstrapBand(
                    analysis.lawBootstrap, family: family, at: xs, name: "n*(M) 95% band", color: nColor)
            {
                bands.append(band)
            }
        }
        if let law = analysis.batchLaw {
            series.append(
                Series(
                    name: analysis.batchLawIdentified == true ? "B_p*(M) law" : "B_p*(M) law (not identified)",
                    points: xs.map { ChartPoint($0, pow(2, family.value(law.parameters, at: [$0]))) },
                    color: bColor, lineWidth: 2.2, dashed: true))
        }
        return Chart(
            id: id, title: "Fixed batch B = \(batch): n*(M) and B_p*(M)", caption: caption,
            x: Axis("update steps M", scale: .log10),
            y: Axis("rollouts per problem / problems per batch", scale: .log2),
            series: series, bands: bands)
    }

    /// The pointwise 2.5 % and 97.5 % quantiles of 2^law over the bootstrap's parameter samples.
    static func bootstrapBand(
        _ bootstrap: BootstrapSummary?, family: AllocationLaw, at xs: [Double], name: String,
        color: ChartColor
    ) -> Band? {
        guard let samples = bootstrap?.samples, samples.count >= 10, !xs.isEmpty else { return nil }
        var lower: [Double] = []
        var upper: [Double] = []
        for x in xs {
            let values = samples.map { pow(2, family.value($0, at: [x])) }.filter(\.isFinite)
            let q = quantiles(values, [0.025, 0.975])
            lower.append(q[0])
            upper.append(q[1])
        }
        return Band(name: name, x: xs, lower: lower, upper: upper, color: color, opacity: 0.18)
    }

    static func groupName(_ curve: GroupCurve) -> String {
        curve.problemsPerBatch.map { "B_p = \($0), n = \(curve.rolloutsPerProblem)" }
            ?? "n = \(curve.rolloutsPerProblem)"
    }

    /// One ordered colour per distinct n.
    static func colorsByN(_ ns: [Int]) -> [Int: ChartColor] {
        let distinct = Array(Set(ns)).sorted()
        return Dictionary(uniqueKeysWithValues: zip(distinct, Palette.sequential(count: distinct.count)))
    }
}

/// `count` log-spaced values from `lo` to `hi` (both > 0).
func logGrid(from lo: Double, to hi: Double, count: Int) -> [Double] {
    guard lo > 0, hi > lo, count >= 2 else { return [lo] }
    return (0..<count).map { lo * pow(hi / lo, Double($0) / Double(count - 1)) }
}
