import Foundation
import SesameCore
import SesameSQL
import Testing

/// Single use under concurrency: many tasks, spread over two instances, race to use one code,
/// ticket or token, and exactly one wins.
@Suite struct GrantStoreTests {
    static let racers = 16

    func code(_ digest: String) -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(
            digest: digest, familyID: "fam-" + digest, clientID: "c", userID: "u", redirectURI: "https://app.example/cb", scope: "openid email",
            nonce: "n", codeChallenge: "ch", sessionID: "s", authTime: t0, authMethods: ["pwd", "otp", "mfa"], createdAt: t0,
            expiresAt: t0.addingTimeInterval(60)
        )
    }

    func refresh(_ digest: String, family: String = "fam") -> RefreshTokenRecord {
        RefreshTokenRecord(
            digest: digest, familyID: family, clientID: "c", userID: "u", scope: "openid offline_access", sessionID: "s", authTime: t0,
            createdAt: t0, expiresAt: t0.addingTimeInterval(86400)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func anAuthorizationCodeIsUsedExactlyOnce(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            try await stores[0].insert(code("abc"))
            let results = try await race(Self.racers, over: stores) { try await $0.consumeCode(digest: "abc", at: t0.addingTimeInterval(1)) }
            #expect(results.filter(\.isConsumed).count == 1)
            #expect(results.filter(\.isAlreadyUsed).count == Self.racers - 1)
            guard case .consumed(let record) = results.first(where: \.isConsumed) else { return }
            #expect(record == code("abc"), "the winner gets the record exactly as issued")
            guard case .notFound = try await stores[1].consumeCode(digest: "nope", at: t0) else {
                Issue.record("an unknown code must be notFound")
                return
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRefreshTokenRotatesExactlyOnce(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            try await stores[0].insert(refresh("r1"))
            #expect(try await stores[1].refreshToken(digest: "r1") == refresh("r1"))
            #expect(try await !stores[1].isRefreshTokenUsed(digest: "r1"))
            let results = try await race(Self.racers, over: stores) { try await $0.consumeRefreshToken(digest: "r1", at: t0.addingTimeInterval(5)) }
            #expect(results.filter(\.isConsumed).count == 1)
            #expect(results.filter(\.isAlreadyUsed).count == Self.racers - 1)
            #expect(try await stores[0].isRefreshTokenUsed(digest: "r1"))
            #expect(try await stores[0].refreshToken(digest: "r1")?.usedAt == t0.addingTimeInterval(5))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func revokingAFamilyEndsItsTokensEverywhere(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            try await a.insert(refresh("r1", family: "f1"))
            try await a.insert(refresh("r2", family: "f1"))
            try await a.insert(refresh("other", family: "f2"))
            try await b.revokeFamily("f1", at: t0)
            try await b.revokeFamily("f1", at: t0.addingTimeInterval(1))  // twice is harmless
            #expect(try await a.isFamilyRevoked("f1"))
            #expect(try await !a.isFamilyRevoked("f2"))
            #expect(try await a.isRefreshTokenUsed(digest: "r2"))
            #expect(try await !a.isRefreshTokenUsed(digest: "other"))
            #expect(try await a.isAccessTokenRevoked(jti: "any", familyID: "f1"))
            #expect(try await !a.isAccessTokenRevoked(jti: "j1", familyID: "f2"))
            #expect(try await !a.isAccessTokenRevoked(jti: "j1", familyID: nil))
            try await b.revokeAccessToken(jti: "j1", expiresAt: t0.addingTimeInterval(600), at: t0)
            try await b.revokeAccessToken(jti: "j1", expiresAt: t0.addingTimeInterval(600), at: t0)
            #expect(try await a.isAccessTokenRevoked(jti: "j1", familyID: nil))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClientAssertionIsAcceptedOnce(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let results = try await race(Self.racers, over: stores) {
                try await $0.rememberAssertion(jti: "jti-1", clientID: "c", expiresAt: t0.addingTimeInterval(60))
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await stores[0].rememberAssertion(jti: "jti-1", clientID: "other", expiresAt: t0), "jti is per client")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCASTicketIsValidatedExactlyOnce(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            var ticket = CASTicketRecord(
                digest: "st1", kind: "ST", service: "https://app.example/", serviceID: "svc", userID: "u", sessionID: "s1",
                fromNewLogin: true, renew: false, authTime: t0, authMethods: ["pwd"], createdAt: t0, expiresAt: t0.addingTimeInterval(10),
                sealedTicket: [1, 2, 3, 0, 255]
            )
            ticket.proxies = ["https://proxy.example/cb"]
            try await stores[0].insert(ticket)
            let results = try await race(Self.racers, over: stores) { try await $0.consumeCASTicket(digest: "st1", at: t0.addingTimeInterval(1)) }
            #expect(results.filter(\.isConsumed).count == 1)
            #expect(results.filter(\.isAlreadyUsed).count == Self.racers - 1)
            #expect(try await stores[1].casTicket(digest: "st1") == ticket)
            #expect(try await stores[1].casTickets(sessionID: "s1").map(\.digest) == ["st1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func purgingDropsOnlyWhatHasExpired(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.revokeFamily("old", at: t0)
            try await store.revokeFamily("recent", at: t0.addingTimeInterval(20 * 86400))
            try await store.insert(refresh("r"))
            try await store.insert(refresh("late", family: "g"))
            try await store.insert(code("c"))
            try await store.purgeExpiredGrants(before: t0.addingTimeInterval(2 * 86400))
            #expect(try await store.refreshToken(digest: "r") == nil)
            guard case .notFound = try await store.consumeCode(digest: "c", at: t0) else {
                Issue.record("an expired code must be purged")
                return
            }
            try await store.purgeExpiredGrants(before: t0.addingTimeInterval(32 * 86400))
            #expect(try await !store.isFamilyRevoked("old"))
            #expect(try await store.isFamilyRevoked("recent"))
        }
    }
}
