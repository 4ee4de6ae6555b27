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

    /// Rotation in one transaction: of many racers exactly one consumes the token and stores the
    /// successor; a revoked family's token is used up without a successor.
    @Test(arguments: StoreKind.allCases)
    func aRefreshTokenRotatesToOneSuccessorExactlyOnce(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            try await stores[0].insert(refresh("r1"))
            let results = try await race(Self.racers, over: stores) {
                try await $0.rotateRefreshToken(digest: "r1", at: t0.addingTimeInterval(5), successor: refresh("r2"))
            }
            let rotated = results.compactMap { if case .rotated(let record) = $0 { record } else { nil } }
            #expect(rotated.count == 1)
            #expect(rotated.first?.digest == "r1" && rotated.first?.usedAt == t0.addingTimeInterval(5), "the winner gets the record it used")
            #expect(results.filter { if case .alreadyUsed = $0 { true } else { false } }.count == Self.racers - 1)
            #expect(try await stores[1].refreshToken(digest: "r2") == refresh("r2"), "the successor is stored, unused")
            #expect(try await stores[1].refreshToken(digest: "r1")?.usedAt == t0.addingTimeInterval(5))
            guard case .notFound = try await stores[0].rotateRefreshToken(digest: "nope", at: t0, successor: refresh("r9")) else {
                Issue.record("an unknown token must be notFound")
                return
            }
            #expect(try await stores[0].refreshToken(digest: "r9") == nil, "nothing stored for an unknown token")

            // A token stored after its family was revoked (a rotation racing the revocation).
            try await stores[0].revokeFamily("late", at: t0)
            try await stores[0].insert(refresh("l1", family: "late"))
            guard case .familyRevoked(let used) = try await stores[1].rotateRefreshToken(digest: "l1", at: t0, successor: refresh("l2", family: "late")) else {
                Issue.record("a revoked family's token must not rotate")
                return
            }
            #expect(used.digest == "l1")
            #expect(try await stores[0].refreshToken(digest: "l2") == nil, "no successor for a revoked family")
            #expect(try await stores[0].isRefreshTokenUsed(digest: "l1"))
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
