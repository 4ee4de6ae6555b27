import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// `/userinfo` over the real router: a bearer access token with `openid`, claims by scope, and
/// RFC 6750 §3 challenges when the token is missing or bad.
@Suite struct UserInfoHTTPTests {
    static func userinfo(_ client: some TestClientProtocol, bearer token: String?) async throws -> TokenAnswer {
        TokenAnswer(try await client.execute(uri: "/userinfo", method: .get, headers: token.map { [.authorization: "Bearer " + $0] } ?? [:]))
    }

    @Test func theClaimsFollowTheScope() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid", "profile", "email"], firstParty: true)
            let narrow = try await server.redeem(client, try await server.code(client, web, scope: "openid"), app: web)
            let onlySub = try await Self.userinfo(client, bearer: try #require(narrow["access_token"]))
            #expect(onlySub.status == .ok)
            #expect(onlySub["sub"] == server.alice.id)
            #expect(onlySub["email"] == nil && onlySub["name"] == nil && onlySub["preferred_username"] == nil)

            let wide = try await server.redeem(client, try await server.code(client, web, scope: "openid profile email"), app: web)
            let all = try await Self.userinfo(client, bearer: try #require(wide["access_token"]))
            #expect(all["email"] == "alice@example.com")
            #expect(all["name"] == "Alice Liddell")
            #expect(all["preferred_username"] == "alice")

            // RFC 6750 §2.2: the token in a form body works as well.
            let form = try await client.execute(
                uri: "/userinfo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "access_token=" + (wide["access_token"] ?? ""))
            )
            #expect(form.status == .ok)
            #expect(form.bodyText.contains("alice@example.com"))
        }
    }

    @Test func aMissingOrBadTokenIsA401WithAChallenge() async throws {
        try await OAuthServer.with { client, server in
            let missing = try await Self.userinfo(client, bearer: nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)

            let forged = try await Self.userinfo(client, bearer: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
            #expect(forged.status == .unauthorized)
            #expect(forged.error == "invalid_token")
            #expect(forged.response.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)

            // A service's token has no person behind it and no openid scope.
            let bot = try await server.insertClient("bot", grants: [.clientCredentials], scopes: ["api"])
            let service = try await server.post(client, "/token", ["grant_type": "client_credentials", "scope": "api"], as: bot)
            #expect(try await Self.userinfo(client, bearer: try #require(service["access_token"])).status == .unauthorized)

            // A revoked token and a disabled person's token are refused too.
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"], firstParty: true)
            let tokens = try await server.redeem(client, try await server.code(client, web), app: web)
            let access = try #require(tokens["access_token"])
            #expect(try await Self.userinfo(client, bearer: access).status == .ok)
            #expect(try await server.post(client, "/revoke", ["token": access], as: web).status == .ok)
            #expect(try await Self.userinfo(client, bearer: access).status == .unauthorized)

            let again = try await server.redeem(client, try await server.code(client, web), app: web)
            var disabled = try #require(try await server.store.user(id: server.alice.id))
            disabled.disabled = true
            try await server.store.update(disabled)
            #expect(try await Self.userinfo(client, bearer: try #require(again["access_token"])).status == .unauthorized)
        }
    }
}
