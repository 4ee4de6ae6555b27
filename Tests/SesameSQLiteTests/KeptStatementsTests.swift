import Foundation
import SesameCore
import Testing

@testable import SesameSQL
@testable import SesameSQLite

/// SQLite keeps every distinct statement prepared on each connection, so statements whose text
/// varies with a count come in a few variants: the audit log's batches go in a few sizes of
/// multi-row INSERT, short IN lists are padded, and a statement of very many values is not kept.
struct KeptStatementsTests {
    @Test func batchesSplitIntoPowersOfTwoLargestFirst() {
        let split = MultiRowInserts.powersOfTwo(limit: 64)
        #expect(split.chunks(0) == [])
        #expect(split.chunks(1) == [1])
        #expect(split.chunks(75) == [64, 8, 2, 1])
        #expect(split.chunks(100) == [64, 32, 4])
        #expect(split.chunks(200) == [64, 64, 64, 8])
        #expect(MultiRowInserts.powersOfTwo(limit: 100).chunks(100) == [64, 32, 4])
        var sizes = Set<Int>()
        for count in 0...300 {
            let chunks = split.chunks(count)
            #expect(chunks.reduce(0, +) == count)
            sizes.formUnion(chunks)
        }
        #expect(sizes == [1, 2, 4, 8, 16, 32, 64])
    }

    @Test func fewestStatementsTakesUpToTheLimitEach() {
        #expect(MultiRowInserts.fewestStatements(limit: 100).chunks(250) == [100, 100, 50])
        #expect(MultiRowInserts.fewestStatements(limit: 100).chunks(100) == [100])
        #expect(MultiRowInserts.fewestStatements(limit: 100).chunks(0) == [])
    }

    /// A burst of grants flushes batches of every size; the writer's compiled statements stay
    /// small (one INSERT per batch size held about 4 MiB after 1 to 100 rows), and the chain is whole.
    @Test func batchesOfEverySizeKeepFewStatementsAndOneChain() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await SQLiteDatabase.open(path: directory + "/audit.db", logger: testLogger)
            let store = try await SQLStore.opening(database, logger: testLogger)
            let at = Date(timeIntervalSince1970: 1_800_000_000)
            for size in 1...100 {
                try await store.append((0..<size).map { AuditEvent(type: "test.batch", at: at, actor: "a", subject: "s\(size)-\($0)", detail: "{}") })
            }
            let bytes = database.idleStatementBytes
            #expect(bytes < 512 * 1024, "prepared statements hold \(bytes) bytes")
            let chain = try await store.auditChain(afterID: 0, limit: 6000)
            #expect(chain.count == 5050)
            #expect(chain.last?.event.subject == "s100-99")
            #expect(try await AuditChainVerifier(store: store, pageSize: 500).verify() == .intact(events: 5050))
            try await database.close()
        }
    }

    @Test func shortInListsArePaddedToAPowerOfTwoWithTheSameSet() {
        let three = SQLInList([.text("a"), .text("b"), .text("c")])
        #expect(three.values == [.text("a"), .text("b"), .text("c"), .text("c")])
        #expect(three.placeholders == "?,?,?,?")
        #expect(SQLInList([.text("a")]).values == [.text("a")])
        #expect(SQLInList([]).values.isEmpty)
        let lengths = Set((1..<SQLInList.paddedUpTo).map { n in SQLInList((0..<n).map { .integer($0) }).values.count })
        #expect(lengths == [1, 2, 4, 8, 16, 32, 64])
        let long = (0..<100).map { SQLValue.integer($0) }
        #expect(SQLInList(long).values == long)
    }

    /// A statement of more values than a kept one may have is compiled for its call only.
    @Test func aStatementOfVeryManyValuesIsNotKept() async throws {
        try await withTemporaryDirectory { directory in
            let database = try await SQLiteDatabase.open(path: directory + "/many.db", logger: testLogger)
            let values = (0..<1500).map { SQLValue.integer($0) }
            let list = Array(repeating: "?", count: values.count).joined(separator: ",")
            let before = database.idleStatementBytes
            let rows = try await database.read { try await $0.query("SELECT COUNT(*) AS n FROM (SELECT 1 WHERE 7 IN (\(list)))", values) }
            #expect(rows.first?.int("n") == 1)
            #expect(database.idleStatementBytes == before)
            // A short one is kept.
            _ = try await database.read { try await $0.query("SELECT ? AS n", [.integer(1)]) }
            #expect(database.idleStatementBytes > before)
            try await database.close()
        }
    }
}
