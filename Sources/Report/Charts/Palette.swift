import Foundation

/// A colour as a CSS hex string.
public struct ChartColor: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var hex: String

    public init(hex: String) { self.hex = hex }

    public var description: String { hex }

    /// Text, axes and the frontier envelope.
    public static let ink = ChartColor(hex: "#222222")
    /// Grid lines.
    public static let grid = ChartColor(hex: "#e3e3e3")
    /// Secondary text.
    public static let muted = ChartColor(hex: "#666666")
}

/// Colour-blind-safe palettes: Okabe & Ito's eight categorical colours for unordered series, and
/// viridis for ordered ones (n = 8 … 2048), which stays ordered in greyscale and under the common
/// colour-vision deficiencies.
public enum Palette {
    /// Okabe–Ito (2008), without black (kept for the envelope) and with yellow last (weak on white).
    public static let categorical: [ChartColor] = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#F0E442",
    ]
    .map(ChartColor.init(hex:))

    /// The `index`-th categorical colour (cycling).
    public static func category(_ index: Int) -> ChartColor {
        categorical[((index % categorical.count) + categorical.count) % categorical.count]
    }

    /// Viridis anchors (matplotlib's viridis at 0, 1/8, …, 1), stopped at 0.9 so the last colour
    /// keeps contrast on white.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    /// The colour at `t` ∈ [0, 1] of the ordered scale.
    public static func sequential(_ t: Double) -> ChartColor {
        let s = min(max(t.isFinite ? t : 0, 0), 1) * 0.9 * Double(viridis.count - 1)
        let i = min(Int(s), viridis.count - 2)
        let f = s - Double(i)
        let (a, b) = (viridis[i], viridis[i + 1])
        let mix = { (u: Double, v: Double) in Int((u + (v - u) * f).rounded()) }
        return ChartColor(hex: String(format: "#%02X%02X%02X", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)))
    }

    /// `count` ordered colours from dark to light.
    public static func sequential(count: Int) -> [ChartColor] {
        (0..<count).map { sequential(count > 1 ? Double($0) / Double(count - 1) : 0) }
    }
}
