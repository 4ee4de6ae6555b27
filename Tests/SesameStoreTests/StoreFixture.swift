import Foundation
import Logging
import SesameCore
import SesamePostgres
import SesameSQL
import SesameSQLite
import Synchronization
import Testing

/// The two stores every conformance test runs on.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

var quietLogger: Logger {
    var logger = Logger(label: "store-test")
    logger.logLevel = .warning
    return logger
}

/// The PostgreSQL server `scripts/test` starts. Without it the PostgreSQL half of the suite fails
/// rather than passing unseen.
func postgresAdminURL() throws -> PostgresURL {
    guard let text = ProcessInfo.processInfo.environment["SESAME_TEST_POSTGRES_URL"] else {
        throw FixtureError(description: "SESAME_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts PostgreSQL for the tests")
    }
    return try PostgresURL(parsing: text)
}

/// A new, empty database of `kind`, handed to `body` as `count` separate stores: separate
/// connections, as separate Sesame instances would hold. Everything is removed afterwards.
func withStores<T>(_ kind: StoreKind, count: Int = 1, _ body: ([SQLStore]) async throws -> T) async throws -> T {
    switch kind {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sesame-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // One after another: SQLite is for one machine, and two processes creating a new file at
        // the same instant is not supported. The PostgreSQL instances below start together.
        return try await using(count: count, together: false, open: { try await SQLiteStore.open(path: directory + "/sesame.db", logger: quietLogger) }, body)
    case .postgres:
        return try await withScratchDatabase(poolSize: 4) { url in
            // Connections opened as used, as before the server's pool kept all of its own: the
            // suites run at once, and a test process holding over a thousand descriptors crashed
            // Foundation's Process.run (seen in CI while another suite spawned slapd; tools now
            // start through SesameTestSupport's ChildProcess, which does not list descriptors).
            try await using(count: count, open: { try await PostgresStore.open(url, logger: quietLogger, keepConnectionsOpen: false) }, body)
        }
    }
}

/// A new, empty PostgreSQL database on the test server, as a URL with `poolSize`; dropped
/// afterwards whatever happens.
func withScratchDatabase<T>(poolSize: Int, _ body: (PostgresURL) async throws -> T) async throws -> T {
    let admin = try postgresAdminURL()
    let name = "sesame_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let server = try await PostgresDatabase.open(admin.withPoolSize(1), logger: quietLogger)
    _ = try await server.write { try await $0.query("CREATE DATABASE \(name)") }
    var url = admin.withPoolSize(poolSize)
    url.database = name
    do {
        let result = try await body(url)
        _ = try await server.write { try await $0.query("DROP DATABASE \(name) WITH (FORCE)") }
        try await server.close()
        return result
    } catch {
        _ = try? await server.write { try await $0.query("DROP DATABASE \(name) WITH (FORCE)") }
        try? await server.close()
        throw error
    }
}

func withStore<T>(_ kind: StoreKind, _ body: (SQLStore) async throws -> T) async throws -> T {
    try await withStores(kind) { try await body($0[0]) }
}

private func using<T>(count: Int, together: Bool = true, open: @escaping @Sendable () async throws -> SQLStore, _ body: ([SQLStore]) async throws -> T) async throws -> T {
    var stores: [SQLStore] = []
    do {
        // Opened at the same moment, as instances starting together would: each migrates.
        var opened: [Result<SQLStore, any Error>] = []
        if together {
            opened = await withTaskGroup(of: Result<SQLStore, any Error>.self) { group in
                for _ in 0..<count { group.addTask { await Result(catching: { try await open() }) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        } else {
            for _ in 0..<count { opened.append(await Result(catching: { try await open() })) }
        }
        stores = opened.compactMap { try? $0.get() }
        for result in opened { _ = try result.get() }
        let result = try await body(stores)
        for store in stores { try await store.close() }
        return result
    } catch {
        for store in stores { try? await store.close() }
        throw error
    }
}

/// A clock the test moves by hand.
final class ManualClock: WallClock {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

func makeUser(_ username: String, email: String? = nil, hash: String = "x") -> User {
    User(id: UUID().uuidString.lowercased(), username: username, email: email, name: nil, passwordHash: hash, createdAt: t0, updatedAt: t0)
}

/// Runs `attempt` from `n` concurrent tasks, spread over `stores` (instances) in turn, and
/// returns what each got.
func race<T: Sendable>(_ n: Int, over stores: [SQLStore], _ attempt: @escaping @Sendable (SQLStore) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: T.self) { group in
        for index in 0..<n {
            let store = stores[index % stores.count]
            group.addTask { try await attempt(store) }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
}

extension Consumption {
    var isConsumed: Bool {
        if case .consumed = self { return true }
        return false
    }
    var isAlreadyUsed: Bool {
        if case .alreadyUsed = self { return true }
        return false
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension PostgresURL {
    /// The pool opens all its connections at once: one is plenty for creating and dropping databases.
    func withPoolSize(_ size: Int) -> PostgresURL {
        var url = self
        url.poolSize = size
        return url
    }
}
