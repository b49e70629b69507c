public import Domain
import Foundation
import GRDB

/// IsoPlan's SQLite store: one file in WAL mode holding runs and their metric points
/// (later migrations add fits, plans and executor state).
///
/// Opening checks the file before anything is written: a file that is not SQLite, an SQLite
/// database of another application, or one written by a newer IsoPlan is refused with a
/// ``StoreError`` naming the file. Every write is one transaction, so a failed write leaves
/// nothing behind. The store is safe to share between tasks (a GRDB `DatabasePool`).
public final class Store: Sendable {
    /// The database file's path, as given.
    public let path: String
    private let pool: DatabasePool

    /// Opens the database at `path`, creating it (and migrating it to the latest schema) when it
    /// does not exist or is empty — unless `createIfMissing` is false, for commands that only read
    /// an existing store.
    /// - Throws: ``StoreError``.
    public init(path: String, createIfMissing: Bool = true) throws(StoreError) {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            if !createIfMissing { throw .missingDatabase(path: path) }
            var isFolder: ObjCBool = false
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty
                && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue)
            {
                throw .missingFolder(path: path)
            }
        }
        try Store.inspectExistingFile(at: path)
        do {
            var configuration = Store.configuration()
            configuration.foreignKeysEnabled = true
            pool = try DatabasePool(path: path, configuration: configuration)
            try Store.migrate(pool)
        } catch {
            throw Store.translate(error, path: path)
        }
    }

    /// Every connection waits up to 10 s for another connection's or process's lock instead of
    /// failing with "database is locked" (a reader that closes last checkpoints the WAL under an
    /// exclusive lock).
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// Applies the migrations the file lacks. Several processes may open the same new file at
    /// once, and GRDB reads the applied migrations outside each migration's transaction, so one of
    /// them can try a migration another has just committed ("table … already exists"). A failure
    /// after which the applied set has grown lost that race: the rest is retried from the new set.
    /// A failure with no progress elsewhere is rethrown.
    private static func migrate(_ pool: DatabasePool) throws {
        let migrator = Migrations.migrator
        while try !pool.read(migrator.hasCompletedMigrations) {
            let before = try pool.read(migrator.appliedIdentifiers)
            do {
                try migrator.migrate(pool)
            } catch {
                guard try pool.read(migrator.appliedIdentifiers).count > before.count else { throw error }
            }
        }
    }

    /// Refuses, without writing, a file that is not an IsoPlan database or is from a newer version.
    private static func inspectExistingFile(at path: String) throws(StoreError) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, size > 0 else { return }
        do {
            var configuration = Store.configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                let tables = try String.fetchAll(
                    db,
                    sql: """
                        SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                        """)
                // No tables, or only GRDB's bookkeeping table with no migration in it: a new
                // store, possibly one another process is creating at this moment.
                if tables.isEmpty { return }
                if tables == ["grdb_migrations"], try Migrations.migrator.appliedIdentifiers(db).isEmpty { return }
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard applicationID == Migrations.applicationID else {
                    let shown = tables.prefix(5).joined(separator: ", ")
                    throw StoreError.foreignDatabase(
                        path: path,
                        detail: "application_id \(applicationID), tables: \(shown)\(tables.count > 5 ? ", …" : "")")
                }
                let applied = try Migrations.migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(Migrations.knownIdentifiers).sorted()
                if !unknown.isEmpty {
                    throw StoreError.createdByNewerVersion(path: path, unknownMigrations: unknown)
                }
            }
        } catch {
            throw translate(error, path: path)
        }
    }

    private static func translate(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let malformed = error as? MalformedRow {
            return .malformedRow(path: path, table: malformed.table, row: malformed.row, detail: malformed.detail)
        }
        if let dbError = error as? DatabaseError {
            switch dbError.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return .notADatabase(path: path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return .cannotOpen(path: path, reason: dbError.message ?? "\(dbError.resultCode)")
            default:
                return .sqlite(path: path, message: dbError.message ?? "\(dbError.resultCode)")
            }
        }
        return .sqlite(path: path, message: "\(error)")
    }

    /// Runs `body` in one write transaction, translating failures to ``StoreError``.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Store.translate(error, path: path)
        }
    }

    /// Runs `body` in one read transaction — inside ``snapshot(_:)``, the snapshot's.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            if Store.snapshotOwner == ObjectIdentifier(self) { return try pool.unsafeReentrantRead(body) }
            return try pool.read(body)
        } catch {
            throw Store.translate(error, path: path)
        }
    }

    /// The store whose ``snapshot(_:)`` the current task is in.
    @TaskLocal private static var snapshotOwner: ObjectIdentifier?

    /// Runs `body`, whose reads of this store all see one snapshot: one read transaction, so
    /// another process writing meanwhile (WAL: it is never blocked) changes nothing `body` sees.
    /// `body` must only read this store, on the calling thread.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        do {
            return try pool.read { _ in try Store.$snapshotOwner.withValue(ObjectIdentifier(self), operation: body) }
        } catch let error as DatabaseError {
            throw Store.translate(error, path: path)
        }
    }
}

// MARK: - Schema facts

/// What `isoplan db info` shows: schema version and row counts.
public struct StoreInfo: Codable, Sendable, Equatable {
    /// The database file.
    public var path: String
    /// Number of applied migrations (1 = runs and points).
    public var schemaVersion: Int
    /// Identifiers of the applied migrations, in order.
    public var migrations: [String]
    /// Row count of each table, by table name.
    public var counts: [String: Int]
    /// SQLite's journal mode (`wal`).
    public var journalMode: String
}

extension Store {
    /// The schema version, applied migrations, journal mode and the row count of every table.
    public func info() throws(StoreError) -> StoreInfo {
        let path = self.path
        return try read { db in
            let applied = try Migrations.migrator.appliedIdentifiers(db)
            let ordered = Migrations.knownIdentifiers.filter { applied.contains($0) }
            var counts: [String: Int] = [:]
            for table in [
                RunRecord.databaseTableName, PointRecord.databaseTableName, FitRecord.databaseTableName,
                JudgeTallyRecord.databaseTableName, TaskRecord.databaseTableName,
                RolloutRecord.databaseTableName, LLMCallRecord.databaseTableName,
            ] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
            return StoreInfo(
                path: path, schemaVersion: ordered.count, migrations: ordered, counts: counts,
                journalMode: mode)
        }
    }
}

// MARK: - Runs and points

extension Store {
    /// Saves a new run and its points in one transaction and returns the run with its id.
    ///
    /// Every value is validated first; on any failure nothing is written.
    /// - Throws: ``StoreError/duplicateRunName(path:name:)``, ``StoreError/invalidValue(path:detail:)``.
    @discardableResult
    public func insert(_ run: Run, points: [MetricPoint]) throws(StoreError) -> Run {
        try validate(run, points)
        let path = self.path
        return try write { db in
            let stored = try Store.insertRun(run, db: db, path: path)
            try Store.insertPoints(points, runID: stored.id!, db: db)
            return stored
        }
    }

    /// Inserts a run row (inside a caller's transaction); a taken name is `duplicateRunName`.
    static func insertRun(_ run: Run, db: Database, path: String) throws -> Run {
        var record = RunRecord(run)
        record.id = nil
        do {
            try record.insert(db)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.duplicateRunName(path: path, name: run.name)
        }
        guard record.id != nil else { throw StoreError.sqlite(path: path, message: "no row id after insert") }
        return try record.run()
    }

    /// Appends points to a stored run in one transaction.
    /// - Throws: ``StoreError/runNotFound(path:id:)``, ``StoreError/invalidValue(path:detail:)``.
    public func append(_ points: [MetricPoint], toRun runID: Int64) throws(StoreError) {
        for (index, point) in points.enumerated() {
            do throws(DomainError) { try point.validate() } catch {
                throw .invalidValue(path: path, detail: "point \(index): \(error)")
            }
        }
        let path = self.path
        try write { db in
            guard try RunRecord.exists(db, key: runID) else { throw StoreError.runNotFound(path: path, id: runID) }
            try Store.insertPoints(points, runID: runID, db: db)
        }
    }

    static func insertPoints(_ points: [MetricPoint], runID: Int64, db: Database) throws {
        for point in points {
            var record = PointRecord(point, runId: runID)
            try record.insert(db)
        }
    }

    func validate(_ run: Run, _ points: [MetricPoint]) throws(StoreError) {
        do throws(DomainError) { try run.validate() } catch {
            throw .invalidValue(path: path, detail: "run \"\(run.name)\": \(error)")
        }
        for (index, point) in points.enumerated() {
            do throws(DomainError) { try point.validate() } catch {
                throw .invalidValue(path: path, detail: "run \"\(run.name)\", point \(index): \(error)")
            }
        }
    }

    /// The runs `filter` selects, by id.
    public func runs(matching filter: RunFilter) throws(StoreError) -> [Run] {
        try runs().filter(filter.matches)
    }

    /// All runs, by id.
    public func runs() throws(StoreError) -> [Run] {
        try read { db in try RunRecord.order(RunRecord.Columns.id).fetchAll(db).map { try $0.run() } }
    }

    /// The run named `name`, if any.
    public func run(named name: String) throws(StoreError) -> Run? {
        try read { db in try RunRecord.filter(RunRecord.Columns.name == name).fetchOne(db)?.run() }
    }

    /// The points of a run, optionally of one metric, ordered by metric, step and insertion.
    public func points(ofRun runID: Int64, metric: MetricName? = nil) throws(StoreError) -> [MetricPoint] {
        try read { db in
            var request = PointRecord.filter(PointRecord.Columns.runId == runID)
            if let metric { request = request.filter(PointRecord.Columns.metric == metric.rawValue) }
            return
                try request
                .order(PointRecord.Columns.metric, PointRecord.Columns.step, Column.rowID)
                .fetchAll(db).map(\.point)
        }
    }

    /// Deletes a run and its points (one transaction). Returns whether a run was deleted.
    @discardableResult
    public func deleteRun(id: Int64) throws(StoreError) -> Bool {
        try write { db in try RunRecord.deleteOne(db, key: id) }
    }
}
