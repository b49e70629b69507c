import Foundation
import IsoplanTestSupport
import Report
import Testing

@Suite("HTML and Markdown reports")
struct DocumentTests {
    static func document() -> ReportDocument {
        var document = ReportDocument(title: "T & <report>", subtitle: "from `store.sqlite`")
        document.heading("Plan")
        document.paragraph("Use **n = 256** with `B_p = 32` — a < b.")
        document.table(header: ["field", "value"], rows: [["n", "256"], ["law", "fit:1 | preset"]])
        document.list(["one", "two"])
        document.chart(ChartSVGTests.sample())
        var second = ChartSVGTests.sample()
        second.id = "second"
        document.chart(second)
        return document
    }

    @Test func htmlIsOneSelfContainedPage() {
        let html = HTMLReport.render(Self.document())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>T &amp; &lt;report&gt;</title>"))
        #expect(html.contains("Use <strong>n = 256</strong> with <code>B_p = 32</code> — a &lt; b."))
        #expect(html.contains("<td class=\"num\">256</td>"))
        #expect(html.components(separatedBy: "<figure id=").count - 1 == 2)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        // Nothing to fetch: no scripts, no external styles, images or links; unique clip ids.
        for needle in ["<script", "<link", "<img", "src=", "@import", "url(http"] {
            #expect(!html.contains(needle), "\(needle)")
        }
        #expect(html.contains("clip-sample") && html.contains("clip-second"))
        #expect(html.contains("@media print"))
    }

    @Test func markdownPutsEachChartInAnSVGFileBesideIt() {
        let output = MarkdownReport.render(Self.document(), chartDirectory: "r-charts")
        #expect(output.files.map(\.path) == ["r-charts/sample.svg", "r-charts/second.svg"])
        #expect(output.markdown.contains("![Reward <vs> compute & more](r-charts/sample.svg)"))
        #expect(output.markdown.contains("| law | fit:1 \\| preset |"))
        #expect(output.markdown.contains("- one\n- two"))
        #expect(output.files.allSatisfy { $0.contents.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") })
    }
}
