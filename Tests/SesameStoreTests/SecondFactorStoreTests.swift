import Crypto
import Foundation
import SesameCore
import SesameSQL
import Testing

@Suite struct SecondFactorStoreTests {
    @Test(arguments: StoreKind.allCases)
    func enrolmentStepsAndRecoveryCodes(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            let user = makeUser("gus")
            try await a.insert(user)
            #expect(try await a.twoFactor(userID: user.id) == nil)
            try await a.savePendingSecret(userID: user.id, sealed: [9, 9, 0], at: t0)
            try await a.savePendingSecret(userID: user.id, sealed: [7, 7, 7], at: t0.addingTimeInterval(1))
            #expect(try await b.twoFactor(userID: user.id)?.pendingSealedSecret == [7, 7, 7])
            try await b.enableTwoFactor(userID: user.id, sealedSecret: [7, 7, 7], usedStep: 100, recoveryDigests: ["r1", "r2", "r3"], at: t0)
            let record = try #require(try await a.twoFactor(userID: user.id))
            #expect(record.isEnabled && record.lastUsedStep == 100 && record.pendingSealedSecret == nil)

            // One step is accepted once, whichever instance sees it first; older steps never.
            let uses = try await race(12, over: stores) { try await $0.useStep(userID: user.id, step: 101) }
            #expect(uses.filter { $0 }.count == 1)
            #expect(try await !a.useStep(userID: user.id, step: 99))

            let consumed = try await race(12, over: stores) { try await $0.consumeRecoveryCode(userID: user.id, digest: "r2") }
            #expect(consumed.filter { $0 }.count == 1)
            #expect(try await b.recoveryCodesLeft(userID: user.id) == 2)
            try await a.replaceRecoveryCodes(userID: user.id, digests: ["n1"])
            #expect(try await b.recoveryCodesLeft(userID: user.id) == 1)

            try await a.setTwoFactorRequired(userID: user.id, true)
            try await b.resetTwoFactor(userID: user.id)
            let reset = try #require(try await a.twoFactor(userID: user.id))
            #expect(!reset.isEnabled && reset.required, "reset keeps whether it is required")
            #expect(try await a.recoveryCodesLeft(userID: user.id) == 0)

            try await a.setTwoFactorRequired(role: "admin", true)
            try await b.setTwoFactorRequired(role: "admin", true)
            try await a.setTwoFactorRequired(role: "ops", true)
            try await b.setTwoFactorRequired(role: "ops", false)
            #expect(try await a.rolesRequiringTwoFactor() == ["admin"])
        }
    }
}

@Suite struct RegistryStoreTests {
    func client(_ name: String) -> Client {
        Client(
            id: UUID().uuidString.lowercased(), name: name, secretDigest: "d", redirectURIs: ["https://app.example/cb"],
            postLogoutRedirectURIs: ["https://app.example/"], grantTypes: [.authorizationCode, .refreshToken], scopes: ["openid", "email"],
            tokenEndpointAuthMethod: .clientSecretBasic, jwks: #"{"keys":[]}"#, firstParty: true, createdAt: t0
        )
    }

    @Test(arguments: StoreKind.allCases)
    func clientsAndConsents(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var app = client("Intranet")
            try await store.insert(app)
            await #expect(throws: ClientError.duplicateName("INTRANET")) { try await store.insert(client("INTRANET")) }
            #expect(try await store.client(name: "intranet") == app)
            app.redirectURIs.append("http://127.0.0.1/cb")
            app.requireTwoFactor = true
            try await store.update(app)
            #expect(try await store.client(id: app.id) == app)

            let user = makeUser("hal")
            try await store.insert(user)
            #expect(try await store.consentedScopes(userID: user.id, clientID: app.id).isEmpty)
            try await store.saveConsent(userID: user.id, clientID: app.id, scopes: ["openid"], at: t0)
            try await store.saveConsent(userID: user.id, clientID: app.id, scopes: ["openid", "email"], at: t0)
            #expect(try await store.consentedScopes(userID: user.id, clientID: app.id) == ["openid", "email"])

            #expect(try await store.delete(clientID: app.id))
            #expect(try await store.clients().isEmpty)
            #expect(try await store.consentedScopes(userID: user.id, clientID: app.id).isEmpty, "consents go with the client")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func casServices(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let wiki = CASService(
                id: "s1", name: "Wiki", pattern: "^https://wiki\\.example/.*", attributes: ["email"],
                proxyCallbackPattern: "https://wiki.example/pgt", logoutURL: "https://wiki.example/slo", requireTwoFactor: true, createdAt: t0
            )
            try await store.insert(wiki)
            await #expect(throws: (any Error).self) { try await store.insert(CASService(id: "s2", name: "WIKI", pattern: "https://x/", createdAt: t0)) }
            #expect(try await store.casServices() == [wiki])
            #expect(try await store.deleteCASService(id: "s1"))
            #expect(try await !store.deleteCASService(id: "s1"))
        }
    }

    /// The key ring lives in the database: a rotation through one instance is what the other loads.
    @Test(arguments: StoreKind.allCases)
    func signingKeysAreSealedSharedAndRotate(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let clock = ManualClock()
            let sealer = DataKey(bytes: Array(repeating: 3, count: 32))!.sealer
            let ringA = SigningKeyRing(store: stores[0], sealer: sealer, clock: clock)
            let ringB = SigningKeyRing(store: stores[1], sealer: sealer, clock: clock)
            let first = try await ringA.ensureKeys()
            #expect(first.map(\.algorithm) == ["ES256", "RS256"])
            #expect(try await ringB.ensureKeys().map(\.kid) == first.map(\.kid), "the second instance uses the same keys")
            let stored = try await stores[1].signingKeys()
            #expect(stored.count == 2)
            let privateKey = try ringB.signer(for: stored.first { $0.algorithm == "ES256" }!)
            guard case .es256(let es256) = privateKey.key else { Issue.record("not ES256"); return }
            #expect(!stored[0].sealedPrivateKey.contains(subsequence: Array(es256.rawRepresentation)))
            let wrong = SigningKeyRing(store: stores[1], sealer: DataKey(bytes: Array(repeating: 4, count: 32))!.sealer)
            await #expect(throws: KeyError.self) { try await wrong.ensureKeys() }

            clock.advance(10)
            let rotated = try await ringA.rotate()
            let seenByB = try await ringB.load(publishFor: 100)
            #expect(Set(seenByB.signers.map(\.kid)) == Set(rotated.map(\.kid)))
            #expect(seenByB.publicJWKs.count == 4, "old keys stay published")
            clock.advance(101)
            #expect(try await ringB.load(publishFor: 100).publicJWKs.count == 2, "and leave once their tokens expired")
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}
