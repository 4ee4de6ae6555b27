import Foundation
import Logging
import SQLiteNIO
import SesameCore
import Synchronization

/// Sesame's embedded store: one SQLite file in WAL mode. Every write goes through one writer
/// connection, one transaction at a time: SQLite serialises writers anyway, and this keeps every
/// read-check-write sequence atomic without busy retries. Plain reads go to a few read-only
/// connections, which WAL lets run beside the writer.
public final class SQLiteStore: Sendable {
    let connection: SQLiteConnection
    private let gate = AsyncGate()
    private let readers: [(connection: SQLiteConnection, gate: AsyncGate)]
    private let nextReader = Atomic<Int>(0)

    static let readerCount = 2

    private init(connection: SQLiteConnection, readers: [SQLiteConnection]) {
        self.connection = connection
        self.readers = readers.map { ($0, AsyncGate()) }
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public static func open(path: String, logger: Logger) async throws -> SQLiteStore {
        var opened: [SQLiteConnection] = []
        do {
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            opened.append(connection)
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000"] {
                _ = try await connection.query(pragma)
            }
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                opened.append(reader)
                for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA query_only = ON"] { _ = try await reader.query(pragma) }
                readers.append(reader)
            }
            let store = SQLiteStore(connection: connection, readers: readers)
            try await store.migrate(logger: logger)
            return store
        } catch {
            for connection in opened { try? await connection.close() }
            throw error
        }
    }

    public func close() async throws {
        for reader in readers { try await reader.gate.withTurn { try await reader.connection.close() } }
        try await gate.withTurn { try await self.connection.close() }
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() async throws -> [Int] {
        try await read { db in
            try await db.query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.column("version")?.integer }
        }
    }

    func migrate(logger: Logger) async throws {
        try await transaction { db in
            _ = try await db.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
            )
        }
        let applied = Set(try await appliedMigrations())
        for step in Migrations.steps where !applied.contains(step.version) {
            try await transaction { db in
                for statement in step.statements { _ = try await db.query(statement) }
                _ = try await db.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(step.version), .text(step.name), .float(Date().timeIntervalSince1970)]
                )
            }
            logger.info("applied migration", metadata: ["version": "\(step.version)", "name": "\(step.name)"])
        }
    }

    /// Runs read-only `body` on one of the reader connections.
    func read<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let reader = readers[nextReader.wrappingAdd(1, ordering: .relaxed).oldValue % readers.count]
        return try await reader.gate.withTurn { try await body(reader.connection) }
    }

    /// Runs `body` alone on the writer connection, without a transaction (single statements,
    /// which SQLite makes atomic by themselves).
    func write<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await gate.withTurn { try await body(self.connection) }
    }

    /// Runs `body` in a write transaction; any error rolls everything back.
    func transaction<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await gate.withTurn {
            _ = try await self.connection.query("BEGIN IMMEDIATE")
            do {
                let result = try await body(self.connection)
                _ = try await self.connection.query("COMMIT")
                return result
            } catch {
                _ = try? await self.connection.query("ROLLBACK")
                throw error
            }
        }
    }
}

extension SQLiteStore: HealthCheck {
    public func ping() async throws {
        _ = try await read { try await $0.query("SELECT 1") }
    }
}

extension Date {
    var sqlite: SQLiteData { .float(timeIntervalSince1970) }
}

extension SQLiteRow {
    func text(_ name: String) -> String? { column(name)?.string }
    func date(_ name: String) -> Date { Date(timeIntervalSince1970: column(name)?.double ?? 0) }
    func int(_ name: String) -> Int { column(name)?.integer ?? 0 }
}

extension Optional where Wrapped == String {
    var sqlite: SQLiteData { map { .text($0) } ?? .null }
}
