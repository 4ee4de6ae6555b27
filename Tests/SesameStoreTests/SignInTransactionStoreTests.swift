import Foundation
import SesameCore
import SesameSQL
import Testing

/// Sign-in transactions on every store: kept by digest, taken once however many instances race
/// for them, swept once expired, gone with their person.
@Suite struct SignInTransactionStoreTests {
    func transaction(_ user: User, _ digest: String, expiresAt: Date = t0.addingTimeInterval(300)) -> SignInTransaction {
        SignInTransaction(idDigest: digest, userID: user.id, browserDigest: "b-" + digest, methods: ["pwd"], createdAt: t0, expiresAt: expiresAt)
    }

    @Test(arguments: StoreKind.allCases)
    func storedTakenOnceAndSwept(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            let user = makeUser("tia")
            try await a.insert(user)
            let first = transaction(user, "t1")
            try await a.insert(first)
            #expect(try await b.signInTransaction(idDigest: "t1") == first)
            #expect(try await b.signInTransaction(idDigest: "nope") == nil)

            // Many answers finishing one transaction at once: exactly one gets it.
            let taken = try await race(12, over: stores) { try await $0.takeSignInTransaction(idDigest: "t1") }
            #expect(taken.compactMap { $0 } == [first])
            #expect(try await a.signInTransaction(idDigest: "t1") == nil)

            try await a.insert(transaction(user, "old", expiresAt: t0.addingTimeInterval(10)))
            try await a.insert(transaction(user, "live", expiresAt: t0.addingTimeInterval(300)))
            try await b.deleteSignInTransactions(expiredBefore: t0.addingTimeInterval(11))
            #expect(try await a.signInTransaction(idDigest: "old") == nil)
            #expect(try await a.signInTransaction(idDigest: "live") != nil)
            try await a.purgeExpiredGrants(before: t0.addingTimeInterval(301))
            #expect(try await a.signInTransaction(idDigest: "live") == nil, "the minutely purge sweeps them too")

            try await a.insert(transaction(user, "gone"))
            #expect(try await a.delete(userID: user.id))
            #expect(try await b.signInTransaction(idDigest: "gone") == nil, "deleted with the person")
        }
    }
}
