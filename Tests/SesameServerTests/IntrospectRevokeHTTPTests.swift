import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// `/introspect` (RFC 7662) and `/revoke` (RFC 7009) over the real router. Only resource servers
/// and a token's own client learn what is behind it; a client revokes only its own tokens.
@Suite struct IntrospectRevokeHTTPTests {
    /// A resource server (an API that checks tokens), stored as the admin would register it.
    static func resourceServer(_ server: OAuthServer) async throws -> Client {
        var api = Client(
            id: "id-api", name: "api", secretDigest: TokenDigest.of("secret-api"), redirectURIs: [], grantTypes: [.clientCredentials],
            scopes: [], tokenEndpointAuthMethod: .clientSecretBasic, createdAt: Date()
        )
        api.resourceServer = true
        try await server.store.insert(api)
        return api
    }

    @Test func introspectionAnswersResourceServersAndTheOwnClientOnly() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode, .refreshToken], scopes: ["openid"], firstParty: true)
            let other = try await server.insertClient("other", grants: [.clientCredentials], scopes: [])
            let api = try await Self.resourceServer(server)
            let tokens = try await server.redeem(client, try await server.code(client, web), app: web)
            let access = try #require(tokens["access_token"])
            let refresh = try #require(tokens["refresh_token"])

            let byAPI = try await server.post(client, "/introspect", ["token": access], as: api)
            #expect(byAPI.status == .ok)
            #expect(byAPI.json["active"] as? Bool == true)
            #expect(byAPI["username"] == "alice")
            #expect(byAPI["client_id"] == web.id)
            #expect(byAPI["sub"] == server.alice.id)

            let byOther = try await server.post(client, "/introspect", ["token": access], as: other)
            #expect(byOther.status == .ok)
            #expect(byOther.json["active"] as? Bool == false)
            #expect(byOther["username"] == nil && byOther["sub"] == nil, "nothing about the token leaks")

            #expect(try await server.post(client, "/introspect", ["token": access], as: web).json["active"] as? Bool == true)
            #expect(try await server.post(client, "/introspect", ["token": refresh], as: api).json["active"] as? Bool == false,
                    "refresh tokens only to their own client")
            let ownRefresh = try await server.post(client, "/introspect", ["token": refresh], as: web)
            #expect(ownRefresh["token_type"] == "refresh_token")
        }
    }

    @Test func introspectionNeedsAnAuthenticatedConfidentialClientAndAToken() async throws {
        try await OAuthServer.with { client, server in
            let spa = try await server.insertClient("spa", grants: [.authorizationCode], scopes: ["openid"], auth: .none)
            let api = try await Self.resourceServer(server)
            let publicClient = try await server.post(client, "/introspect", ["token": "anything"], as: spa)
            #expect(publicClient.status == .unauthorized)
            #expect(publicClient.error == "invalid_client")
            let anonymous = try await server.post(client, "/introspect", ["token": "anything"], as: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.error == "invalid_client")
            let wrongSecret = try await server.post(client, "/introspect", ["token": "anything"], as: api, secret: "nope")
            #expect(wrongSecret.status == .unauthorized)
            let noToken = try await server.post(client, "/introspect", [:], as: api)
            #expect(noToken.status == .badRequest)
            #expect(noToken.error == "invalid_request")
            let unknown = try await server.post(client, "/introspect", ["token": "never-issued"], as: api)
            #expect(unknown.json["active"] as? Bool == false)
        }
    }

    /// Revoking a refresh token ends its grant: the token no longer refreshes, and the access
    /// token issued with it stops validating. Unknown tokens are answered 200 (RFC 7009 §2.2).
    @Test func aClientRevokesItsOwnTokens() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode, .refreshToken], scopes: ["openid"], firstParty: true)
            let tokens = try await server.redeem(client, try await server.code(client, web), app: web)
            let refresh = try #require(tokens["refresh_token"])
            let access = try #require(tokens["access_token"])

            let revoked = try await server.post(client, "/revoke", ["token": refresh, "token_type_hint": "refresh_token"], as: web)
            #expect(revoked.status == .ok)
            #expect(revoked.response.headers[.cacheControl] == "no-store")
            let refreshed = try await server.post(client, "/token", ["grant_type": "refresh_token", "refresh_token": refresh], as: web)
            #expect(refreshed.error == "invalid_grant")
            #expect(try await server.post(client, "/introspect", ["token": refresh], as: web).json["active"] as? Bool == false)
            #expect(try await server.dependencies.oauth!.validator.validate(access) == nil, "RFC 7009 §2.1: the grant's access token too")

            let second = try await server.redeem(client, try await server.code(client, web), app: web)
            let secondAccess = try #require(second["access_token"])
            #expect(try await server.post(client, "/revoke", ["token": secondAccess], as: web).status == .ok)
            #expect(try await server.dependencies.oauth!.validator.validate(secondAccess) == nil)

            #expect(try await server.post(client, "/revoke", ["token": "never-issued"], as: web).status == .ok)
            #expect(try await server.post(client, "/revoke", [:], as: web).error == "invalid_request")
            #expect(try await server.post(client, "/revoke", ["token": refresh], as: nil).status == .unauthorized)
        }
    }
}
