import Foundation
import IsoplanTestSupport
import Report
import ScalingLaws
import Testing

@Suite("IsoCompute and test-time charts")
struct DomainChartTests {
    /// A frontier of the synthetic per-n sigmoids (n = 8…512, handovers known), with a law bootstrap.
    static let analysis: FrontierAnalysis = {
        let runs = SyntheticRuns.truth.keys.sorted().map { n in
            RunSeries(
                label: "n\(n)", rolloutsPerProblem: n, problemsPerBatch: SyntheticRuns.problemsPerBatch,
                // A little deterministic noise, so the bootstrap band has a width.
                points: SyntheticRuns.points(n: n).map {
                    ($0.step, $0.rollouts, $0.value + 0.004 * sin(Double($0.step) * 12.9898))
                })
        }
        var options = FrontierOptions()
        options.bootstrapResamples = 40
        return try! FrontierAnalysis.analyze(runs, options: options, workers: 2)
    }()

    @Test func rewardChartHasOneCurveAndOneRecordSetPerNPlusTheEnvelope() throws {
        let a = Self.analysis
        let chart = FrontierCharts.rewardVsCompute(a, xLabel: "compute C (rollouts)", yLabel: "reward", caption: "")
        #expect(chart.series.count == 1 + 2 * a.curves.count)
        #expect(chart.series[0].name == "frontier envelope" && chart.series[0].points.count == a.grid.count)
        #expect(
            chart.layout().legend.map(\.name) == ["frontier envelope"] + a.curves.map { "n = \($0.rolloutsPerProblem)" }
        )
        #expect(chart.annotations.count == a.handovers.count && a.handovers.count >= 3)
        // Each fitted curve stays on its own data range.
        for (curve, line) in zip(
            a.curves, chart.series.dropFirst().enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        {
            #expect(line.points.first!.x >= curve.xMin * (1 - 1e-9) && line.points.last!.x <= curve.xMax * (1 + 1e-9))
        }
        let layout = chart.layout()
        #expect(
            layout.x.scale == .log10 && layout.x.lower <= a.curves.map(\.xMin).min()!
                && layout.x.upper >= a.curves.map(\.xMax).max()!)
        let svg = try ParsedSVG(chart.svg())
        #expect(try svg.elements("//*[@class='series-line']").count == 1 + a.curves.count)
        #expect(try svg.elements("//*[@class='series-markers']").count == a.curves.count)
    }

    /// An unidentified law is drawn as a line, marked, without a band: its bootstrap does not
    /// measure what the data lack.
    @Test func anUnidentifiedLawIsDrawnWithoutABand() throws {
        var a = Self.analysis
        #expect(!FrontierCharts.allocationLaw(a, xLabel: "compute", caption: "").bands.isEmpty)
        a.lawIdentified = false
        a.lawReason = "k on a bound"
        let chart = FrontierCharts.allocationLaw(a, xLabel: "compute", caption: "")
        #expect(chart.bands.isEmpty && chart.series.contains { $0.name == "fitted law" })
        let fixed = FrontierCharts.fixedBatch(a, batch: 8192, id: "fixed", caption: "")
        #expect(fixed.bands.isEmpty && fixed.series.contains { $0.name == "n*(M) law (not identified)" })
    }

    @Test func lawChartShowsTheBandFloorAndSaturation() throws {
        let a = Self.analysis
        let law = try #require(a.law)
        let chart = FrontierCharts.allocationLaw(a, xLabel: "compute", caption: "")
        #expect(chart.y.scale == .log2)
        let band = try #require(chart.bands.first)
        let line = try #require(chart.series.first { $0.name == "fitted law" })
        let inside = zip(line.points, zip(band.lower, band.upper)).filter { p, b in
            b.0 <= p.y * (1 + 1e-6) && p.y <= b.1 * (1 + 1e-6)
        }.count
        #expect(zip(band.lower, band.upper).contains { $1 > $0 * 1.01 }, "the band has a width")
        #expect(
            Double(inside) >= 0.9 * Double(line.points.count),
            "the fit lies inside its bootstrap band: \(zip(line.points, zip(band.lower, band.upper)).map { "\($0.0.y) [\($0.1.0), \($0.1.1)]" }.prefix(60))"
        )
        let family = AllocationLaw()
        expectClose(log2(line.points[0].y), family.value(law.parameters, at: [line.points[0].x]), absolute: 1e-12)
        let labels = chart.annotations.map(\.label)
        #expect(labels.contains { $0.hasPrefix("floor") } == (a.floorN != nil))
        #expect(labels.contains { $0.hasPrefix("saturation") } == (a.saturationN != nil))
        if let floor = a.floorN, let saturation = a.saturationN {
            let layout = chart.layout()
            #expect(layout.y.lower <= floor && layout.y.upper >= saturation, "both marks are on the axis")
        }
    }

    @Test func trainingChartsGroupTheirSeries() throws {
        let cells = [8, 32, 128].flatMap { n in
            [32, 64].map { bp in
                SettingReward(
                    rolloutsPerProblem: n, problemsPerBatch: bp,
                    bestReward: 0.5 + 0.01 * log2(Double(n)) - 0.001 * Double(bp), runs: 2)
            }
        }.shuffled()
        let sensitivity = TrainingCharts.batchSensitivity(cells, yLabel: "best reward", caption: "")
        #expect(sensitivity.series.map(\.name) == ["B_p = 32", "B_p = 64"])
        #expect(sensitivity.series.allSatisfy { $0.points.map(\.x) == [8, 32, 128] })
        #expect(sensitivity.layout().x.ticks.map(\.label) == ["8", "16", "32", "64", "128"])

        let trajectory = PassRateTrajectory(
            label: "n = 8", compute: [1e4, 1e5, 1e6],
            quantiles: [[0.1, 0.2, 0.4, 0.6, 0.7], [0.2, 0.3, 0.5, 0.7, 0.8], [0.5, 0.7, 0.9, 1, 1]])
        var second = trajectory
        second.label = "n = 256"
        let distribution = TrainingCharts.passRateDistribution([trajectory, second], xLabel: "compute", caption: "")
        #expect(distribution.bands.count == 4 && distribution.series.count == 2)
        #expect(
            distribution.layout().legend.map(\.name) == [
                "n = 8: median", "n = 256: median", "10–90 % of problems", "25–75 % of problems",
            ])
        #expect(distribution.layout().y.lower == 0 && distribution.layout().y.upper == 1)
    }

    @Test func testTimeChartsMarkTheRecommendation() throws {
        let passAtK = TestTimeCharts.passAtK(
            measured: [ChartPoint(1, 0.5), ChartPoint(5, 0.64)],
            fitted: [1, 2, 4, 8].map { ChartPoint($0, 0.5 + 0.04 * log2($0)) },
            band: ([1, 8], [0.4, 0.6], [0.6, 0.75]), system: "agent", caption: "")
        #expect(passAtK.layout().x.ticks.map(\.label) == ["1", "2", "4", "8"])
        #expect(
            passAtK.layout().legend.map(\.name) == [
                "fitted E[pass@k]", "measured (unbiased)", "fit 95% bootstrap band",
            ])
        let budget = TestTimeCharts.accuracyVsBudget(
            curve: [ChartPoint(100, 0.5), ChartPoint(500, 0.58), ChartPoint(2e4, 0.9)],
            recommended: ChartPoint(497, 0.578), interval: 0.425...0.725,
            recommendedLabel: "N=4,G=2,V=8", budget: 500, unitLabel: "USD", caption: "")
        let svg = try ParsedSVG(budget.svg())
        let marks = try svg.elements("//*[@class='annotation']").map { svg.attribute($0, "data-label") }
        #expect(marks == ["N=4,G=2,V=8", "budget"])
        #expect(budget.layout().x.lower == 100 && budget.layout().x.upper == 20_000)
    }
}
