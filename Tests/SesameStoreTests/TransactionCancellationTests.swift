import Foundation
import SesameCore
import SesameSQL
import Testing

/// A transaction whose task is cancelled (the periodic audit flush at SIGTERM) is rolled back, so
/// the connection is not left inside it and the final flush at shutdown can still write.
@Suite struct TransactionCancellationTests {
    @Test(arguments: StoreKind.allCases)
    func aCancelledTransactionIsRolledBackAndTheStoreWritesOn(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (started, signal) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                try await store.database.transaction { db in
                    _ = try await db.query("INSERT INTO sign_in_failures (key, failures, last_failure_at) VALUES ('cancelled', 1, 0)")
                    signal.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            for await _ in started { break }
            task.cancel()
            _ = await task.result
            try await store.append([AuditEvent(type: "after.cancel", at: t0)])
            #expect(try await store.auditEvents(AuditQuery(type: "after.cancel")).count == 1)
            #expect(try await store.failures(key: "cancelled") == nil, "the cancelled write was rolled back")
        }
    }
}
