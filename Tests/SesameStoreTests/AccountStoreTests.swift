import Foundation
import SesameCore
import SesameSQL
import Testing

/// The storage contract for accounts, sessions and sign-in throttling, on both stores.
@Suite struct AccountStoreTests {
    @Test(arguments: StoreKind.allCases)
    func usernamesAndEmailsAreUniqueIgnoringCase(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.insert(makeUser("alice", email: "alice@example.com"))
            await #expect(throws: AccountError.duplicateUsername("ALICE")) { try await store.insert(makeUser("ALICE")) }
            await #expect(throws: AccountError.duplicateEmail("Alice@Example.com")) {
                try await store.insert(makeUser("alice2", email: "Alice@Example.com"))
            }
            #expect(try await store.user(login: "ALICE@example.COM")?.username == "alice")
            #expect(try await store.user(login: "Alice")?.username == "alice")
            #expect(try await store.user(username: "aLiCe")?.username == "alice")
            #expect(try await store.user(login: "nobody") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func insertAllWritesNothingWhenOneUserFails(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.insert(makeUser("existing"))
            var first = makeUser("first")
            first.groups = ["staff"]
            first.roles = ["editor"]
            await #expect(throws: AccountError.self) {
                try await store.insert(all: [first, makeUser("second"), makeUser("EXISTING")])
            }
            #expect(try await store.users().map(\.username) == ["existing"])
            // The store is still usable after the refused transaction.
            try await store.insert(all: [first, makeUser("second")])
            #expect(try await store.users().map(\.username) == ["existing", "first", "second"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func groupsAndRolesRoundTripAndUpdateReplacesThem(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var user = makeUser("bob", email: "bob@example.com")
            user.groups = ["staff", "ops"]
            user.roles = ["admin"]
            try await store.insert(user)
            #expect(try await store.user(username: "bob")?.groups == ["ops", "staff"])
            user.roles = ["editor", "viewer"]
            user.groups = []
            user.disabled = true
            user.name = "Bob B"
            try await store.update(user)
            let loaded = try #require(try await store.user(id: user.id))
            #expect(loaded.roles == ["editor", "viewer"])
            #expect(loaded.groups.isEmpty)
            #expect(loaded.disabled)
            #expect(loaded.name == "Bob B")
            #expect(loaded.createdAt == t0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func replacePasswordHashOnlyWhenUnchanged(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = makeUser("carol", hash: "old")
            try await store.insert(user)
            try await store.replacePasswordHash(userID: user.id, old: "stale", new: "lost")
            #expect(try await store.user(id: user.id)?.passwordHash == "old")
            try await store.replacePasswordHash(userID: user.id, old: "old", new: "new")
            #expect(try await store.user(id: user.id)?.passwordHash == "new")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deletingAUserDeletesTheirSessions(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = makeUser("dave")
            try await store.insert(user)
            try await store.insert(SessionRecord(idDigest: "d1", userID: user.id, createdAt: t0, lastSeenAt: t0, authenticatedAt: t0))
            #expect(try await store.delete(userID: user.id))
            #expect(try await store.session(idDigest: "d1") == nil)
            #expect(try await !store.delete(userID: user.id))
        }
    }

    /// A sign-in made through one instance is seen, touched and ended through another.
    @Test(arguments: StoreKind.allCases)
    func sessionsAreSharedTouchedAndExpire(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            let user = makeUser("erin")
            try await a.insert(user)
            try await a.insert(SessionRecord(idDigest: "old", userID: user.id, createdAt: t0, lastSeenAt: t0, authenticatedAt: t0))
            try await a.insert(SessionRecord(
                idDigest: "new", userID: user.id, createdAt: t0, lastSeenAt: t0, authenticatedAt: t0, authMethods: ["pwd", "otp", "mfa"]
            ))
            #expect(try await b.session(idDigest: "new")?.authMethods == ["pwd", "otp", "mfa"])
            try await b.touch(idDigest: "new", at: t0.addingTimeInterval(500))
            #expect(try await a.session(idDigest: "new")?.lastSeenAt == t0.addingTimeInterval(500))
            try await b.deleteExpired(createdBefore: t0.addingTimeInterval(-1), idleBefore: t0.addingTimeInterval(100))
            #expect(try await a.session(idDigest: "old") == nil)
            #expect(try await a.session(idDigest: "new") != nil)
            try await b.deleteSessions(userID: user.id)
            #expect(try await a.session(idDigest: "new") == nil)
        }
    }

    /// Lockout counters are shared: failures through two instances at once all count.
    @Test(arguments: StoreKind.allCases)
    func concurrentFailuresFromTwoInstancesAreAllCounted(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let counts = try await race(40, over: stores) { store in
                try await store.recordFailure(key: "account:x", at: t0, forgetBefore: t0.addingTimeInterval(-60)).failures
            }
            #expect(Set(counts) == Set(1...40), "every failure saw a distinct count")
            #expect(try await stores[1].failures(key: "account:x")?.failures == 40)
            // A failure long after the last one starts the count again.
            let later = t0.addingTimeInterval(3600)
            #expect(try await stores[0].recordFailure(key: "account:x", at: later, forgetBefore: later.addingTimeInterval(-60)).failures == 1)
            try await stores[1].reset(key: "account:x")
            #expect(try await stores[0].failures(key: "account:x") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func migrationsAreRecordedAndRunOnceEvenWhenInstancesStartTogether(_ kind: StoreKind) async throws {
        // Three instances open the same new database at the same moment.
        try await withStores(kind, count: 3) { stores in
            for store in stores {
                #expect(try await store.appliedMigrations() == SQLStore.migrationVersions)
                try await store.ping()
            }
        }
    }
}
