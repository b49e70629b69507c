import IsoplanTestSupport
import Report
import Testing

@Suite("Axis ranges and ticks")
struct AxisTests {
    @Test func logAxisSpansTheDataToOneTwoFiveBoundsWithDecadeLabels() {
        let axis = Axis("compute", scale: .log10).resolve(over: [1.2e4, 8e5, 3e6])
        #expect(axis.lower == 1e4 && axis.upper == 5e6)
        #expect(axis.ticks.map(\.label) == ["10k", "100k", "1M"])
        expectClose(axis.fraction(1e4), 0, absolute: 1e-12)
        expectClose(axis.fraction(5e6), 1, absolute: 1e-12)
        // Equal ratios are equal distances on a log axis.
        expectClose(axis.fraction(1e6) - axis.fraction(1e5), axis.fraction(1e5) - axis.fraction(1e4), absolute: 1e-12)
    }

    @Test func shortLogAxisGainsTwoAndFiveTicks() {
        let axis = Axis("budget", scale: .log10).resolve(over: [150, 700])
        #expect(axis.lower == 100 && axis.upper == 1000)
        #expect(axis.ticks.map(\.label) == ["100", "200", "500", "1k"])
    }

    @Test func siLabelsStayShort() {
        #expect(Axis.siLabel(2_500_000) == "2.5M")
        #expect(Axis.siLabel(1e9) == "1G")
        #expect(Axis.siLabel(0.01) == "0.01")
        #expect(Axis.siLabel(12_100) == "12.1k")
    }

    @Test func log2AxisLabelsPowersOfTwoAsIntegers() {
        let axis = Axis("n", scale: .log2).resolve(over: [8, 2048])
        #expect(axis.lower == 8 && axis.upper == 2048)
        #expect(axis.ticks.map(\.label) == ["8", "16", "32", "64", "128", "256", "512", "1024", "2048"])
        let wide = Axis("n", scale: .log2).resolve(over: [1, 1_048_576])
        #expect(wide.ticks.count <= 11, "at most about ten labelled powers")
        #expect(wide.ticks.first?.label == "1" && wide.ticks.allSatisfy { !$0.label.isEmpty })
        // A value between powers widens the range to the next ones.
        let between = Axis("n*", scale: .log2).resolve(over: [6, 300])
        #expect(between.lower == 4 && between.upper == 512)
    }

    @Test func linearAxisRoundsToNiceSteps() {
        let axis = Axis("reward").resolve(over: [0.43, 0.61])
        expectClose(axis.lower, 0.40, absolute: 1e-12)
        expectClose(axis.upper, 0.65, absolute: 1e-12)
        #expect(axis.ticks.map(\.label) == ["0.40", "0.45", "0.50", "0.55", "0.60", "0.65"])
        let fixed = Axis("accuracy", range: 0...1).resolve(over: [0.3, 0.5])
        #expect(fixed.lower == 0 && fixed.upper == 1)
        #expect(fixed.ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func logAxesIgnoreValuesTheyCannotPlace() {
        let axis = Axis("compute", scale: .log10).resolve(over: [0, -5, .nan, 20, 3000])
        #expect(axis.lower == 20 && axis.upper == 5000)
        let constant = Axis("reward").resolve(over: [0.5, 0.5])
        #expect(constant.lower < 0.5 && constant.upper > 0.5)
    }

    @Test func sequentialPaletteIsOrderedDarkToLight() {
        let colors = Palette.sequential(count: 5)
        #expect(Set(colors).count == 5)
        func luminance(_ c: ChartColor) -> Double {
            let v = Array(c.hex.dropFirst())
            let channel = { (i: Int) in Double(Int(String(v[i..<(i + 2)]), radix: 16)!) }
            return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
        }
        let l = colors.map(luminance)
        #expect(zip(l, l.dropFirst()).allSatisfy { $0 < $1 }, "viridis brightens monotonically: \(l)")
        #expect(Palette.category(0) == Palette.category(Palette.categorical.count))
    }
}
