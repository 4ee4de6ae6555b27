import Foundation
import NIOCore
import NIOSSL
import PostgresNIO
import SesameSQL

/// PostgreSQL through a postgres-nio connection pool, for several Sesame instances sharing one
/// database. Single statements run on any pooled connection; a transaction keeps its connection
/// until it ends. Row locks and atomic `UPDATE ... RETURNING` keep the store's single-use
/// guarantees across instances; advisory locks order migrations and audit-chain appends.
public final class PostgresDatabase: SQLDatabase {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    let statements = PreparedStatements()

    public var dialect: SQLDialect { PostgresDialect.dialect }

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    /// `keepConnectionsOpen`: the server's pool opens its connections at once and keeps them (see
    /// below); a one-shot command's pool (false) opens them as it needs them, as few as it can.
    public static func open(_ url: PostgresURL, logger: Logger, keepConnectionsOpen: Bool = true) async throws -> PostgresDatabase {
        try await checkReachable(url, logger: logger)
        let tls: PostgresClient.Configuration.TLS =
            switch url.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: tls
        )
        configuration.options.maximumConnections = url.poolSize
        // The pool's connections stay open, and idle ones are not pinged: postgres-nio schedules an
        // idle-timeout and a keep-alive timer each time a connection goes back to the pool, and a
        // timer's memory (about 0.8 KiB) stayed until it was due, 30-60 s later, whether cancelled
        // or not: at a few thousand queries a second, a hundred MiB and more (Benchmarks/README.md).
        configuration.options.minimumConnections = keepConnectionsOpen ? url.poolSize : 0
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = .seconds(5)
        // The pool's own chatter (including a start-up race warning) stays out of the server log;
        // failures reach the caller as errors.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        let runner = Task { await client.run() }
        let database = PostgresDatabase(client: client, runner: runner, logger: logger)
        do {
            _ = try await database.read { try await $0.query("SELECT 1") }
            return database
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// One plain connection first: the pool retries a refused connection for a minute, while
    /// someone starting Sesame with a wrong URL wants to hear at once what is wrong.
    static func checkReachable(_ url: PostgresURL, logger: Logger) async throws {
        let tls: PostgresConnection.Configuration.TLS =
            switch url.tls {
            case .disable: .disable
            case .prefer: .prefer(try .init(configuration: .makeClientConfiguration()))
            case .require: .require(try .init(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: tls
        )
        configuration.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            throw error.serverInfo == nil ? SQLError.failed("cannot connect to \(url.host):\(url.port) (\(error.code))") : Connection.storeError(error)
        }
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await write(body)
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await Self.translatingErrors {
            try await client.withConnection { connection in
                let sesameConnection = Connection(postgres: connection, logger: self.logger, statements: self.statements)
                if self.statements.isFirstUse(of: connection) {
                    // Statements are prepared once per connection; left to choose, the server kept
                    // planning several of them again at every call (a custom plan each time), and
                    // their generic plans are the same index lookups. Set here rather than as a
                    // start-up parameter, which connection poolers such as PgBouncer refuse; a
                    // server without the setting (before 12) plans as it did.
                    _ = try? await sesameConnection.unnamed("SET plan_cache_mode = force_generic_plan", [])
                }
                return try await body(sesameConnection)
            }
        }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        func run() async throws -> T { try await write { connection in try await connection.inTransaction(begin: "BEGIN", body) } }
        do {
            return try await run()
        } catch StaleStatement.inTransaction {
            // A prepared statement met a table another instance's migration had changed; the
            // transaction was rolled back, and the statement is prepared afresh this time.
            return try await run()
        }
    }

    /// Thrown inside a transaction when a prepared statement no longer fits its table (the
    /// transaction is aborted then; outside one, the statement is simply prepared again).
    enum StaleStatement: Error { case inTransaction }

    public func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await write { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(PostgresDialect.migrationLockKey))")
            do {
                _ = try await connection.query(PostgresDialect.createCollation)
                let result = try await body(connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(PostgresDialect.migrationLockKey))")
                return result
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(PostgresDialect.migrationLockKey))")
                throw error
            }
        }
    }

    /// postgres-nio hides server messages from `description` (they may hold data); the store's
    /// errors name what failed so an operator can act on them.
    static func translatingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw Connection.storeError(error)
        }
    }

    struct Connection: SQLConnection {
        let postgres: PostgresConnection
        let logger: Logger
        let statements: PreparedStatements

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            guard PreparedStatements.isPreparable(sql, values: binds.count) else { return try await unnamed(sql, binds) }
            let key = PreparedStatements.key(sql, binds)
            do {
                guard let statement = try await statements.statement(for: key, on: postgres) else {
                    return try await unnamed(sql, binds)
                }
                let rows = try await statement.execute(binds.map(PreparedStatements.data)).get()
                return rows.map { row in
                    // postgres-nio asks for every result in binary; this path labels cells with the
                    // format of the statement's description (text) instead.
                    SQLRow(columns: row.map { cell in
                        var cell = cell
                        cell.format = .binary
                        return (cell.columnName, Self.value(cell))
                    })
                }
            } catch let error as PostgresError {
                // postgres-nio's older API, which prepares dynamic SQL, reports errors in its older type.
                guard case .server(let message) = error else { throw SQLError.failed("PostgreSQL connection: \(error)") }
                let state = message.fields[.sqlState] ?? ""
                if PreparedStatements.staleStates.contains(state) {
                    statements.forget(key, on: postgres)
                    if try await inTransaction() { throw StaleStatement.inTransaction }
                    return try await unnamed(sql, binds)
                }
                throw Self.storeError(state: state, message: message.fields[.message], table: message.fields[.tableName], detail: message.fields[.detail])
            }
        }

        /// Whether this connection is inside a transaction (the server reports it with every
        /// answer; asked here only after a failure).
        private func inTransaction() async throws -> Bool {
            // pg_current_xact_id_if_assigned() is null outside a transaction *and* in one that
            // wrote nothing yet, so the transaction status is read from the failed state instead:
            // in an aborted transaction every statement fails with 25P02.
            do {
                _ = try await unnamed("SELECT 1", [])
                return false
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "25P02" {
                return true
            }
        }

        func unnamed(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            var bindings = PostgresBindings(capacity: binds.count)
            for value in binds {
                switch value {
                case .text(let text): bindings.append(text)
                case .integer(let int): bindings.append(int)
                case .float(let double): bindings.append(double)
                case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
                case .null: bindings.appendNull()
                }
            }
            do {
                var rows: [SQLRow] = []
                let sequence = try await postgres.query(PostgresQuery(unsafeSQL: PostgresDialect.placeholders(sql), binds: bindings), logger: logger)
                for try await row in sequence {
                    rows.append(SQLRow(columns: row.map { ($0.columnName, Self.value($0)) }))
                }
                return rows
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                throw Self.storeError(error)  // here, so that a transaction's body can catch it
            }
        }

        static func value(_ cell: PostgresCell) -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map { .integer($0) } ?? .null
            case .float4, .float8: return (try? cell.decode(Double.self)).map { .float($0) } ?? .null
            case .bool: return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
            case .bytea: return (try? cell.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
            default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
            }
        }

        /// `table.column` from the server's "Key (column)=(value) already exists." detail.
        static func violatedColumn(table: String?, detail: String?) -> String {
            let table = table ?? ""
            let detail = detail ?? ""
            guard let open = detail.range(of: "Key ("), let close = detail.range(of: ")=", range: open.upperBound..<detail.endIndex) else {
                return table
            }
            return table + "." + detail[open.upperBound..<close.lowerBound]
        }

        /// The store's error for what the server refused, from the fields both postgres-nio APIs
        /// report: a unique violation names its column; anything else its SQLSTATE and message.
        static func storeError(state: String?, message: String?, table: String?, detail: String?) -> SQLError {
            if state == "23505" { return .uniqueViolation(column: violatedColumn(table: table, detail: detail)) }
            return .failed("PostgreSQL \(state ?? ""): \(message ?? "error")")
        }

        static func storeError(_ error: PSQLError) -> SQLError {
            guard let info = error.serverInfo else { return .failed("PostgreSQL connection: \(error.code)") }
            return storeError(state: info[.sqlState], message: info[.message], table: info[.tableName], detail: info[.detail])
        }
    }
}

/// Opens the shared store on PostgreSQL, with its schema brought up to date (safely when several
/// instances start at once).
public enum PostgresStore {
    public static func open(_ url: PostgresURL, logger: Logger, keepConnectionsOpen: Bool = true) async throws -> SQLStore {
        try await SQLStore.opening(try await PostgresDatabase.open(url, logger: logger, keepConnectionsOpen: keepConnectionsOpen), logger: logger)
    }
}
