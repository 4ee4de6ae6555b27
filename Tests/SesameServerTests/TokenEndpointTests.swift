import Foundation
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// `TokenEndpoint` and `ClientCredentialsGrant` called directly (no HTTP): which grant answers,
/// what a service client may ask for, and what the audit trail hears.
@Suite struct TokenEndpointTests {
    static func request(_ parameters: [String: String], basic: (String, String)? = nil) -> TokenRequest {
        TokenRequest(parameters: parameters, credentials: ClientCredentials(basic: basic.map { (id: $0.0, secret: $0.1) }, parameters: parameters),
                     clientAddress: "192.0.2.7")
    }

    static func code(of error: any Error) -> String? { (error as? OAuthError)?.code }

    /// Everything the trail holds, written out first.
    static func events(_ server: OAuthServer) async throws -> [AuditEvent] {
        _ = try await server.dependencies.audit!.flush()
        return try await server.store.auditChain(afterID: 0, limit: 1000).map(\.event)
    }

    @Test func clientCredentialsGivesTheServiceScopesAndNothingAboutPeople() async throws {
        try await OAuthServer.with { _, server in
            let grant = ClientCredentialsGrant(issuer: server.tokenIssuer)
            let bot = try await server.insertClient("bot", grants: [.clientCredentials], scopes: ["openid", "email", "api", "sesame:admin"])
            let all = try await grant.handle(Self.request(["grant_type": "client_credentials"]), client: bot)
            #expect(Set(Scope(all.scope).values) == ["api", "sesame:admin"], "without a scope: every service scope, no person scope")
            #expect(all.refresh_token == nil && all.id_token == nil)
            let access = try #require(try await server.dependencies.oauth!.validator.validate(all.access_token))
            #expect(access.subject == bot.id, "the client is its own subject")

            #expect(try await grant.handle(Self.request(["scope": "api"]), client: bot).scope == "api")
            for asked in ["api openid", "email", "other", "api\u{7F}"] {
                await #expect(performing: { _ = try await grant.handle(Self.request(["scope": asked]), client: bot) },
                              throws: { Self.code(of: $0) == "invalid_scope" })
            }
            let spa = try await server.insertClient("spa", grants: [.clientCredentials], scopes: ["api"], auth: .none)
            await #expect(performing: { _ = try await grant.handle(Self.request([:]), client: spa) },
                          throws: { Self.code(of: $0) == "unauthorized_client" })
        }
    }

    @Test func theEndpointAuthenticatesThenPicksTheGrant() async throws {
        try await OAuthServer.with { _, server in
            let endpoint = server.dependencies.oauth!.tokenEndpoint
            _ = try await server.insertClient("bot", grants: [.clientCredentials], scopes: ["api"])
            let bot = ("id-bot", "secret-bot")
            let issued = try await endpoint.handle(Self.request(["grant_type": "client_credentials"], basic: bot))
            #expect(issued.scope == "api")

            let refusals: [([String: String], (String, String)?, String)] = [
                (["grant_type": "client_credentials"], ("id-bot", "wrong"), "invalid_client"),
                (["grant_type": "client_credentials"], nil, "invalid_client"),
                ([:], bot, "invalid_request"),
                (["grant_type": "password"], bot, "unsupported_grant_type"),
                (["grant_type": "authorization_code", "code": "c"], bot, "unauthorized_client"),
                (["grant_type": "urn:ietf:params:oauth:grant-type:device_code"], bot, "unsupported_grant_type"),
            ]
            for (parameters, basic, expected) in refusals {
                await #expect("\(parameters)", performing: { _ = try await endpoint.handle(Self.request(parameters, basic: basic)) },
                              throws: { Self.code(of: $0) == expected })
            }
            // A grant the endpoint was not given is unsupported, even for a client allowed it.
            let bare = TokenEndpoint(
                authenticator: ClientAuthenticator(clients: server.store, replay: server.store, keyFetcher: ClientJWKSFetcher(), audiences: [OAuthServer.issuer]),
                grants: [ClientCredentialsGrant(issuer: server.tokenIssuer)], audit: server.dependencies.audit!
            )
            _ = try await server.insertClient("web", grants: [.authorizationCode, .refreshToken], scopes: ["openid"])
            await #expect(performing: { _ = try await bare.handle(Self.request(["grant_type": "refresh_token", "refresh_token": "r"], basic: ("id-web", "secret-web"))) },
                          throws: { Self.code(of: $0) == "unsupported_grant_type" })
        }
    }

    @Test func theAuditTrailHearsIssuesRefusalsAndFailedAuthentications() async throws {
        try await OAuthServer.with { _, server in
            let endpoint = server.dependencies.oauth!.tokenEndpoint
            _ = try await server.insertClient("bot", grants: [.clientCredentials], scopes: ["api"])
            _ = try await endpoint.handle(Self.request(["grant_type": "client_credentials"], basic: ("id-bot", "secret-bot")))
            _ = try? await endpoint.handle(Self.request(["grant_type": "client_credentials", "scope": "nope"], basic: ("id-bot", "secret-bot")))
            _ = try? await endpoint.handle(Self.request(["grant_type": "client_credentials"], basic: ("id-bot\n<x>", "x")))

            let events = try await Self.events(server)
            let issued = try #require(events.first { $0.type == AuditEventKind.tokenIssued.rawValue })
            #expect(issued.clientID == "id-bot")
            #expect(issued.clientAddress == "192.0.2.7")
            #expect(issued.detail == "grant=client_credentials scope=api")
            let refused = try #require(events.first { $0.type == AuditEventKind.tokenRefused.rawValue })
            #expect(refused.detail?.hasPrefix("grant=client_credentials error=invalid_scope") == true)
            let failed = try #require(events.first { $0.type == AuditEventKind.clientAuthenticationFailed.rawValue })
            #expect(failed.clientID == "invalid", "a claimed id with control characters is not written as given")
        }
    }
}
