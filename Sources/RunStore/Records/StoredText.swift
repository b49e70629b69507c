import Foundation

/// Text columns of the executor tables that hold JSON (arrays, dictionaries) or an enum's raw
/// value, read back or refused with a ``MalformedRow`` naming the table, row and column.
struct StoredText {
    var table: String
    var row: Int64?

    /// `text` decoded as JSON of `T`.
    /// - Throws: ``MalformedRow`` when `text` is not JSON of `T`.
    func json<T: Decodable>(_ text: String, column: String, as type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw MalformedRow(
                table: table, row: row,
                detail: "\(column) is malformed JSON (found \"\(text.prefix(80))\")")
        }
    }

    /// The enum case whose raw value is `text`.
    /// - Throws: ``MalformedRow`` when no case has that raw value.
    func value<T: RawRepresentable<String>>(_ text: String, column: String, as type: T.Type = T.self) throws -> T {
        guard let value = T(rawValue: text) else {
            throw MalformedRow(table: table, row: row, detail: "\(column) \"\(text.prefix(80))\" is not known")
        }
        return value
    }
}

/// Compact JSON with sorted keys: how the executor tables store arrays and dictionaries.
func storedJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
