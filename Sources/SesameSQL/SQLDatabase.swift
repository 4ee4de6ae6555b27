/// One connection, as the store sees it. Statements use `?` or `?N` placeholders; a driver whose
/// database spells them otherwise rewrites them.
public protocol SQLConnection: Sendable {
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLConnection {
    public func query(_ sql: String) async throws -> [SQLRow] {
        try await query(sql, [])
    }
}

/// A database the store can run on: SQLite in one process, or PostgreSQL shared by many.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs read-only `body`.
    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Runs `body` outside a transaction: each of its statements commits by itself.
    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Runs `body` in a transaction; an error rolls all of it back.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Runs `body` while holding a lock that other processes migrating the same database wait for.
    func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
    func close() async throws
}

/// What differs between the databases beyond the driver.
public struct SQLDialect: Sendable {
    public var name: String
    /// Starts a transaction that will write, taking the write lock at once where that matters.
    public var beginWrite: String
    /// Turns the schema's DDL (written for SQLite) into this database's.
    public var translateDDL: @Sendable (String) -> String
    /// Run first in a transaction that appends to the audit chain, so appenders in different
    /// processes take turns; nil where one process owns every write anyway.
    public var serializeAuditAppends: String?
    /// Run after rows with explicit ids were imported, so new rows get ids above them.
    public var afterImport: [String]
    /// Whether a WITH clause may hold UPDATE and INSERT (PostgreSQL): a read-check-write sequence
    /// is then one statement, one round trip, instead of a transaction of several.
    public var writableCTEs: Bool
    /// How a batch of rows is split into multi-row INSERTs.
    public var multiRowInserts: MultiRowInserts

    public init(
        name: String, beginWrite: String = "BEGIN", translateDDL: @escaping @Sendable (String) -> String = { $0 }, serializeAuditAppends: String? = nil,
        afterImport: [String] = [], writableCTEs: Bool = false, multiRowInserts: MultiRowInserts = .fewestStatements(limit: 100)
    ) {
        self.writableCTEs = writableCTEs
        self.multiRowInserts = multiRowInserts
        self.name = name
        self.beginWrite = beginWrite
        self.translateDDL = translateDDL
        self.serializeAuditAppends = serializeAuditAppends
        self.afterImport = afterImport
    }
}

/// Database errors the store acts on, whichever driver raised them.
public enum SQLError: Error, CustomStringConvertible {
    /// A UNIQUE constraint refused a row; `column` is `table.column`.
    case uniqueViolation(column: String)
    /// Anything else the database refused, described without the values involved.
    case failed(String)

    public func isUniqueViolation(of column: String) -> Bool {
        if case .uniqueViolation(let violated) = self { return violated == column }
        return false
    }

    public var description: String {
        switch self {
        case .uniqueViolation(let column): "duplicate value for \(column)"
        case .failed(let message): message
        }
    }
}

extension SQLConnection {
    /// Runs `body` between `begin` and COMMIT on this connection; any error rolls it back.
    public func inTransaction<T: Sendable>(begin: String, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        _ = try await query(begin)
        do {
            let result = try await body(self)
            _ = try await query("COMMIT")
            return result
        } catch {
            // In a task of its own: a cancelled task's ROLLBACK would be refused too, leaving
            // the connection inside this transaction (the audit flush at shutdown met that).
            _ = try? await Task { try await self.query("ROLLBACK") }.value
            throw error
        }
    }
}
