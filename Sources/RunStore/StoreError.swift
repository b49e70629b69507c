import Foundation

/// The store could not be opened or could not do what was asked. Every case names the file.
public enum StoreError: Error, Equatable, Sendable {
    /// The file exists but is not an SQLite database (or is corrupt).
    case notADatabase(path: String)
    /// The file is an SQLite database of another application.
    case foreignDatabase(path: String, detail: String)
    /// The file was written by a newer IsoPlan: it holds migrations this version does not know.
    case createdByNewerVersion(path: String, unknownMigrations: [String])
    /// No database exists at the path, and the command reads one rather than creating it.
    case missingDatabase(path: String)
    /// The folder the database would be created in does not exist.
    case missingFolder(path: String)
    /// The file cannot be opened or created (permissions, a full disk).
    case cannotOpen(path: String, reason: String)
    /// A run with this name is already stored.
    case duplicateRunName(path: String, name: String)
    /// No run has this id.
    case runNotFound(path: String, id: Int64)
    /// A value to store breaks an invariant; nothing was written.
    case invalidValue(path: String, detail: String)
    /// A stored row holds a value this version cannot read (unknown enum text, malformed JSON).
    case malformedRow(path: String, table: String, row: Int64?, detail: String)
    /// Another process (or run) is executing this label on this store now.
    case executionInUse(path: String, label: String, holder: Int32?)
    /// Any other SQLite failure, with SQLite's message.
    case sqlite(path: String, message: String)

    /// Whether the failure is the fault of the file or the data (exit code 65) rather than of
    /// the environment.
    public var isBadInput: Bool {
        switch self {
        case .notADatabase, .foreignDatabase, .createdByNewerVersion, .duplicateRunName, .runNotFound, .invalidValue,
            .malformedRow:
            true
        case .cannotOpen, .sqlite, .missingDatabase, .missingFolder, .executionInUse:
            false
        }
    }
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notADatabase(let path):
            "\(path): not an IsoPlan database (the file is not SQLite, or is corrupt)"
        case .foreignDatabase(let path, let detail):
            "\(path): an SQLite database of another application (\(detail)); choose another --db path"
        case .createdByNewerVersion(let path, let unknown):
            "\(path): written by a newer IsoPlan (unknown migrations: \(unknown.joined(separator: ", "))); upgrade isoplan"
        case .missingDatabase(let path):
            "\(path): no such database (give --db the store your runs were imported into)"
        case .missingFolder(let path):
            "\(path): no such folder for the database (create \((path as NSString).deletingLastPathComponent) first, or give --db another path)"
        case .cannotOpen(let path, let reason):
            "\(path): cannot open database (\(reason))"
        case .duplicateRunName(let path, let name):
            "\(path): a run named \"\(name)\" already exists"
        case .runNotFound(let path, let id):
            "\(path): no run with id \(id)"
        case .invalidValue(let path, let detail):
            "\(path): \(detail); nothing was written"
        case .malformedRow(let path, let table, let row, let detail):
            "\(path): table \(table), row \(row.map(String.init) ?? "?"): \(detail)"
        case .executionInUse(let path, let label, let holder):
            "\(path): execution \"\(label)\" is running in another process\(holder.map { " (pid \($0))" } ?? ""); wait for it to finish, or use another --label"
        case .sqlite(let path, let message):
            "\(path): SQLite error: \(message)"
        }
    }
}
