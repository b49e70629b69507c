/// A two-dimensional chart described as data: axes, series, uncertainty bands and annotations.
/// Rendering (``Chart/svg()``) is separate, so a chart can be checked on its structure and drawn
/// the same way in HTML and Markdown reports.
public struct Chart: Sendable, Equatable {
    /// A short slug, unique in a report: the figure's anchor and the Markdown SVG file name.
    public var id: String
    public var title: String
    /// One or two sentences under the chart: what is plotted and where the data come from.
    public var caption: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var bands: [Band]
    public var annotations: [Annotation]
    /// Size in CSS pixels of the SVG's view box; HTML scales it to the page width.
    public var width: Double
    public var height: Double

    public init(
        id: String, title: String, caption: String = "", x: Axis, y: Axis, series: [Series] = [],
        bands: [Band] = [], annotations: [Annotation] = [], width: Double = 720, height: Double = 420
    ) {
        self.id = id
        self.title = title
        self.caption = caption
        self.x = x
        self.y = y
        self.series = series
        self.bands = bands
        self.annotations = annotations
        self.width = width
        self.height = height
    }
}

/// A point of a series.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// One named set of points, drawn as a line, as markers, or both.
public struct Series: Sendable, Equatable {
    public enum Style: String, Sendable {
        case line
        case markers
        case lineAndMarkers
    }

    public var name: String
    public var points: [ChartPoint]
    public var style: Style
    public var color: ChartColor
    /// Line width in pixels (the frontier envelope is drawn wider).
    public var lineWidth: Double
    public var dashed: Bool
    /// Marker radius in pixels.
    public var markerRadius: Double
    /// Whether the legend lists it.
    public var inLegend: Bool

    public init(
        name: String, points: [ChartPoint], style: Style = .line, color: ChartColor, lineWidth: Double = 1.8,
        dashed: Bool = false, markerRadius: Double = 3, inLegend: Bool = true
    ) {
        self.name = name
        self.points = points
        self.style = style
        self.color = color
        self.lineWidth = lineWidth
        self.dashed = dashed
        self.markerRadius = markerRadius
        self.inLegend = inLegend
    }
}

/// A shaded region between a lower and an upper curve over the same x values (a bootstrap band,
/// an interquantile range).
public struct Band: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var color: ChartColor
    public var opacity: Double
    public var inLegend: Bool

    public init(
        name: String, x: [Double], lower: [Double], upper: [Double], color: ChartColor, opacity: Double = 0.2,
        inLegend: Bool = true
    ) {
        precondition(
            x.count == lower.count && x.count == upper.count, "a band needs one lower and one upper value per x")
        self.name = name
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
        self.inLegend = inLegend
    }
}

/// A labelled mark on the plot area.
public struct Annotation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A vertical rule at x (a handover, a budget).
        case vertical(x: Double)
        /// A horizontal rule at y (a floor, a saturation).
        case horizontal(y: Double)
        /// A highlighted point with an optional vertical interval (a recommendation and its
        /// predictive interval).
        case point(x: Double, y: Double, lower: Double?, upper: Double?)
    }

    public var kind: Kind
    public var label: String
    public var color: ChartColor

    public init(_ kind: Kind, label: String, color: ChartColor = .ink) {
        self.kind = kind
        self.label = label
        self.color = color
    }
}
