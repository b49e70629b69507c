import Foundation

/// A CSV file read whole: a header and rows of text fields (RFC 4180: commas, double quotes with
/// `""` escapes, fields spanning lines inside quotes, LF or CRLF line ends, optional UTF-8 BOM).
public struct CSVTable: Sendable {
    /// The file, as given.
    public let file: String
    /// Column names from the first line.
    public let header: [String]
    /// Data rows (each as long as the header) with the 1-based line each starts on.
    public let rows: [(line: Int, fields: [String])]

    /// Reads and parses a CSV file.
    /// - Throws: ``ImportError`` when the file cannot be read, is empty, has an unterminated quote,
    ///   or a row whose field count differs from the header's.
    public init(contentsOf path: String) throws(ImportError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(
                file: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(file: path, line: 1, reason: "not UTF-8 text")
        }
        try self.init(text: text, file: path)
    }

    /// Parses CSV text; `file` names it in errors.
    public init(text: String, file: String) throws(ImportError) {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
        }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw .malformed(file: file, line: recordLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw .malformed(file: file, line: 1, reason: "empty file: no header") }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        for record in records.dropFirst() where record.fields.count != header.count {
            throw .malformed(
                file: file, line: record.line,
                reason: "\(record.fields.count) fields, but the header has \(header.count)")
        }
        self.file = file
        self.header = header
        self.rows = Array(records.dropFirst())
    }

    /// The index of a column by name (exact, then case-insensitive).
    public func columnIndex(_ name: String) throws(ImportError) -> Int {
        if let index = header.firstIndex(of: name) { return index }
        if let index = header.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return index }
        throw .missingColumn(file: file, column: name, available: header)
    }

    /// A column parsed as numbers.
    /// - Throws: ``ImportError/malformed(file:line:reason:)`` naming the line of a non-number;
    ///   `nan` and `inf` are read as such (callers decide whether to accept them).
    public func numbers(_ name: String) throws(ImportError) -> [Double] {
        let index = try columnIndex(name)
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            let text = row.fields[index].trimmingCharacters(in: .whitespaces)
            guard let value = Double(text) else {
                throw .malformed(
                    file: file, line: row.line,
                    reason: "column \"\(header[index])\" is not a number (found \"\(text)\")")
            }
            values.append(value)
        }
        return values
    }
}

/// Writes RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled;
/// records end with CRLF-free `\n` (what CSVTable and pandas read).
public enum CSVWriter {
    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A whole table: the header, then each row.
    public static func table(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
