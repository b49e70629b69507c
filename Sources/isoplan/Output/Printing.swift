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

/// Renders rows as a two-column, left-aligned table.
func keyValueTable(_ rows: [(String, String)]) -> String {
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { key, value in key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
        .joined(separator: "\n")
}
