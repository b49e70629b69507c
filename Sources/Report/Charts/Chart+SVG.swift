import Foundation

extension Chart {
    /// The chart's layout: the resolved axes (ranges and ticks) and the plot area in pixels.
    public struct Layout: Sendable, Equatable {
        public var x: Axis.Resolved
        public var y: Axis.Resolved
        /// Plot area: left, top, width, height in view-box pixels.
        public var plotLeft: Double
        public var plotTop: Double
        public var plotWidth: Double
        public var plotHeight: Double
        /// The legend's entries, in order.
        public var legend: [LegendEntry]
        /// The view box's height (grown when the legend needs it).
        public var height: Double

        func px(_ x: Double) -> Double { plotLeft + self.x.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { plotTop + (1 - self.y.fraction(y)) * plotHeight }
    }

    /// A legend line: a series, a band or an annotation.
    public struct LegendEntry: Sendable, Equatable {
        public enum Swatch: String, Sendable { case line, dashedLine, marker, area }
        public var name: String
        public var color: ChartColor
        public var swatch: Swatch
    }

    /// Every x and y value the chart draws (series, bands, annotations), for fitting the axes.
    var dataValues: (x: [Double], y: [Double]) {
        let placeable = { (p: ChartPoint) in
            p.x.isFinite && p.y.isFinite && (self.x.scale == .linear || p.x > 0) && (self.y.scale == .linear || p.y > 0)
        }
        let points = series.flatMap { $0.points.filter(placeable) }
        var xs = points.map(\.x) + bands.flatMap(\.x)
        var ys = points.map(\.y) + bands.flatMap { $0.lower + $0.upper }
        for annotation in annotations {
            switch annotation.kind {
            case .vertical(let x): xs.append(x)
            case .horizontal(let y): ys.append(y)
            case .point(let x, let y, let lower, let upper):
                xs.append(x)
                ys += [y] + [lower, upper].compactMap { $0 }
            }
        }
        return (xs, ys)
    }

    /// Resolves the axes over the data and places the plot area and legend.
    public func layout() -> Layout {
        let values = dataValues
        var legend: [LegendEntry] = series.filter(\.inLegend).map {
            LegendEntry(
                name: $0.name, color: $0.color,
                swatch: $0.style == .markers ? .marker : ($0.dashed ? .dashedLine : .line))
        }
        legend += bands.filter(\.inLegend).map { LegendEntry(name: $0.name, color: $0.color, swatch: .area) }
        let legendWidth = legend.isEmpty ? 0.0 : 170
        let top = 40.0
        let bottom = 52.0
        let left = 68.0
        let right = 18.0
        let neededHeight = top + 22 + Double(legend.count) * 18 + bottom
        let height = max(self.height, neededHeight)
        return Layout(
            x: x.resolve(over: values.x), y: y.resolve(over: values.y), plotLeft: left, plotTop: top,
            plotWidth: width - left - right - legendWidth, plotHeight: height - top - bottom, legend: legend,
            height: height)
    }

    /// The chart as a standalone SVG document: no scripts, no external fonts or images; every
    /// series is one `<path>` (its line, and one more for its markers), grouped and named with
    /// `data-` attributes so that tests and readers can find them.
    public func svg() -> String {
        let l = layout()
        let clip = "clip-\(id)"
        var out: [String] = []
        out.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"\(escapedAttribute(id))\" viewBox=\"0 0 \(coordinate(width)) \(coordinate(l.height))\" width=\"\(coordinate(width))\" height=\"\(coordinate(l.height))\" role=\"img\" aria-labelledby=\"\(escapedAttribute(id))-title\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
        )
        out.append("<title id=\"\(escapedAttribute(id))-title\">\(escapedText(title))</title>")
        out.append(
            "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(coordinate(width))\" height=\"\(coordinate(l.height))\" fill=\"#ffffff\"/>"
        )
        out.append(
            "<text class=\"chart-title\" x=\"\(coordinate(l.plotLeft))\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"\(ChartColor.ink)\">\(escapedText(title))</text>"
        )
        out.append(contentsOf: axisSVG(l))
        out.append(
            "<clipPath id=\"\(escapedAttribute(clip))\"><rect x=\"\(coordinate(l.plotLeft - 6))\" y=\"\(coordinate(l.plotTop - 6))\" width=\"\(coordinate(l.plotWidth + 12))\" height=\"\(coordinate(l.plotHeight + 12))\"/></clipPath>"
        )
        out.append("<g class=\"plot\" clip-path=\"url(#\(escapedAttribute(clip)))\">")
        for band in bands { out.append(bandSVG(band, l)) }
        for series in series { out.append(seriesSVG(series, l)) }
        out.append("</g>")
        out.append(contentsOf: annotations.enumerated().map { annotationSVG($1, l, index: $0) })
        out.append(legendSVG(l))
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    func axisSVG(_ l: Layout) -> [String] {
        let (x0, x1, y0, y1) = (l.plotLeft, l.plotLeft + l.plotWidth, l.plotTop, l.plotTop + l.plotHeight)
        var out: [String] = ["<g class=\"grid\" stroke=\"\(ChartColor.grid)\" stroke-width=\"1\">"]
        for tick in l.x.ticks {
            out.append(
                "<line x1=\"\(coordinate(l.px(tick.value)))\" y1=\"\(coordinate(y0))\" x2=\"\(coordinate(l.px(tick.value)))\" y2=\"\(coordinate(y1))\"/>"
            )
        }
        for tick in l.y.ticks {
            out.append(
                "<line x1=\"\(coordinate(x0))\" y1=\"\(coordinate(l.py(tick.value)))\" x2=\"\(coordinate(x1))\" y2=\"\(coordinate(l.py(tick.value)))\"/>"
            )
        }
        out.append("</g>")
        out.append(
            "<g class=\"axis x-axis\" data-scale=\"\(l.x.scale.rawValue)\" data-lower=\"\(l.x.lower)\" data-upper=\"\(l.x.upper)\">"
        )
        out.append(
            "<line x1=\"\(coordinate(x0))\" y1=\"\(coordinate(y1))\" x2=\"\(coordinate(x1))\" y2=\"\(coordinate(y1))\" stroke=\"\(ChartColor.ink)\"/>"
        )
        for tick in l.x.ticks {
            out.append(
                "<g class=\"tick\"><line x1=\"\(coordinate(l.px(tick.value)))\" y1=\"\(coordinate(y1))\" x2=\"\(coordinate(l.px(tick.value)))\" y2=\"\(coordinate(y1 + 5))\" stroke=\"\(ChartColor.ink)\"/><text class=\"tick-label\" x=\"\(coordinate(l.px(tick.value)))\" y=\"\(coordinate(y1 + 18))\" text-anchor=\"middle\" fill=\"\(ChartColor.ink)\">\(escapedText(tick.label))</text></g>"
            )
        }
        out.append(
            "<text class=\"axis-label\" x=\"\(coordinate((x0 + x1) / 2))\" y=\"\(coordinate(y1 + 40))\" text-anchor=\"middle\" fill=\"\(ChartColor.ink)\">\(escapedText(x.label))</text>"
        )
        out.append("</g>")
        out.append(
            "<g class=\"axis y-axis\" data-scale=\"\(l.y.scale.rawValue)\" data-lower=\"\(l.y.lower)\" data-upper=\"\(l.y.upper)\">"
        )
        out.append(
            "<line x1=\"\(coordinate(x0))\" y1=\"\(coordinate(y0))\" x2=\"\(coordinate(x0))\" y2=\"\(coordinate(y1))\" stroke=\"\(ChartColor.ink)\"/>"
        )
        for tick in l.y.ticks {
            out.append(
                "<g class=\"tick\"><line x1=\"\(coordinate(x0 - 5))\" y1=\"\(coordinate(l.py(tick.value)))\" x2=\"\(coordinate(x0))\" y2=\"\(coordinate(l.py(tick.value)))\" stroke=\"\(ChartColor.ink)\"/><text class=\"tick-label\" x=\"\(coordinate(x0 - 8))\" y=\"\(coordinate(l.py(tick.value) + 4))\" text-anchor=\"end\" fill=\"\(ChartColor.ink)\">\(escapedText(tick.label))</text></g>"
            )
        }
        let mid = (y0 + y1) / 2
        out.append(
            "<text class=\"axis-label\" x=\"16\" y=\"\(coordinate(mid))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(coordinate(mid)))\" fill=\"\(ChartColor.ink)\">\(escapedText(y.label))</text>"
        )
        out.append("</g>")
        return out
    }

    /// Whether a data point can be placed on this layout's axes.
    func drawable(_ x: Double, _ y: Double, _ l: Layout) -> Bool {
        x.isFinite && y.isFinite && (l.x.scale == .linear || x > 0) && (l.y.scale == .linear || y > 0)
    }

    func seriesSVG(_ s: Series, _ l: Layout) -> String {
        var out = "<g class=\"series\" data-name=\"\(escapedAttribute(s.name))\" data-points=\"\(s.points.count)\">"
        if s.style != .markers {
            var d = ""
            var pen = false
            for p in s.points {
                guard drawable(p.x, p.y, l) else {
                    pen = false
                    continue
                }
                d += "\(pen ? "L" : "M")\(coordinate(l.px(p.x))) \(coordinate(l.py(p.y)))"
                pen = true
            }
            out +=
                "<path class=\"series-line\" d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"\(coordinate(s.lineWidth))\" stroke-linejoin=\"round\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
        }
        if s.style != .line {
            let r = s.markerRadius
            let d = s.points.filter { drawable($0.x, $0.y, l) }.map { p in
                "M\(coordinate(l.px(p.x) - r)) \(coordinate(l.py(p.y)))a\(coordinate(r)) \(coordinate(r)) 0 1 0 \(coordinate(2 * r)) 0a\(coordinate(r)) \(coordinate(r)) 0 1 0 \(coordinate(-2 * r)) 0"
            }.joined()
            out +=
                "<path class=\"series-markers\" d=\"\(d)\" fill=\"\(s.color)\" fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>"
        }
        return out + "</g>"
    }

    func bandSVG(_ b: Band, _ l: Layout) -> String {
        let indices = b.x.indices.filter { drawable(b.x[$0], b.lower[$0], l) && drawable(b.x[$0], b.upper[$0], l) }
        var d = ""
        for (k, i) in indices.enumerated() {
            d += "\(k == 0 ? "M" : "L")\(coordinate(l.px(b.x[i]))) \(coordinate(l.py(b.upper[i])))"
        }
        for i in indices.reversed() { d += "L\(coordinate(l.px(b.x[i]))) \(coordinate(l.py(b.lower[i])))" }
        if !d.isEmpty { d += "Z" }
        return
            "<g class=\"band\" data-name=\"\(escapedAttribute(b.name))\"><path class=\"band-area\" d=\"\(d)\" fill=\"\(b.color)\" fill-opacity=\"\(coordinate(b.opacity, decimals: 2))\" stroke=\"none\"/></g>"
    }

    /// `index` staggers neighbouring vertical rules' labels over three lines.
    func annotationSVG(_ a: Annotation, _ l: Layout, index: Int) -> String {
        let (x0, x1, y0, y1) = (l.plotLeft, l.plotLeft + l.plotWidth, l.plotTop, l.plotTop + l.plotHeight)
        let open = "<g class=\"annotation\" data-label=\"\(escapedAttribute(a.label))\">"
        let label = { (x: Double, y: Double, anchor: String) in
            "<text class=\"annotation-label\" x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" text-anchor=\"\(anchor)\" font-size=\"11\" fill=\"\(a.color)\">\(escapedText(a.label))</text>"
        }
        switch a.kind {
        case .vertical(let x):
            guard drawable(x, l.y.lower, l) else { return open + "</g>" }
            let px = l.px(x)
            return open
                + "<line x1=\"\(coordinate(px))\" y1=\"\(coordinate(y0))\" x2=\"\(coordinate(px))\" y2=\"\(coordinate(y1))\" stroke=\"\(a.color)\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>"
                + label(px + 3, y0 + 11 + Double(index % 3) * 12, "start") + "</g>"
        case .horizontal(let y):
            guard drawable(l.x.lower, y, l) else { return open + "</g>" }
            let py = l.py(y)
            return open
                + "<line x1=\"\(coordinate(x0))\" y1=\"\(coordinate(py))\" x2=\"\(coordinate(x1))\" y2=\"\(coordinate(py))\" stroke=\"\(a.color)\" stroke-width=\"1\" stroke-dasharray=\"5 3\"/>"
                + label(x1 - 4, py - 4, "end") + "</g>"
        case .point(let x, let y, let lower, let upper):
            guard drawable(x, y, l) else { return open + "</g>" }
            let (px, py) = (l.px(x), l.py(y))
            var whisker = ""
            if let lower, let upper, drawable(x, lower, l), drawable(x, upper, l) {
                let (pl, pu) = (l.py(lower), l.py(upper))
                whisker =
                    "<path d=\"M\(coordinate(px)) \(coordinate(pl))L\(coordinate(px)) \(coordinate(pu))M\(coordinate(px - 5)) \(coordinate(pl))L\(coordinate(px + 5)) \(coordinate(pl))M\(coordinate(px - 5)) \(coordinate(pu))L\(coordinate(px + 5)) \(coordinate(pu))\" stroke=\"\(a.color)\" stroke-width=\"1.5\" fill=\"none\"/>"
            }
            let anchor = px > x0 + 0.7 * (x1 - x0) ? "end" : "start"
            return open + whisker
                + "<circle cx=\"\(coordinate(px))\" cy=\"\(coordinate(py))\" r=\"5.5\" fill=\"none\" stroke=\"\(a.color)\" stroke-width=\"2\"/>"
                + label(anchor == "end" ? px - 9 : px + 9, py - 8, anchor) + "</g>"
        }
    }

    func legendSVG(_ l: Layout) -> String {
        guard !l.legend.isEmpty else { return "<g class=\"legend\"></g>" }
        let x = l.plotLeft + l.plotWidth + 18
        var out = "<g class=\"legend\">"
        for (i, entry) in l.legend.enumerated() {
            let y = l.plotTop + 8 + Double(i) * 18
            let swatch: String
            switch entry.swatch {
            case .line, .dashedLine:
                swatch =
                    "<line x1=\"\(coordinate(x))\" y1=\"\(coordinate(y))\" x2=\"\(coordinate(x + 18))\" y2=\"\(coordinate(y))\" stroke=\"\(entry.color)\" stroke-width=\"2.5\"\(entry.swatch == .dashedLine ? " stroke-dasharray=\"4 3\"" : "")/>"
            case .marker:
                swatch = "<circle cx=\"\(coordinate(x + 9))\" cy=\"\(coordinate(y))\" r=\"4\" fill=\"\(entry.color)\"/>"
            case .area:
                swatch =
                    "<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y - 6))\" width=\"18\" height=\"12\" fill=\"\(entry.color)\" fill-opacity=\"0.35\"/>"
            }
            let name = entry.name.count > 24 ? String(entry.name.prefix(23)) + "…" : entry.name
            out +=
                "<g class=\"legend-entry\" data-name=\"\(escapedAttribute(entry.name))\">\(swatch)<text x=\"\(coordinate(x + 24))\" y=\"\(coordinate(y + 4))\" fill=\"\(ChartColor.ink)\">\(escapedText(name))</text></g>"
        }
        return out + "</g>"
    }
}

/// A coordinate with one decimal (or `decimals`).
func coordinate(_ value: Double, decimals: Int = 1) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return text == "-0.0" ? "0.0" : text
}

/// Escapes text content for XML and HTML.
func escapedText(_ raw: String) -> String {
    var out = ""
    out.reserveCapacity(raw.count)
    for c in raw {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        default: out.append(c)
        }
    }
    return out
}

/// Escapes an attribute value for XML and HTML.
func escapedAttribute(_ raw: String) -> String {
    escapedText(raw).replacingOccurrences(of: "\"", with: "&quot;")
}
