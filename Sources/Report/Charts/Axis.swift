import Foundation

/// A chart axis: its label, its scale and (optionally) a fixed range. Without a fixed range the
/// axis spans the data, widened to whole ticks (decades on log10, powers of two on log2).
public struct Axis: Sendable, Equatable {
    public enum Scale: String, Sendable {
        case linear
        /// Decades: ticks at 1, 10, 100, … labelled with SI suffixes (1k, 10k, 1M); a fitted range
        /// ends at 1, 2 or 5 times a power of ten, and a range under three decades also gets
        /// ticks at 2 and 5 times each decade.
        case log10
        /// Powers of two: ticks at 1, 2, 4, 8, … labelled as integers (rollouts per problem, k of
        /// pass@k); at most about ten of them.
        case log2
    }

    public var label: String
    public var scale: Scale
    /// A fixed range (in data units); `nil` fits the data.
    public var range: ClosedRange<Double>?

    public init(_ label: String, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// A tick: its value in data units and its label.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
    }

    /// The resolved axis: the range drawn and its ticks.
    public struct Resolved: Sendable, Equatable {
        public var scale: Scale
        public var lower: Double
        public var upper: Double
        public var ticks: [Tick]

        /// Position in [0, 1] of a data value along the axis.
        public func fraction(_ value: Double) -> Double {
            let (a, b, v) = (transform(lower), transform(upper), transform(value))
            return b > a ? (v - a) / (b - a) : 0.5
        }

        func transform(_ value: Double) -> Double {
            switch scale {
            case .linear: value
            case .log10: log10(value)
            case .log2: log2(value)
            }
        }
    }

    /// Resolves the axis over `values` (non-finite values, and non-positive ones on log scales,
    /// are ignored).
    public func resolve(over values: [Double]) -> Resolved {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var lo = range?.lowerBound ?? usable.min() ?? (scale == .linear ? 0 : 1)
        var hi = range?.upperBound ?? usable.max() ?? (scale == .linear ? 1 : 10)
        switch scale {
        case .linear:
            if hi - lo < 1e-12 * max(1, abs(hi)) {
                lo -= 0.5 * max(abs(lo), 1e-3)
                hi += 0.5 * max(abs(hi), 1e-3)
            }
            let step = Self.niceStep((hi - lo) / 5)
            if range == nil {
                lo = (lo / step).rounded(.down) * step
                hi = (hi / step).rounded(.up) * step
            }
            let first = (lo / step - 1e-9).rounded(.up)
            let ticks = stride(from: first * step, through: hi + step * 1e-9, by: step).map { v in
                Tick(
                    value: abs(v) < step * 1e-9 ? 0 : v,
                    label: Self.decimalLabel(abs(v) < step * 1e-9 ? 0 : v, step: step))
            }
            return Resolved(scale: .linear, lower: lo, upper: hi, ticks: ticks)
        case .log10:
            if range == nil {
                lo = Self.stepBelow(lo)
                hi = Self.stepAbove(hi)
                if hi <= lo { hi = Self.stepAbove(lo * 1.01) }
            }
            let (a, b) = (Int(log10(lo).rounded(.up)), Int(log10(hi).rounded(.down)))
            var ticks =
                a <= b ? (a...b).map { Tick(value: pow(10, Double($0)), label: Self.siLabel(pow(10, Double($0)))) } : []
            if ticks.count < 3 {  // A short log axis also gets 2 and 5 times each decade.
                let (low, high) = (lo * (1 - 1e-9), hi * (1 + 1e-9))
                var minors: [Double] = []
                for e in (a - 1)...b {
                    let decade: Double = pow(10, Double(e))
                    minors += [2 * decade, 5 * decade].filter { $0 >= low && $0 <= high }
                }
                ticks = (ticks + minors.map { Tick(value: $0, label: Self.siLabel($0)) }).sorted { $0.value < $1.value }
            }
            return Resolved(scale: .log10, lower: lo, upper: hi, ticks: ticks)
        case .log2:
            if range == nil {
                lo = pow(2, log2(lo).rounded(.down))
                hi = pow(2, log2(hi).rounded(.up))
                if hi <= lo { hi = lo * 2 }
            }
            let (a, b) = (Int(log2(lo).rounded(.up)), Int(log2(hi).rounded(.down)))
            let every = max(1, (b - a + 1 + 9) / 10)  // At most about ten labelled powers.
            let ticks: [Tick] =
                a <= b
                ? stride(from: a, through: b, by: every).map { e -> Tick in
                    let value: Double = pow(2, Double(e))
                    return Tick(value: value, label: value < 1e5 ? Self.trimmed(value) : Self.siLabel(value))
                } : []
            return Resolved(scale: .log2, lower: lo, upper: hi, ticks: ticks)
        }
    }

    /// The largest 1, 2 or 5 times a power of ten at or below `value` (> 0).
    static func stepBelow(_ value: Double) -> Double {
        let decade = pow(10, log10(value).rounded(.down))
        return [5.0, 2, 1].map { $0 * decade }.first { $0 <= value * (1 + 1e-12) } ?? decade
    }

    /// The smallest 1, 2 or 5 times a power of ten at or above `value` (> 0).
    static func stepAbove(_ value: Double) -> Double {
        let decade = pow(10, log10(value).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * decade }.first { $0 >= value * (1 - 1e-12) } ?? 10 * decade
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 && raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw * (1 - 1e-9) { return factor * magnitude }
        return 10 * magnitude
    }

    /// A linear tick label with as many decimals as the step needs.
    static func decimalLabel(_ value: Double, step: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        return String(format: "%.\(decimals)f", value)
    }

    /// `1`, `20`, `500`, `1k`, `10k`, `2.5M`, `1G`, `0.1`, `0.01`: short labels for log axes.
    public static func siLabel(_ value: Double) -> String {
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (size, suffix) in units where abs(value) >= size {
            return trimmed(value / size) + suffix
        }
        return trimmed(value)
    }

    static func trimmed(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.3g", value)
        if text.contains("e") { return text }
        while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text
    }
}
