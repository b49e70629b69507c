public import Domain
import GRDB

/// The file content an imported run came from.
public struct ImportedFile: Codable, Hashable, Sendable {
    public var runID: Int64
    public var path: String
    /// A hash of the imported bytes (see `ImportWorkflow`), and how many bytes they were.
    public var contentHash: String
    public var bytes: Int
    /// The last step imported from it.
    public var lastStep: Int

    public init(runID: Int64, path: String, contentHash: String, bytes: Int, lastStep: Int) {
        self.runID = runID
        self.path = path
        self.contentHash = contentHash
        self.bytes = bytes
        self.lastStep = lastStep
    }
}

struct ImportedFileRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "importedFile"
    var id: Int64?
    var runId: Int64
    var path: String
    var contentHash: String
    var bytes: Int
    var lastStep: Int

    init(_ file: ImportedFile) {
        (runId, path, contentHash, bytes, lastStep) = (
            file.runID, file.path, file.contentHash, file.bytes, file.lastStep
        )
    }

    var file: ImportedFile {
        ImportedFile(runID: runId, path: path, contentHash: contentHash, bytes: bytes, lastStep: lastStep)
    }
    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Store {
    /// The import record of content with this hash, if any run came from it.
    public func importedFile(hash: String) throws(StoreError) -> ImportedFile? {
        try read { db in try ImportedFileRecord.filter(Column("contentHash") == hash).fetchOne(db)?.file }
    }

    /// The import records of a file path, oldest first.
    public func importedFiles(path: String) throws(StoreError) -> [ImportedFile] {
        try read { db in
            try ImportedFileRecord.filter(Column("path") == path).order(Column("id")).fetchAll(db).map(\.file)
        }
    }

    /// The import records of a run, oldest first.
    public func importedFiles(ofRun runID: Int64) throws(StoreError) -> [ImportedFile] {
        try read { db in
            try ImportedFileRecord.filter(Column("runId") == runID).order(Column("id")).fetchAll(db).map(\.file)
        }
    }

    /// Stores an imported run, its points and where they came from, in one transaction.
    public func insertImported(
        _ run: Run, points: [MetricPoint], path: String, contentHash: String, bytes: Int,
        lastStep: Int
    ) throws(StoreError) -> Run {
        try validate(run, points)
        let storePath = self.path
        return try write { db in
            let stored = try Store.insertRun(run, db: db, path: storePath)
            let runID = stored.id!
            try Store.insertPoints(points, runID: runID, db: db)
            var file = ImportedFileRecord(
                ImportedFile(runID: runID, path: path, contentHash: contentHash, bytes: bytes, lastStep: lastStep))
            try file.insert(db)
            return stored
        }
    }

    /// Appends points to a run and records the content they came from, in one transaction;
    /// `replacing` names the import record (by hash) that the grown content supersedes.
    public func appendImported(
        _ points: [MetricPoint], toRun runID: Int64, path: String, contentHash: String, bytes: Int,
        lastStep: Int, replacing previousHash: String?
    ) throws(StoreError) {
        for (index, point) in points.enumerated() {
            do throws(DomainError) { try point.validate() } catch {
                throw .invalidValue(path: self.path, detail: "point \(index): \(error)")
            }
        }
        let storePath = self.path
        try write { db in
            guard try RunRecord.exists(db, key: runID) else { throw StoreError.runNotFound(path: storePath, id: runID) }
            try Store.insertPoints(points, runID: runID, db: db)
            if let previousHash {
                try ImportedFileRecord.filter(Column("runId") == runID && Column("contentHash") == previousHash)
                    .deleteAll(db)
            }
            var record = ImportedFileRecord(
                ImportedFile(
                    runID: runID, path: path, contentHash: contentHash, bytes: bytes,
                    lastStep: lastStep))
            try record.insert(db)
        }
    }
}
