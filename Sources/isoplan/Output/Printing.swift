import Foundation

/// Writes a line to stderr (diagnostics and progress never go to stdout).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Encodes a value as pretty, key-sorted JSON for `--json`.
func jsonString(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

extension GlobalOptions {
    /// Prints a command's result on stdout: `value` as JSON under `--json`, else the text
    /// `human` renders for the table or Markdown format.
    func render<Value: Encodable>(_ value: Value, human: (OutputFormat) throws -> String) throws {
        let format = outputFormat
        print(format == .json ? try jsonString(value) : try human(format))
    }
}

/// Renders key–value rows for a human: an aligned two-column table, or a Markdown table.
func keyValueTable(_ rows: [(String, String)], format: OutputFormat = .table) -> String {
    if format.isMarkdown {
        return
            (["| field | value |", "|---|---|"]
            + rows.map { "| \(escapeMarkdownCell($0.0)) | \(escapeMarkdownCell($0.1)) |" })
            .joined(separator: "\n")
    }
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { key, value in key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
        .joined(separator: "\n")
}

/// A Markdown table cell's text with its `|` escaped.
private func escapeMarkdownCell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
}

/// Four significant digits, scientific outside [1e-3, 1e5).
func formatNumber(_ value: Double) -> String {
    if value == 0 || (abs(value) >= 1e-3 && abs(value) < 1e5) { return String(format: "%.4g", value) }
    return String(format: "%.3e", value)
}

/// An aligned text table (columns two spaces apart, trailing blanks trimmed), or a Markdown table.
func table(header: [String], rows: [[String]], format: OutputFormat) -> String {
    let lines = [header] + rows
    if format.isMarkdown {
        return ([header, header.map { _ in "---" }] + rows)
            .map { "| " + $0.map(escapeMarkdownCell).joined(separator: " | ") + " |" }
            .joined(separator: "\n")
    }
    let widths = header.indices.map { j in lines.map { $0.indices.contains(j) ? $0[j].count : 0 }.max() ?? 0 }
    return lines.map { row in
        row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
}
