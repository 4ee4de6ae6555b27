import Logging
import NIOCore
import SQLiteNIO
import SesameSQL
import Synchronization

/// Sesame's embedded database: one SQLite file in WAL mode. Every write goes through one writer
/// connection, one transaction at a time: SQLite serialises writers anyway, and this keeps every
/// read-check-write sequence atomic without busy retries. Plain reads go to a few read-only
/// connections, which WAL lets run beside the writer.
public final class SQLiteDatabase: SQLDatabase {
    private let writer: SQLiteConnection
    private let gate = AsyncGate()
    private let readers: [(connection: SQLiteConnection, gate: AsyncGate)]
    private let nextReader = Atomic<Int>(0)

    public let dialect = SQLDialect(name: "sqlite", beginWrite: "BEGIN IMMEDIATE")

    static let readerCount = 2

    private init(writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.writer = writer
        self.readers = readers.map { ($0, AsyncGate()) }
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String, logger: Logger) async throws -> SQLiteDatabase {
        var opened: [SQLiteConnection] = []
        do {
            let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            opened.append(writer)
            for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
                _ = try await writer.query(pragma)
            }
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                opened.append(reader)
                for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA query_only = ON"] { _ = try await reader.query(pragma) }
                readers.append(reader)
            }
            return SQLiteDatabase(writer: writer, readers: readers)
        } catch {
            for connection in opened { try? await connection.close() }
            throw error
        }
    }

    public func close() async throws {
        for reader in readers { try await reader.gate.withTurn { try await reader.connection.close() } }
        try await gate.withTurn { try await self.writer.close() }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let reader = readers[nextReader.wrappingAdd(1, ordering: .relaxed).oldValue % readers.count]
        return try await reader.gate.withTurn { try await body(Connection(sqlite: reader.connection)) }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await gate.withTurn { try await body(Connection(sqlite: self.writer)) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await gate.withTurn { try await Connection(sqlite: self.writer).inTransaction(begin: self.dialect.beginWrite, body) }
    }

    /// Other processes opening the same file wait on SQLite's own write lock inside each step.
    public func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await write(body)
    }

    struct Connection: SQLConnection {
        let sqlite: SQLiteConnection
        static let uniqueFailure = "UNIQUE constraint failed: "

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            do {
                return try await sqlite.query(sql, binds.map(Self.sqliteData)).map { row in
                    SQLRow(columns: row.columns.map { ($0.name, Self.value($0.data)) })
                }
            } catch let error as SQLiteError where error.message.hasPrefix(Self.uniqueFailure) {
                // "UNIQUE constraint failed: users.username"
                throw SQLError.uniqueViolation(column: String(error.message.dropFirst(Self.uniqueFailure.count)))
            }
        }

        static func sqliteData(_ value: SQLValue) -> SQLiteData {
            switch value {
            case .text(let text): .text(text)
            case .integer(let int): .integer(int)
            case .float(let double): .float(double)
            case .blob(let bytes): .blob(ByteBuffer(bytes: bytes))
            case .null: .null
            }
        }

        static func value(_ data: SQLiteData) -> SQLValue {
            switch data {
            case .text(let text): .text(text)
            case .integer(let int): .integer(int)
            case .float(let double): .float(double)
            case .blob(let buffer): .blob(Array(buffer.readableBytesView))
            case .null: .null
            }
        }
    }
}

/// Opens the embedded store: the SQLite file at `path`, with its schema brought up to date.
public enum SQLiteStore {
    public static func open(path: String, logger: Logger) async throws -> SQLStore {
        try await SQLStore.opening(try await SQLiteDatabase.open(path: path, logger: logger), logger: logger)
    }
}
