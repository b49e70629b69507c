/// A report as a sequence of blocks, rendered to one self-contained HTML file
/// (``HTMLReport``) or to Markdown with the charts as SVG files beside it (``MarkdownReport``).
///
/// Paragraph and list text may use two inline marks: `**strong**` and `` `code` ``.
public struct ReportDocument: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case heading(level: Int, text: String)
        case paragraph(String)
        case list([String])
        /// A table: header and rows of cells (rows as long as the header).
        case table(header: [String], rows: [[String]])
        case chart(Chart)
    }

    public var title: String
    /// A line under the title (what, when, from which store).
    public var subtitle: String
    public var blocks: [Block]

    public init(title: String, subtitle: String = "", blocks: [Block] = []) {
        self.title = title
        self.subtitle = subtitle
        self.blocks = blocks
    }

    public mutating func heading(_ text: String, level: Int = 2) { blocks.append(.heading(level: level, text: text)) }
    public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    public mutating func list(_ items: [String]) { if !items.isEmpty { blocks.append(.list(items)) } }
    public mutating func table(header: [String], rows: [[String]]) { blocks.append(.table(header: header, rows: rows)) }
    public mutating func chart(_ chart: Chart) { blocks.append(.chart(chart)) }

    /// The charts, in order.
    public var charts: [Chart] {
        blocks.compactMap { if case .chart(let chart) = $0 { chart } else { nil } }
    }
}
