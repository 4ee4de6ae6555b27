import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import SesameModels
import Testing

@testable import SesameServer

/// The app toolkit decodes the server's answers with the very types the server encodes
/// (SesameModels): the real router's JSON must decode into them, field for field.
@Suite struct WireTypesHTTPTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    @Test func discoveryDecodesIntoTheSharedDocument() async throws {
        try await OAuthServer.with { client, server in
            let response = try await client.execute(uri: "/.well-known/openid-configuration", method: .get)
            let document = try Self.decode(DiscoveryDocument.self, response.bodyText)
            #expect(document == server.dependencies.oauth!.discovery)
            #expect(document.issuer == OAuthServer.issuer)
        }
    }

    @Test func tokenAnswersDecodeIntoTokenResponseWithoutNulls() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode, .refreshToken], scopes: ["openid", "offline_access"], firstParty: true)
            let answer = try await server.redeem(client, try await server.code(client, web, scope: "openid offline_access"), app: web)
            #expect(answer.status == .ok)
            let tokens = try Self.decode(TokenResponse.self, answer.response.bodyText)
            #expect(tokens.token_type == "Bearer" && tokens.scope == "openid offline_access" && tokens.expires_in > 0)
            #expect(tokens.id_token != nil && tokens.refresh_token != nil)

            let service = try await server.insertClient("svc", grants: [.clientCredentials], scopes: [])
            let machine = try await server.post(client, "/token", ["grant_type": "client_credentials"], as: service)
            #expect(machine.status == .ok)
            let machineTokens = try Self.decode(TokenResponse.self, machine.response.bodyText)
            #expect(machineTokens.id_token == nil && machineTokens.refresh_token == nil)
            #expect(!machine.response.bodyText.contains("null"), "absent members are left out, not null")

            let refused = try await server.post(client, "/token", ["grant_type": "authorization_code", "code": "nope", "redirect_uri": OAuthServer.redirectURI], as: web)
            #expect(refused.status == .badRequest)
            #expect(try Self.decode(OAuthErrorResponse.self, refused.response.bodyText).error == "invalid_grant")
        }
    }

    @Test func introspectionDecodesIntoIntrospectionResponse() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"], firstParty: true)
            let other = try await server.insertClient("other", grants: [.clientCredentials], scopes: [])
            let tokens = try Self.decode(TokenResponse.self, try await server.redeem(client, try await server.code(client, web), app: web).response.bodyText)

            let own = try Self.decode(IntrospectionResponse.self, try await server.post(client, "/introspect", ["token": tokens.access_token], as: web).response.bodyText)
            #expect(own.active && own.username == "alice" && own.sub == server.alice.id && own.client_id == web.id)
            #expect(own.iss == OAuthServer.issuer && own.token_type == "Bearer" && own.jti != nil)

            let stranger = try await server.post(client, "/introspect", ["token": tokens.access_token], as: other)
            #expect(try Self.decode(IntrospectionResponse.self, stranger.response.bodyText) == .inactive)
            #expect(stranger.response.bodyText == #"{"active":false}"#)
        }
    }
}
