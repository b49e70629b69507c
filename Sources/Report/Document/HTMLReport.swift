/// Renders a ``ReportDocument`` as one self-contained HTML page: inline CSS and inline SVG, no
/// scripts, fonts, images or links to fetch, so it opens offline and prints.
public enum HTMLReport {
    public static func render(_ document: ReportDocument) -> String {
        var body: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                let h = min(max(level, 2), 4)
                body.append("<h\(h)>\(escapedText(text))</h\(h)>")
            case .paragraph(let text):
                body.append("<p>\(inlineHTML(text))</p>")
            case .list(let items):
                body.append("<ul>\n" + items.map { "<li>\(inlineHTML($0))</li>" }.joined(separator: "\n") + "\n</ul>")
            case .table(let header, let rows):
                let head = "<tr>" + header.map { "<th>\(inlineHTML($0))</th>" }.joined() + "</tr>"
                let cells = rows.map { row in
                    "<tr>"
                        + row.map { cell in "<td\(looksNumeric(cell) ? " class=\"num\"" : "")>\(inlineHTML(cell))</td>"
                        }.joined() + "</tr>"
                }
                body.append(
                    "<table>\n<thead>\(head)</thead>\n<tbody>\n\(cells.joined(separator: "\n"))\n</tbody>\n</table>")
            case .chart(let chart):
                body.append(
                    """
                    <figure id="\(escapedAttribute(chart.id))" data-chart="\(escapedAttribute(chart.id))">
                    \(chart.svg())
                    <figcaption>\(inlineHTML(chart.caption))</figcaption>
                    </figure>
                    """)
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapedText(document.title))</title>
            <style>
            \(stylesheet)
            </style>
            </head>
            <body>
            <main>
            <h1>\(escapedText(document.title))</h1>
            <p class="subtitle">\(inlineHTML(document.subtitle))</p>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    static let stylesheet = """
        :root { color-scheme: light; }
        body { margin: 0; background: #ffffff; color: #222222; font: 15px/1.5 Helvetica, Arial, sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #dddddd; padding-bottom: 4px; }
        h3 { font-size: 16px; margin: 20px 0 6px; }
        .subtitle { color: #666666; margin-top: 0; }
        code { font: 13px Menlo, Consolas, monospace; background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
        th, td { border: 1px solid #dddddd; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f6f6; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 16px 0 24px; padding: 0; break-inside: avoid; page-break-inside: avoid; }
        figure svg { display: block; width: 100%; max-width: 900px; height: auto; }
        figcaption { color: #444444; font-size: 13px; margin-top: 4px; max-width: 900px; }
        @media print {
          body { font-size: 11pt; }
          main { max-width: none; padding: 0; }
          figure svg { max-width: 17cm; }
          h2 { break-after: avoid; }
        }
        """

    /// Escapes `text` and turns `**strong**` and `` `code` `` into elements.
    static func inlineHTML(_ text: String) -> String {
        var out = ""
        var strong = false
        var code = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
            } else if !code, c == "*", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "*" {
                out += strong ? "</strong>" : "<strong>"
                strong.toggle()
                i = text.index(after: i)
            } else {
                out += escapedText(String(c))
            }
            i = text.index(after: i)
        }
        if code { out += "</code>" }
        if strong { out += "</strong>" }
        return out
    }

    static func looksNumeric(_ cell: String) -> Bool {
        !cell.isEmpty && cell.allSatisfy { $0.isNumber || "+-−.,%eE×–$ ".contains($0) }
            && cell.contains(where: \.isNumber)
    }
}
