import GRDB

/// The migration timeline. A shipped migration is never edited: later issues append new ones.
enum Migrations {
    /// IsoPlan's SQLite `application_id` ("ISOP"), written by the first migration so a database
    /// of another application is recognised before anything touches it.
    static let applicationID: Int32 = 0x4953_4F50

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(V1RunsAndPoints.identifier, migrate: V1RunsAndPoints.migrate)
        migrator.registerMigration(V2Fits.identifier, migrate: V2Fits.migrate)
        migrator.registerMigration(V3JudgeTallies.identifier, migrate: V3JudgeTallies.migrate)
        migrator.registerMigration(V4RunSweeps.identifier, migrate: V4RunSweeps.migrate)
        migrator.registerMigration(V5ImportedFiles.identifier, migrate: V5ImportedFiles.migrate)
        migrator.registerMigration(V6Plans.identifier, migrate: V6Plans.migrate)
        migrator.registerMigration(V7Executor.identifier, migrate: V7Executor.migrate)
        migrator.registerMigration(V8PointWallTime.identifier, migrate: V8PointWallTime.migrate)
        migrator.registerMigration(V9JudgeTallyIteration.identifier, migrate: V9JudgeTallyIteration.migrate)
        return migrator
    }

    /// Identifiers of every migration this version knows, in order.
    static var knownIdentifiers: [String] { migrator.migrations }
}
