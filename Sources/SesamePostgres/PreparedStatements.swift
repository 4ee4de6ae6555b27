import NIOCore
import PostgresNIO
import SesameSQL
import Synchronization

/// Named prepared statements, one set per pooled connection. Sent unnamed, each statement was
/// parsed and planned again at every call: profiled under refresh load, planning took about two
/// thirds of PostgreSQL's time on Sesame's statements (0.43 ms of the user's roles query alone).
///
/// postgres-nio prepares dynamic SQL without parameter types and then binds values in binary,
/// so every placeholder is given its value's type by a cast (`$1::int8`), as the unnamed path
/// gave it in the Parse message; the same SQL with other value types is another statement.
/// A connection's set is dropped when it closes (the pool closes idle ones).
final class PreparedStatements: Sendable {
    struct Key: Hashable {
        var sql: String
        var types: [PostgresDialect.PlaceholderType?]
    }

    /// By connection id (never reused by the pool).
    private let connections = Mutex<[Int: [Key: PreparedQuery]]>([:])
    /// Statements with more values run unnamed: the audit log's multi-row INSERTs, whose row
    /// count and NULLs vary, would each be another statement.
    static let maximumValues = 32
    /// Past this many statements on one connection, new ones run unnamed (each prepared
    /// statement holds memory in its server process until the connection closes).
    static let maximumPerConnection = 256

    /// Only plain statements are prepared; BEGIN, COMMIT, SET, DDL and the like run unnamed.
    static func isPreparable(_ sql: String, values: Int) -> Bool {
        guard values <= maximumValues else { return false }
        let head = sql.utf8.prefix(while: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }).map { $0 | 0x20 }
        return ["select", "insert", "update", "delete", "with"].contains { Array($0.utf8) == head }
    }

    static func key(_ sql: String, _ binds: [SQLValue]) -> Key {
        Key(sql: sql, types: binds.map(PostgresDialect.PlaceholderType.init))
    }

    /// True once for each connection, the first time it is leased (before any transaction);
    /// from then on its statements are remembered until it closes.
    func isFirstUse(of connection: PostgresConnection) -> Bool {
        let id = connection.id
        let first = connections.withLock { known in
            guard known[id] == nil else { return false }
            known[id] = [:]
            return true
        }
        if first {
            connection.closeFuture.whenComplete { [weak self] _ in
                _ = self?.connections.withLock { $0.removeValue(forKey: id) }
            }
        }
        return first
    }

    /// The statement prepared on this connection, prepared now if it is new; nil when the
    /// connection holds as many as it may (the statement then runs unnamed).
    func statement(for key: Key, on connection: PostgresConnection) async throws -> PreparedQuery? {
        enum Lookup { case prepared(PreparedQuery), new, full }
        let id = connection.id
        let lookup: Lookup = connections.withLock { all in
            guard let statements = all[id] else { return .new }
            if let statement = statements[key] { return .prepared(statement) }
            return statements.count < Self.maximumPerConnection ? .new : .full
        }
        switch lookup {
        case .prepared(let statement): return statement
        case .full: return nil
        case .new: break
        }
        let prepared = try await connection.prepare(query: PostgresDialect.placeholders(key.sql, types: key.types)).get()
        connections.withLock { $0[id]?[key] = prepared }
        return prepared
    }

    /// After the server refused a statement it had prepared (its table changed under it).
    func forget(_ key: Key, on connection: PostgresConnection) {
        _ = connections.withLock { $0[connection.id]?.removeValue(forKey: key) }
    }

    /// Statements remembered, over all open connections.
    var count: Int { connections.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// A value in the binary form of the type its placeholder was cast to.
    static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .text(let text): PostgresData(string: text)
        case .integer(let int): PostgresData(int64: Int64(int))
        case .float(let double): PostgresData(double: double)
        case .blob(let bytes): PostgresData(bytes: bytes)
        case .null: PostgresData(type: .null)
        }
    }

    /// SQLSTATEs meaning a prepared statement no longer fits (a migration changed its table's
    /// columns: "cached plan must not change result type"; or the statement is gone): prepared
    /// again, the statement runs as it should.
    static let staleStates: Set<String> = ["0A000", "26000"]
}
