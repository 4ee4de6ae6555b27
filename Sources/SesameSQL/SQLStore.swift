import Foundation
import Logging
import SesameCore

/// Every storage port of Sesame, written once in SQL that SQLite and PostgreSQL both run, so the
/// two stores cannot drift apart. The driver underneath decides how connections are shared: one
/// SQLite writer in one process, or a pool of PostgreSQL connections in each of many instances.
public final class SQLStore: Sendable {
    public let database: any SQLDatabase

    /// The schema version this build migrates to.
    public static var schemaVersion: Int { Migrations.steps.map(\.version).max() ?? 0 }
    /// Every step's version in order (numbers are assigned ahead, so there may be gaps).
    public static var migrationVersions: [Int] { Migrations.steps.map(\.version) }

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// A store on `database` with its schema brought up to date; the database is closed again if
    /// that fails.
    public static func opening(_ database: any SQLDatabase, logger: Logger) async throws -> SQLStore {
        let store = SQLStore(database: database)
        do {
            try await store.migrate(logger: logger)
            return store
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Brings the schema up to date. Several instances may start at once: the migration lock makes
    /// them take turns, and each re-reads what is applied once it holds the lock.
    public func migrate(logger: Logger) async throws {
        let dialect = database.dialect
        try await database.withMigrationLock { db in
            _ = try await db.query(
                dialect.translateDDL("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)")
            )
            let applied = Set(try await Self.appliedMigrations(db))
            for step in Migrations.steps where !applied.contains(step.version) {
                let didApply = try await db.inTransaction(begin: dialect.beginWrite) { db in
                    // Another process may have applied it since we looked (SQLite has no migration lock).
                    if try await !db.query("SELECT 1 FROM schema_migrations WHERE version = ?", [.integer(step.version)]).isEmpty { return false }
                    for statement in step.statements { _ = try await db.query(dialect.translateDDL(statement)) }
                    _ = try await db.query(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        [.integer(step.version), .text(step.name), Date().sql]
                    )
                    return true
                }
                if didApply { logger.info("applied migration", metadata: ["version": "\(step.version)", "name": "\(step.name)"]) }
            }
        }
        try await chainUnchainedAuditEvents()
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() async throws -> [Int] {
        try await read { try await Self.appliedMigrations($0) }
    }

    private static func appliedMigrations(_ db: any SQLConnection) async throws -> [Int] {
        try await db.query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.column("version")?.integer }
    }

    public func close() async throws {
        try await database.close()
    }

    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await database.read(body)
    }

    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await database.write(body)
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await database.transaction(body)
    }
}

extension SQLStore: HealthCheck {
    public func ping() async throws {
        _ = try await read { try await $0.query("SELECT 1") }
    }
}
