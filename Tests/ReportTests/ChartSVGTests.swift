import Foundation
import IsoplanTestSupport
import Report
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses a chart's SVG and answers structural questions about it.
struct ParsedSVG {
    let root: XMLElement

    init(_ svg: String) throws {
        // Without the default namespace, XPath and attribute look-ups take plain names.
        let plain = svg.replacingOccurrences(of: " xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        root = try XMLDocument(xmlString: plain, options: []).rootElement()!
    }

    func elements(_ xpath: String) throws -> [XMLElement] {
        try root.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    func attribute(_ element: XMLElement, _ name: String) -> String? { element.attribute(forName: name)?.stringValue }
}

@Suite("SVG charts")
struct ChartSVGTests {
    static func sample() -> Chart {
        Chart(
            id: "sample", title: "Reward <vs> compute & more", caption: "c",
            x: Axis("compute", scale: .log10), y: Axis("reward"),
            series: [
                Series(
                    name: "n = 8", points: [ChartPoint(1e4, 0.40), ChartPoint(1e5, 0.50), ChartPoint(1e6, 0.55)],
                    color: Palette.category(0)),
                Series(
                    name: "n = 8 records", points: [ChartPoint(2e4, 0.42), ChartPoint(3e5, 0.52)], style: .markers,
                    color: Palette.category(0), inLegend: false),
                Series(
                    name: "n = \"32\"", points: [ChartPoint(1e4, 0.38), ChartPoint(0, 0.9), ChartPoint(1e6, 0.60)],
                    style: .lineAndMarkers, color: Palette.category(1)),
            ],
            bands: [
                Band(
                    name: "95% band", x: [1e4, 1e6], lower: [0.35, 0.5], upper: [0.45, 0.62], color: Palette.category(1)
                )
            ],
            annotations: [
                Annotation(.vertical(x: 2e5), label: "8→32"), Annotation(.horizontal(y: 0.58), label: "saturation"),
                Annotation(.point(x: 5e5, y: 0.56, lower: 0.5, upper: 0.6), label: "plan"),
            ])
    }

    @Test func everySeriesIsOnePathPerStyleAndTheLegendListsWhatItShould() throws {
        let chart = Self.sample()
        let svg = try ParsedSVG(chart.svg())
        #expect(svg.attribute(svg.root, "data-chart") == "sample")
        let series = try svg.elements("//*[@class='series']")
        #expect(series.map { svg.attribute($0, "data-name") } == ["n = 8", "n = 8 records", "n = \"32\""])
        for (element, spec) in zip(series, chart.series) {
            let lines = try element.nodes(forXPath: "*[@class='series-line']").count
            let markers = try element.nodes(forXPath: "*[@class='series-markers']").count
            #expect(lines == (spec.style == .markers ? 0 : 1), "\(spec.name): one line path")
            #expect(markers == (spec.style == .line ? 0 : 1), "\(spec.name): one marker path")
        }
        // The point at x = 0 cannot be placed on a log axis: the line lifts its pen there.
        let broken = try #require(try series[2].nodes(forXPath: "*[@class='series-line']").first as? XMLElement)
        let d = svg.attribute(broken, "d") ?? ""
        #expect(d.filter { $0 == "M" }.count == 2 && !d.contains("L"))
        let markerPath = try #require(try series[2].nodes(forXPath: "*[@class='series-markers']").first as? XMLElement)
        #expect((svg.attribute(markerPath, "d") ?? "").filter { $0 == "M" }.count == 2, "two placeable markers")
        let legend = try svg.elements("//*[@class='legend-entry']").map { svg.attribute($0, "data-name") }
        #expect(legend == ["n = 8", "n = \"32\"", "95% band"])
        #expect(try svg.elements("//*[@class='band']").count == 1)
        #expect(
            try svg.elements("//*[@class='annotation']").map { svg.attribute($0, "data-label") } == [
                "8→32", "saturation", "plan",
            ])
    }

    @Test func axesCarryTheirRangeAndReadableTickLabels() throws {
        let chart = Self.sample()
        let svg = try ParsedSVG(chart.svg())
        let layout = chart.layout()
        let x = try #require(try svg.elements("//*[@class='axis x-axis']").first)
        #expect(svg.attribute(x, "data-scale") == "log10")
        #expect(Double(svg.attribute(x, "data-lower") ?? "") == layout.x.lower)
        #expect(Double(svg.attribute(x, "data-upper") ?? "") == layout.x.upper)
        let xLabels = try x.nodes(forXPath: ".//*[@class='tick-label']").map { $0.stringValue ?? "" }
        #expect(xLabels == ["10k", "100k", "1M"])
        let yLabels = try svg.elements("//*[@class='axis y-axis']//*[@class='tick-label']").map { $0.stringValue ?? "" }
        #expect(yLabels == layout.y.ticks.map(\.label) && yLabels.count >= 3)
        // The band's and the annotations' values widen the y axis; the point at x = 0, which a
        // log axis cannot place, does not.
        #expect(layout.y.lower <= 0.35 && layout.y.upper >= 0.62 && layout.y.upper < 0.9)
        #expect(try svg.elements("//*[@class='axis-label']").map { $0.stringValue ?? "" } == ["compute", "reward"])
    }

    @Test func textIsEscapedAndTheDocumentIsStandalone() throws {
        let text = Self.sample().svg()
        #expect(text.contains("Reward &lt;vs&gt; compute &amp; more"))
        #expect(!text.contains("<script") && !text.contains("href") && !text.contains("@import"))
        _ = try ParsedSVG(text)  // well-formed XML
    }

    @Test func plottedPointsLandWhereTheAxesSay() throws {
        let chart = Chart(
            id: "p", title: "t", x: Axis("x", range: 0...10), y: Axis("y", range: 0...1),
            series: [Series(name: "s", points: [ChartPoint(0, 0), ChartPoint(10, 1)], color: .ink)])
        let layout = chart.layout()
        let svg = try ParsedSVG(chart.svg())
        let path = try #require(try svg.elements("//*[@class='series-line']").first)
        let numbers = (svg.attribute(path, "d") ?? "").split(whereSeparator: { "ML ".contains($0) }).compactMap {
            Double($0)
        }
        expectClose(
            numbers,
            [layout.plotLeft, layout.plotTop + layout.plotHeight, layout.plotLeft + layout.plotWidth, layout.plotTop],
            absolute: 0.051, "the path runs from the bottom-left to the top-right corner (one-decimal coordinates)")
    }

    @Test func legendGrowsTheChartInsteadOfOverflowing() {
        let many = (0..<30).map {
            Series(name: "s\($0)", points: [ChartPoint(1, Double($0))], color: Palette.category($0))
        }
        let chart = Chart(id: "m", title: "t", x: Axis("x"), y: Axis("y"), series: many, height: 300)
        let layout = chart.layout()
        #expect(layout.legend.count == 30)
        #expect(layout.plotTop + 8 + 29 * 18 < layout.height, "the last entry fits")
    }
}
