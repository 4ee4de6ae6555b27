import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// `/token` over the real router: every grant, code and refresh reuse, client authentication and
/// the RFC 6749 §5.2 error format.
@Suite struct TokenEndpointHTTPTests {
    @Test func aPublicClientRedeemsItsCodeWithPKCEAndNoSecret() async throws {
        try await OAuthServer.with { client, server in
            let spa = try await server.insertClient("spa", grants: [.authorizationCode], scopes: ["openid", "profile"], auth: .none, firstParty: true)
            let code = try await server.code(client, spa, scope: "openid profile")
            let wrongVerifier = try await server.post(client, "/token", [
                "grant_type": "authorization_code", "code": code, "redirect_uri": OAuthServer.redirectURI, "code_verifier": String(repeating: "x", count: 43),
            ], as: spa)
            #expect(wrongVerifier.status == .badRequest)
            #expect(wrongVerifier.error == "invalid_grant")

            let fresh = try await server.code(client, spa, scope: "openid profile")
            let tokens = try await server.redeem(client, fresh, app: spa)
            #expect(tokens.status == .ok, "\(tokens.response.bodyText)")
            #expect(tokens.response.headers[.cacheControl] == "no-store")
            #expect(tokens["token_type"] == "Bearer")
            #expect(tokens["scope"] == "openid profile")
            #expect(tokens["id_token"] != nil)
            #expect(tokens["refresh_token"] == nil, "public clients get one only with offline_access")
            let access = try await server.dependencies.oauth!.validator.validate(try #require(tokens["access_token"]))
            #expect(access?.subject == server.alice.id)
            #expect(access?.clientID == spa.id)
        }
    }

    /// A code redeemed twice: the second redemption is refused and the first one's tokens die.
    @Test func aRedeemedCodeIsRefusedAndItsTokensRevoked() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode, .refreshToken], scopes: ["openid"], firstParty: true)
            let code = try await server.code(client, web)
            let first = try await server.redeem(client, code, app: web)
            #expect(first.status == .ok)
            let access = try #require(first["access_token"])
            let refresh = try #require(first["refresh_token"])
            #expect(try await server.dependencies.oauth!.validator.validate(access) != nil)

            let second = try await server.redeem(client, code, app: web)
            #expect(second.status == .badRequest)
            #expect(second.error == "invalid_grant")
            #expect(second["access_token"] == nil)
            #expect(try await server.dependencies.oauth!.validator.validate(access) == nil, "the first access token is revoked")
            let refreshed = try await server.post(client, "/token", ["grant_type": "refresh_token", "refresh_token": refresh], as: web)
            #expect(refreshed.error == "invalid_grant", "and so is its refresh token")
        }
    }

    /// Each refresh rotates the token; presenting a spent one revokes the whole family, so the
    /// newest token and the access tokens issued with it stop working too.
    @Test func refreshTokensRotateAndReuseRevokesTheFamily() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode, .refreshToken], scopes: ["openid"], firstParty: true)
            let first = try await server.redeem(client, try await server.code(client, web), app: web)
            let firstRefresh = try #require(first["refresh_token"])
            let second = try await server.post(client, "/token", ["grant_type": "refresh_token", "refresh_token": firstRefresh], as: web)
            #expect(second.status == .ok)
            let secondRefresh = try #require(second["refresh_token"])
            #expect(secondRefresh != firstRefresh)
            let secondAccess = try #require(second["access_token"])

            let replay = try await server.post(client, "/token", ["grant_type": "refresh_token", "refresh_token": firstRefresh], as: web)
            #expect(replay.status == .badRequest)
            #expect(replay.error == "invalid_grant")
            let newest = try await server.post(client, "/token", ["grant_type": "refresh_token", "refresh_token": secondRefresh], as: web)
            #expect(newest.error == "invalid_grant", "the reuse revoked the family")
            #expect(try await server.dependencies.oauth!.validator.validate(secondAccess) == nil)
        }
    }

    @Test func clientCredentialsIssuesAnAccessTokenOnly() async throws {
        try await OAuthServer.with { client, server in
            let bot = try await server.insertClient("bot", grants: [.clientCredentials], scopes: ["sesame:admin"])
            let tokens = try await server.post(client, "/token", ["grant_type": "client_credentials", "scope": "sesame:admin"], as: bot)
            #expect(tokens.status == .ok, "\(tokens.response.bodyText)")
            #expect(tokens["refresh_token"] == nil && tokens["id_token"] == nil)
            let access = try await server.dependencies.oauth!.validator.validate(try #require(tokens["access_token"]))
            #expect(access?.clientID == bot.id)
            #expect(access?.scope.contains("sesame:admin") == true)

            let tooMuch = try await server.post(client, "/token", ["grant_type": "client_credentials", "scope": "sesame:admin openid"], as: bot)
            #expect(tooMuch.status == .badRequest)
            #expect(tooMuch.error == "invalid_scope")
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"])
            let notAllowed = try await server.post(client, "/token", ["grant_type": "client_credentials"], as: web)
            #expect(notAllowed.error == "unauthorized_client")
        }
    }

    /// Basic and post each work only for the client registered for them; a bad or missing
    /// secret is a 401 invalid_client whose WWW-Authenticate names Basic.
    @Test func clientsAuthenticateOnlyHowTheyRegistered() async throws {
        try await OAuthServer.with { client, server in
            let basic = try await server.insertClient("basic", grants: [.clientCredentials], scopes: ["api"])
            let post = try await server.insertClient("post", grants: [.clientCredentials], scopes: ["api"], auth: .clientSecretPost)
            let form = ["grant_type": "client_credentials", "scope": "api"]
            #expect(try await server.post(client, "/token", form, as: basic).status == .ok)
            #expect(try await server.post(client, "/token", form, as: post).status == .ok)

            let wrong = try await server.post(client, "/token", form, as: basic, secret: "secret-wrong")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.error == "invalid_client")
            #expect(wrong.response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            var basicInTheBody = form
            basicInTheBody["client_id"] = basic.id
            basicInTheBody["client_secret"] = "secret-basic"
            #expect(try await server.post(client, "/token", basicInTheBody, as: nil).error == "invalid_client")
            #expect(try await server.post(client, "/token", form, as: nil).error == "invalid_client", "no credentials at all")
            var publicCredentials = form
            publicCredentials["client_id"] = basic.id
            #expect(try await server.post(client, "/token", publicCredentials, as: nil).status == .unauthorized, "a confidential client without its secret")
        }
    }

    @Test func errorsAreRFC6749JSON() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"])
            let cases: [([String: String], String)] = [
                ([:], "invalid_request"),
                (["grant_type": "password", "username": "alice", "password": "right-password"], "unsupported_grant_type"),
                (["grant_type": "authorization_code", "code": "<b>never-issued</b>", "redirect_uri": OAuthServer.redirectURI], "invalid_grant"),
                (["grant_type": "refresh_token", "refresh_token": "nope"], "unauthorized_client"),
            ]
            for (form, code) in cases {
                let answer = try await server.post(client, "/token", form, as: web)
                #expect(answer.status == .badRequest, "\(form)")
                #expect(answer.response.headers[.contentType] == "application/json")
                #expect(answer.error == code, "\(form): \(answer.response.bodyText)")
                let description = try #require(answer["error_description"])
                #expect(!description.contains("<b>") && !description.contains("never-issued"), "no raw echo")
            }
        }
    }
}
