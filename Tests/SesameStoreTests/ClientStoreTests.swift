import Foundation
import SesameCore
import SesameSQL
import Testing

/// A client's settings survive a round trip on both databases (migration 9's column included),
/// and an empty redirect URI on a code (a request that named none) is kept as such.
@Suite struct ClientStoreTests {
    @Test(arguments: StoreKind.allCases)
    func aResourceServerFlagRoundTrips(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var client = Client(
                id: "api-id", name: "api", secretDigest: "d", redirectURIs: [], grantTypes: [.clientCredentials], scopes: [],
                tokenEndpointAuthMethod: .clientSecretBasic, createdAt: t0
            )
            client.resourceServer = true
            try await store.insert(client)
            #expect(try await store.client(id: "api-id")?.resourceServer == true)
            client.resourceServer = false
            try await store.update(client)
            #expect(try await store.client(name: "api")?.resourceServer == false)

            try await store.insert(AuthorizationCodeRecord(
                digest: "code", familyID: "f", clientID: "api-id", userID: "u", redirectURI: "", scope: "openid", nonce: nil,
                codeChallenge: nil, sessionID: nil, authTime: t0, createdAt: t0, expiresAt: t0.addingTimeInterval(60)
            ))
            guard case .consumed(let record) = try await store.consumeCode(digest: "code", at: t0) else {
                Issue.record("the code was not consumed")
                return
            }
            #expect(record.redirectURI == "")
        }
    }
}
