import Logging
import NIOPosix
import SesameSQL

/// Sesame's embedded database: one SQLite file in WAL mode. Every write goes through one writer
/// connection, one transaction at a time: SQLite serialises writers anyway, and this keeps every
/// read-check-write sequence atomic without busy retries. Plain reads go to a few read-only
/// connections, which WAL lets run beside the writer.
///
/// Statements run on the calling task's thread: an indexed read or a WAL append takes
/// microseconds, less than handing it to another thread and back. The one slow part of a commit,
/// the WAL checkpoint and its fsync, is taken out of the commit (`wal_autocheckpoint = 0`) and run
/// every second on NIO's thread pool, by a reader connection: a PASSIVE checkpoint does not stop
/// the writer, which then goes on committing while the pages are copied and synced. The same loop
/// empties the WAL's file and hands page caches back once a burst is over (`SQLiteMaintenance`).
public final class SQLiteDatabase: SQLDatabase {
    private let writer: SQLiteConnectionPool
    private let readers: SQLiteConnectionPool
    private let checkpoints: Task<Void, Never>

    /// Each connection keeps every distinct statement prepared, so batches are split into a few
    /// sizes of INSERT (MultiRowInserts).
    public let dialect = SQLDialect(name: "sqlite", beginWrite: "BEGIN IMMEDIATE", multiRowInserts: .powersOfTwo(limit: 64))

    static let readerCount = 2

    private init(writer: SQLiteHandle, readers: [SQLiteHandle], limits: SQLiteMaintenance.Limits, logger: Logger) {
        let writerPool = SQLiteConnectionPool([writer])
        let readerPool = SQLiteConnectionPool(readers)
        self.writer = writerPool
        self.readers = readerPool
        // On a reader's connection, taking its turn like a read (measured: on the writer's, the
        // commits queued behind each checkpoint's fsync raised the refresh p99 from 17 to 43 ms).
        // The loop holds the pools weakly: a database dropped without `close()` frees its connections.
        checkpoints = Task.detached { [weak writerPool, weak readerPool] in
            var maintenance = SQLiteMaintenance(limits: limits)
            func checkpoint(_ mode: String, on readerPool: SQLiteConnectionPool) async throws {
                try await readerPool.withConnectionUncounted { handle in
                    _ = try await NIOThreadPool.singleton.runIfActive { try handle.query("PRAGMA wal_checkpoint(\(mode))", []) }
                }
            }
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: limits.tick)
                    guard let writerPool, let readerPool else { return }
                    try await checkpoint("PASSIVE", on: readerPool)
                    if maintenance.isQuietSpellStarting(uses: writerPool.useCount &+ readerPool.useCount) {
                        // Quiet: the WAL is all checkpointed, so emptying its file costs nothing.
                        try await checkpoint("TRUNCATE", on: readerPool)
                        writerPool.forEachIdle { $0.releaseMemory() }
                        readerPool.forEachIdle { $0.releaseMemory() }
                    }
                } catch is CancellationError {
                    return  // closing
                } catch {
                    logger.warning("SQLite checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String, logger: Logger, maintenance: SQLiteMaintenance.Limits = .init()) async throws -> SQLiteDatabase {
        let writer = try SQLiteHandle(path: path, pragmas: [
            "PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
            "PRAGMA wal_autocheckpoint = 0",
        ])
        let readers = try (0..<readerCount).map { _ in
            try SQLiteHandle(path: path, pragmas: ["PRAGMA busy_timeout = 5000", "PRAGMA query_only = ON"])
        }
        return SQLiteDatabase(writer: writer, readers: readers, limits: maintenance, logger: logger)
    }

    /// Bytes the page caches of the connections no task holds right now take (for tests).
    var idleCacheBytes: Int {
        var total = 0
        for pool in [writer, readers] { pool.forEachIdle { total += $0.cacheBytes } }
        return total
    }

    /// Bytes the prepared statements of the connections no task holds right now take (for tests).
    var idleStatementBytes: Int {
        var total = 0
        for pool in [writer, readers] { pool.forEachIdle { total += $0.statementBytes } }
        return total
    }

    deinit { checkpoints.cancel() }

    public func close() async throws {
        checkpoints.cancel()
        await checkpoints.value
        await readers.closeAll()
        await writer.closeAll()
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await readers.withConnection { try await body(Connection(handle: $0)) }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await writer.withConnection { try await body(Connection(handle: $0)) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await writer.withConnection { try await Connection(handle: $0).inTransaction(begin: self.dialect.beginWrite, body) }
    }

    /// Other processes opening the same file wait on SQLite's own write lock inside each step.
    public func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await write(body)
    }

    struct Connection: SQLConnection {
        let handle: SQLiteHandle

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try handle.query(sql, binds)
        }
    }
}

/// Opens the embedded store: the SQLite file at `path`, with its schema brought up to date.
public enum SQLiteStore {
    public static func open(path: String, logger: Logger) async throws -> SQLStore {
        try await SQLStore.opening(try await SQLiteDatabase.open(path: path, logger: logger), logger: logger)
    }
}
