import Foundation

/// Renders a ``ReportDocument`` as Markdown that references each chart as an SVG file in a
/// directory beside it.
public enum MarkdownReport {
    /// The Markdown text and the SVG files (`directory/chart-id.svg` → contents).
    public struct Output: Sendable {
        public var markdown: String
        public var files: [(path: String, contents: String)]
    }

    /// `chartDirectory` is the directory name, relative to the Markdown file, the SVGs go in.
    public static func render(_ document: ReportDocument, chartDirectory: String) -> Output {
        var lines = ["# \(document.title)", ""]
        if !document.subtitle.isEmpty { lines += ["_\(document.subtitle)_", ""] }
        var files: [(String, String)] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                lines += [String(repeating: "#", count: min(max(level, 2), 4)) + " " + text, ""]
            case .paragraph(let text):
                lines += [text, ""]
            case .list(let items):
                lines += items.map { "- " + $0 } + [""]
            case .table(let header, let rows):
                let cell = { (text: String) in text.replacingOccurrences(of: "|", with: "\\|") }
                lines.append("| " + header.map(cell).joined(separator: " | ") + " |")
                lines.append("|" + header.map { _ in "---|" }.joined())
                lines += rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
                lines.append("")
            case .chart(let chart):
                let path = "\(chartDirectory)/\(chart.id).svg"
                files.append((path, chart.svg() + "\n"))
                lines += ["![\(chart.title)](\(path))", "", "_\(chart.caption)_", ""]
            }
        }
        return Output(markdown: lines.joined(separator: "\n"), files: files)
    }
}
