import Crypto
import Foundation
import Logging
import Testing
import SesameCore
import SesameSQLite

/// The storage contract every store must keep. These run against SQLite; the PostgreSQL store
/// will run the same suite.
@Suite struct StoreConformanceTests {
    @Test func usernamesAndEmailsAreUniqueIgnoringCase() async throws {
        try await withStore { store, _ in
            try await store.insert(makeUser("alice", email: "alice@example.com"))
            await #expect(throws: AccountError.duplicateUsername("ALICE")) { try await store.insert(makeUser("ALICE")) }
            await #expect(throws: AccountError.duplicateEmail("Alice@Example.com")) {
                try await store.insert(makeUser("alice2", email: "Alice@Example.com"))
            }
            #expect(try await store.user(login: "ALICE@example.COM")?.username == "alice")
            #expect(try await store.user(login: "Alice")?.username == "alice")
            #expect(try await store.user(login: "nobody") == nil)
        }
    }

    @Test func insertAllWritesNothingWhenOneUserFails() async throws {
        try await withStore { store, _ in
            try await store.insert(makeUser("existing"))
            var first = makeUser("first")
            first.groups = ["staff"]
            first.roles = ["editor"]
            await #expect(throws: AccountError.self) {
                try await store.insert(all: [first, makeUser("second"), makeUser("EXISTING")])
            }
            #expect(try await store.users().map(\.username) == ["existing"])
        }
    }

    @Test func groupsAndRolesRoundTripAndUpdateReplacesThem() async throws {
        try await withStore { store, _ in
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
        }
    }

    @Test func replacePasswordHashOnlyWhenUnchanged() async throws {
        try await withStore { store, _ in
            let user = makeUser("carol", hash: "old")
            try await store.insert(user)
            try await store.replacePasswordHash(userID: user.id, old: "stale", new: "lost")
            #expect(try await store.user(id: user.id)?.passwordHash == "old")
            try await store.replacePasswordHash(userID: user.id, old: "old", new: "new")
            #expect(try await store.user(id: user.id)?.passwordHash == "new")
        }
    }

    @Test func deletingAUserDeletesTheirSessions() async throws {
        try await withStore { store, _ in
            let user = makeUser("dave")
            try await store.insert(user)
            let now = Date()
            try await store.insert(SessionRecord(idDigest: "d1", userID: user.id, createdAt: now, lastSeenAt: now, authenticatedAt: now))
            #expect(try await store.delete(userID: user.id))
            #expect(try await store.session(idDigest: "d1") == nil)
            #expect(try await !store.delete(userID: user.id))
        }
    }

    @Test func sessionsTouchAndExpire() async throws {
        try await withStore { store, _ in
            let user = makeUser("erin")
            try await store.insert(user)
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.insert(SessionRecord(idDigest: "old", userID: user.id, createdAt: t0, lastSeenAt: t0, authenticatedAt: t0))
            try await store.insert(SessionRecord(idDigest: "new", userID: user.id, createdAt: t0, lastSeenAt: t0, authenticatedAt: t0))
            try await store.touch(idDigest: "new", at: t0.addingTimeInterval(500))
            #expect(try await store.session(idDigest: "new")?.lastSeenAt == t0.addingTimeInterval(500))
            try await store.deleteExpired(createdBefore: t0.addingTimeInterval(-1), idleBefore: t0.addingTimeInterval(100))
            #expect(try await store.session(idDigest: "old") == nil)
            #expect(try await store.session(idDigest: "new") != nil)
            try await store.deleteSessions(userID: user.id)
            #expect(try await store.session(idDigest: "new") == nil)
        }
    }

    @Test func concurrentFailuresAreAllCounted() async throws {
        try await withStore { store, _ in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await store.recordFailure(key: "account:x", at: t0, forgetBefore: t0.addingTimeInterval(-60)) }
                }
                try await group.waitForAll()
            }
            #expect(try await store.failures(key: "account:x")?.failures == 40)
            // A failure long after the last one starts the count again.
            let later = t0.addingTimeInterval(3600)
            #expect(try await store.recordFailure(key: "account:x", at: later, forgetBefore: later.addingTimeInterval(-60)).failures == 1)
            try await store.reset(key: "account:x")
            #expect(try await store.failures(key: "account:x") == nil)
        }
    }

    @Test func signingKeysAreStoredSealedAndRotate() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let sealer = DataKey(bytes: Array(repeating: 3, count: 32))!.sealer
            let ring = SigningKeyRing(store: store, sealer: sealer, clock: clock)
            let first = try await ring.ensureKeys()
            #expect(first.map(\.algorithm) == ["ES256", "RS256"])
            #expect(try await ring.ensureKeys().map(\.kid) == first.map(\.kid), "a second start keeps the keys")
            let stored = try await store.signingKeys()
            #expect(stored.count == 2)
            let privateKey = try ring.signer(for: stored.first { $0.algorithm == "ES256" }!)
            guard case .es256(let es256) = privateKey.key else { Issue.record("not ES256"); return }
            #expect(!stored[0].sealedPrivateKey.contains(subsequence: Array(es256.rawRepresentation)))
            let wrong = SigningKeyRing(store: store, sealer: DataKey(bytes: Array(repeating: 4, count: 32))!.sealer)
            await #expect(throws: KeyError.self) { try await wrong.ensureKeys() }

            clock.advance(10)
            let rotated = try await ring.rotate()
            let afterRotation = try await ring.load(publishFor: 100)
            #expect(Set(afterRotation.signers.map(\.kid)) == Set(rotated.map(\.kid)))
            #expect(afterRotation.publicJWKs.count == 4, "old keys stay published")
            clock.advance(101)
            #expect(try await ring.load(publishFor: 100).publicJWKs.count == 2, "and leave once their tokens expired")
        }
    }

    @Test func migrationsAreRecordedAndRunOnce() async throws {
        try await withStore { store, directory in
            #expect(try await store.appliedMigrations() == [1, 2, 3, 4])
            let again = try await SQLiteStore.open(path: directory + "/sesame.db", logger: .init(label: "t"))
            #expect(try await again.appliedMigrations() == [1, 2, 3, 4])
            try await again.close()
            try await store.ping()
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}

extension StoreConformanceTests {
    @Test func purgingDropsOnlyWhatHasExpired() async throws {
        try await withStore { store, _ in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.revokeFamily("old", at: t0)
            try await store.revokeFamily("recent", at: t0.addingTimeInterval(20 * 86400))
            try await store.insert(RefreshTokenRecord(
                digest: "r", familyID: "f", clientID: "c", userID: "u", scope: "openid", sessionID: nil, authTime: t0,
                createdAt: t0, expiresAt: t0.addingTimeInterval(60)
            ))
            try await store.purgeExpiredGrants(before: t0.addingTimeInterval(32 * 86400))
            #expect(try await !store.isFamilyRevoked("old"))
            #expect(try await store.isFamilyRevoked("recent"))
            #expect(try await store.refreshToken(digest: "r") == nil)
        }
    }
}
