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

/// Renders key–value rows for a human: an aligned two-column table, or a Markdown table.
func keyValueTable(_ rows: [(String, String)], format: OutputFormat = .table) -> String {
    switch format {
    case .md, .markdown:
        let escape = { (text: String) in text.replacingOccurrences(of: "|", with: "\\|") }
        return (["| field | value |", "|---|---|"] + rows.map { "| \(escape($0.0)) | \(escape($0.1)) |" })
            .joined(separator: "\n")
    case .table, .json, .verl, .trl, .openrlhf:
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { key, value in key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
            .joined(separator: "\n")
    }
}
