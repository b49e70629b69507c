import Domain

/// An input file could not be read as expected. Prints as `file:line: reason` (binary files:
/// `file: byte offset N: reason`).
public enum ImportError: Error, Equatable, Sendable {
    /// The file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// A line is malformed; `line` is 1-based.
    case malformed(file: String, line: Int, reason: String)
    /// A named column is missing from the header.
    case missingColumn(file: String, column: String, available: [String])
    /// A record of a binary file is damaged (a checksum mismatch, undecodable data); `offset` is
    /// the byte where the record starts.
    case corrupt(file: String, offset: Int, reason: String)

    /// Whether the file is missing (exit 66) rather than malformed (exit 65).
    public var isMissingFile: Bool {
        if case .unreadable = self { return true }
        return false
    }
}

extension ImportError: CustomStringConvertible {
    /// One line, whatever the file's content quoted in it (control characters escaped).
    public var description: String { text.escapingControlCharacters }

    private var text: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .malformed(let file, let line, let reason): "\(file):\(line): \(reason)"
        case .missingColumn(let file, let column, let available):
            "\(file): no column \"\(column)\" (columns: \(available.joined(separator: ", ")))"
        case .corrupt(let file, let offset, let reason): "\(file): byte offset \(offset): \(reason)"
        }
    }
}
