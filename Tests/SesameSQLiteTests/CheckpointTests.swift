import Foundation
import SesameSQL
import SesameSQLite
import Testing

/// The WAL is checkpointed in the background (commits never do it: `wal_autocheckpoint = 0`).
struct CheckpointTests {
    @Test func committedRowsReachTheDatabaseFileWithinAboutASecond() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await SQLiteDatabase.open(path: directory + "/a.db", logger: testLogger)
            _ = try await database.write { try await $0.query("CREATE TABLE t (n INTEGER)") }
            for n in 0..<200 { _ = try await database.write { try await $0.query("INSERT INTO t (n) VALUES (?)", [.integer(n)]) } }
            // While the writer goes on, the main file alone (a copy without its WAL) catches up.
            var copied = 0
            for _ in 0..<40 where copied < 200 {
                try await Task.sleep(for: .milliseconds(100))
                _ = try await database.write { try await $0.query("INSERT INTO t (n) VALUES (?)", [.integer(-1)]) }
                let copy = directory + "/copy-\(UUID().uuidString).db"
                try FileManager.default.copyItem(atPath: directory + "/a.db", toPath: copy)
                let other = try await SQLiteDatabase.open(path: copy, logger: testLogger)
                // Before the first checkpoint the file does not even hold the table.
                let rows = try? await other.read { try await $0.query("SELECT COUNT(*) AS c FROM t WHERE n >= 0", []) }
                copied = rows?.first?.column("c")?.integer ?? 0
                try await other.close()
            }
            #expect(copied == 200)
            try await database.close()
        }
    }
}
