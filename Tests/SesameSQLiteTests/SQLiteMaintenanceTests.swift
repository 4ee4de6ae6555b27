import Foundation
import SesameSQL
import Testing

@testable import SesameSQLite

/// The embedded database's upkeep beyond the checkpoint, once a burst is over: the WAL's file emptied, page caches handed back.
struct SQLiteMaintenanceTests {
    @Test func aQuietSpellStartsOnceAfterTheQuietTicks() {
        var plan = SQLiteMaintenance(limits: .init(quietTicksBeforeRelease: 3))
        // Once, after three ticks without a use; not again until used and quiet again.
        #expect([5, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7].map { plan.isQuietSpellStarting(uses: $0) }
            == [false, false, false, false, true, false, false, false, false, false, true])
    }

    static func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    @Test func theWALIsEmptiedAndPageCachesHandedBackAfterAQuietSpell() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await SQLiteDatabase.open(
                path: directory + "/c.db", logger: testLogger, maintenance: .init(quietTicksBeforeRelease: 3, tick: .milliseconds(50))
            )
            _ = try await database.write { try await $0.query("CREATE TABLE t (n INTEGER, payload BLOB)") }
            let payload = SQLValue.blob(Array(repeating: 7, count: 1000))
            try await database.transaction { connection in
                for n in 0..<2000 { _ = try await connection.query("INSERT INTO t (n, payload) VALUES (?, ?)", [.integer(n), payload]) }
            }
            // Kept busy, the caches stay.
            for round in 0..<30 {
                let n = SQLValue.integer(round)
                _ = try await database.read { try await $0.query("SELECT SUM(length(payload)) AS s FROM t", []) }
                _ = try await database.write { try await $0.query("UPDATE t SET n = n WHERE n = ?", [n]) }
                try await Task.sleep(for: .milliseconds(10))
            }
            let busy = database.idleCacheBytes
            #expect(busy > 1_000_000)
            #expect(Self.walBytes(directory + "/c.db") > 1_000_000)
            // Three quiet ticks later they are handed back, and the WAL's file is emptied.
            try await Task.sleep(for: .milliseconds(600))
            let quiet = database.idleCacheBytes
            #expect(quiet < busy / 4)
            #expect(Self.walBytes(directory + "/c.db") == 0)
            // And filled again on use.
            _ = try await database.read { try await $0.query("SELECT SUM(length(payload)) AS s FROM t", []) }
            #expect(database.idleCacheBytes > quiet)
            try await database.close()
        }
    }
}
