import SesameSQL
import VaporCSQLite

/// One SQLite connection driven through SQLite's C API on the calling thread, with its prepared
/// statements kept for reuse. sqlite-nio (whose amalgamation this links) ran each statement on
/// a thread pool, handed every row back to an event loop and prepared every statement anew: the
/// refresh grant spent a third of its time in those hops and 15 % compiling the same SQL again.
/// One task at a time uses a handle (`SQLiteConnectionPool` sees to that).
final class SQLiteHandle: @unchecked Sendable {
    private var database: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The SQL is the store's own, a few dozen statements; the cap only guards against a bug.
    static let statementCacheLimit = 256
    /// A statement with more values than this (a listing of every user, an import) is compiled
    /// for its one call and not kept: such statements are large, and their text varies with the
    /// number of rows. The audit log's largest INSERT has 576.
    static let keptStatementParameters = 1000
    static let uniqueFailure = "UNIQUE constraint failed: "

    init(path: String, pragmas: [String]) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let opened = sqlite_nio_sqlite3_open_v2(path, &database, flags, nil)
        guard opened == SQLITE_OK, database != nil else {
            let message = database.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite_nio_sqlite3_close_v2(database)
            database = nil
            throw SQLError.failed("could not open the SQLite database \(path): \(message)")
        }
        do {
            for pragma in pragmas { _ = try query(pragma, []) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        if let database { sqlite_nio_sqlite3_close_v2(database) }
        database = nil
    }

    /// Hands the page cache and other memory this connection can do without back to the allocator.
    func releaseMemory() {
        if let database { _ = sqlite_nio_sqlite3_db_release_memory(database) }
    }

    /// Bytes of heap this connection's page cache holds.
    var cacheBytes: Int { heapBytes(SQLITE_DBSTATUS_CACHE_USED) }

    /// Bytes of heap this connection's prepared statements hold.
    var statementBytes: Int { heapBytes(SQLITE_DBSTATUS_STMT_USED) }

    private func heapBytes(_ status: Int32) -> Int {
        guard let database else { return 0 }
        var current: Int32 = 0, highest: Int32 = 0
        _ = sqlite_nio_sqlite3_db_status(database, status, &current, &highest, 0)
        return Int(current)
    }

    func query(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        let kept = binds.count <= Self.keptStatementParameters
        let statement = try prepared(sql, keep: kept)
        defer {
            if kept {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            } else {
                sqlite_nio_sqlite3_finalize(statement)
            }
        }
        for (index, value) in binds.enumerated() {
            let status = bind(value, at: Int32(index + 1), to: statement)
            guard status == SQLITE_OK else { throw failure() }
        }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
        var rows: [SQLRow] = []
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW:
                rows.append(SQLRow(columns: (0..<count).map { (names[Int($0)], Self.value(statement, $0)) }))
            case SQLITE_DONE:
                return rows
            default:
                throw failure()
            }
        }
    }

    private func prepared(_ sql: String, keep: Bool) throws -> OpaquePointer {
        // A statement not kept is never in the cache: no need to hash its long text to look.
        if keep, let statement = statements[sql] { return statement }
        guard let database else { throw SQLError.failed("the SQLite connection is closed") }
        var statement: OpaquePointer?
        let flags = keep ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        guard sqlite_nio_sqlite3_prepare_v3(database, sql, -1, flags, &statement, nil) == SQLITE_OK, let statement else { throw failure() }
        guard keep else { return statement }
        if statements.count >= Self.statementCacheLimit {
            for cached in statements.values { sqlite_nio_sqlite3_finalize(cached) }
            statements.removeAll()
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLValue, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .text(let text):
            return sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .integer(let integer):
            return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double):
            return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .blob(let bytes):
            // A null pointer would bind NULL, not an empty blob.
            guard !bytes.isEmpty else { return sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0) }
            return bytes.withUnsafeBytes { sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient) }
        case .null:
            return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// The connection's last error as the store's error: a UNIQUE violation names its column.
    private func failure() -> SQLError {
        let message = database.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "the SQLite connection is closed"
        if message.hasPrefix(Self.uniqueFailure) {
            // "UNIQUE constraint failed: users.username"
            return .uniqueViolation(column: String(message.dropFirst(Self.uniqueFailure.count)))
        }
        return .failed(message)
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
