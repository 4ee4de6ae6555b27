import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// `/authorize` over the real router: where a successful or refused request goes (back to the
/// app's verified redirect URI, or an error page when that URI cannot be trusted).
@Suite struct AuthorizeHTTPTests {
    static func get(_ client: some TestClientProtocol, _ server: OAuthServer, _ query: [(String, String)], signedIn: Bool = true) async throws -> TestResponse {
        let uri = "/authorize?" + query.map { "\($0.0)=\(formEncode($0.1))" }.joined(separator: "&")
        let headers: HTTPFields = signedIn ? [.cookie: "sesame_session=" + (try await server.aliceSession())] : [:]
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    static func request(_ app: Client, _ extra: [(String, String)] = []) -> [(String, String)] {
        [("client_id", app.id), ("response_type", "code"), ("redirect_uri", OAuthServer.redirectURI), ("scope", "openid"), ("state", "st-1"),
         ("code_challenge", PKCE.challenge(for: OAuthServer.verifier)), ("code_challenge_method", "S256")] + extra
    }

    @Test func aSignedInPersonGoesBackWithACodeAndTheState() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"], firstParty: true)
            let response = try await Self.get(client, server, Self.request(web))
            #expect([.found, .seeOther].contains(response.status))
            let query = OAuthServer.query(of: try #require(response.headers[.location]))
            #expect(query["state"] == "st-1")
            #expect(query["iss"] == OAuthServer.issuer, "RFC 9207")
            #expect(query["error"] == nil)
            let code = try #require(query["code"])
            #expect(try await server.redeem(client, code, app: web).status == .ok)

            // Nobody signed in: to the sign-in page, carrying the request, not to the app.
            let anonymous = try await Self.get(client, server, Self.request(web), signedIn: false)
            let location = try #require(anonymous.headers[.location])
            #expect(location.hasPrefix("/login?"))
            #expect(!location.contains("code="))
        }
    }

    /// An unknown client or an unregistered redirect URI cannot be trusted with an answer: an
    /// error page, no redirect. Later mistakes go back to the app with `error` and the state.
    @Test func errorsGoToTheAppOnlyThroughAVerifiedRedirectURI() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"], firstParty: true)
            var unknownClient = Self.request(web)
            unknownClient[0] = ("client_id", "id-nobody")
            var otherRedirect = Self.request(web)
            otherRedirect[2] = ("redirect_uri", "https://evil.example/cb")
            for query in [unknownClient, otherRedirect] {
                let page = try await Self.get(client, server, query)
                #expect(page.status == .badRequest)
                #expect(page.headers[.location] == nil)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(!page.bodyText.contains("evil.example"))
            }

            var token = Self.request(web)
            token[1] = ("response_type", "token")
            let cases: [([(String, String)], String)] = [
                (token, "unsupported_response_type"),
                (Self.request(web, [("code_challenge_method", "plain")]).filter { $0 != ("code_challenge_method", "S256") }, "invalid_request"),
                (Self.request(web, [("prompt", "none login")]), "invalid_request"),
                (Self.request(web, [("request", "eyJ.x.y")]), "request_not_supported"),
            ]
            for (query, error) in cases {
                let response = try await Self.get(client, server, query)
                let location = try #require(response.headers[.location], "\(query)")
                #expect(location.hasPrefix(OAuthServer.redirectURI + "?"))
                let answer = OAuthServer.query(of: location)
                #expect(answer["error"] == error, "\(query)")
                #expect(answer["state"] == "st-1")
                #expect(answer["code"] == nil)
            }
        }
    }

    @Test func publicClientsMustUsePKCE() async throws {
        try await OAuthServer.with { client, server in
            let spa = try await server.insertClient("spa", grants: [.authorizationCode], scopes: ["openid"], auth: .none, firstParty: true)
            let withoutPKCE = try await server.authorize(client, spa, pkce: false)
            #expect(withoutPKCE["error"] == "invalid_request")
            #expect(withoutPKCE["code"] == nil)
            #expect(try await server.authorize(client, spa)["code"] != nil)
        }
    }

    /// Scopes Sesame does not know are dropped (OIDC Core §3.1.2.1); a known one the client
    /// was not registered for is refused.
    @Test func unknownScopesAreIgnoredAndUnregisteredOnesRefused() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid", "email"], firstParty: true)
            let code = try await server.code(client, web, scope: "openid address weird-app-scope email")
            let tokens = try await server.redeem(client, code, app: web)
            #expect(tokens["scope"] == "openid email")
            let refused = try await server.authorize(client, web, scope: "openid profile")
            #expect(refused["error"] == "invalid_scope")
            #expect(refused["code"] == nil)
        }
    }

    /// A client that is not first-party asks the person first; nothing goes back to the app yet.
    @Test func aThirdPartyClientGetsTheConsentPageFirst() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"])
            let response = try await Self.get(client, server, Self.request(web))
            #expect(response.status == .ok)
            #expect(response.headers[.location] == nil)
            #expect(response.bodyText.contains("csrf_token"))
        }
    }
}
