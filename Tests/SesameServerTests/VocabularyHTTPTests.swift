import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SesameCore
import SesameModels
import SesameSQL
import SesameServer
import Testing

/// The registered vocabulary as the endpoints show it, and the item-6 fixes: discovery and the
/// consent page read the scope catalogue, an RS256 client never gets an ES256 ID token, and a
/// repeated OAuth parameter is `invalid_request` (RFC 6749 §3.1).
@Suite struct VocabularyHTTPTests {
    static let verifier = OAuthServer.verifier

    /// Discovery as `sesame serve` builds it lists every catalogued scope and claim, `permissions` too.
    @Test func discoveryListsTheCatalogue() async throws {
        try await SesameApplicationTests.withStore { store, _ in
            let sesame = try await SesameServer.make(
                store: store, dataKey: DataKey(bytes: Array(repeating: 1, count: 32))!,
                configuration: SesameConfiguration(issuer: URL(string: "http://127.0.0.1:8183")!, hasher: fastHasher), logger: SesameApplicationTests.logger
            )
            try await sesame.application().test(.router) { client in
                let answer = try await client.execute(uri: "/.well-known/openid-configuration", method: .get)
                let document = try JSONDecoder().decode(DiscoveryDocument.self, from: Data(answer.bodyText.utf8))
                #expect(document.scopes_supported == ScopeCatalogue.names)
                #expect(document.scopes_supported.contains("permissions"))
                #expect(document.claims_supported.contains("permissions"))
                #expect(document.grant_types_supported == GrantType.allCases.map(\.rawValue))
                #expect(document.id_token_signing_alg_values_supported == SigningAlgorithm.allCases.map(\.rawValue))
            }
        }
    }

    /// Every scope on the consent page carries the catalogue's description; `permissions` had none.
    @Test func theConsentPageDescribesEveryScopeFromTheCatalogue() async throws {
        try await OAuthServer.with { client, server in
            let all = ScopeCatalogue.names.filter { $0 != "offline_access" }
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: all)
            let query = [
                ("client_id", web.id), ("response_type", "code"), ("redirect_uri", OAuthServer.redirectURI), ("scope", all.joined(separator: " ")),
                ("code_challenge", PKCE.challenge(for: Self.verifier)), ("code_challenge_method", "S256"),
            ]
            let uri = "/authorize?" + query.map { "\($0.0)=\(formEncode($0.1))" }.joined(separator: "&")
            let page = try await client.execute(uri: uri, method: .get, headers: [.cookie: "sesame_session=" + (try await server.aliceSession())])
            #expect(page.status == .ok)
            for scope in all {
                let definition = try #require(ScopeCatalogue.named(scope))
                let item = "<li data-scope=\"\(scope)\">\(Self.html(definition.consentDescription))</li>"
                #expect(page.bodyText.contains(item), "\(scope): \(page.bodyText)")
            }
        }
    }

    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// A client registered for RS256 ID tokens, on a server holding only an ES256 key: an error,
    /// never an ID token signed with the other key.
    @Test func anRS256ClientWithoutAnRS256KeyIsRefused() async throws {
        try await OAuthServer.with { _, server in
            var app = try await server.insertClient("rs", grants: [.authorizationCode], scopes: ["openid"])
            app.idTokenSignedResponseAlg = "RS256"
            let context = TokenGrantContext(user: server.alice, scope: Scope("openid"), familyID: "f1", includeRefreshToken: false)

            let esOnly = KeySetHolder(KeySet(signers: server.keys.current.signers.filter { $0.signingAlgorithm == .es256 }, publicJWKs: []))
            #expect(esOnly.current.signers.count == 1)
            let issuer = TokenIssuer(settings: server.settings, keys: esOnly, tokens: server.store)
            await #expect(throws: OAuthError.self) { _ = try await issuer.issue(to: app, context) }
            do {
                _ = try await issuer.issue(to: app, context)
            } catch let error as OAuthError {
                #expect(error.code == "unauthorized_client")
                #expect(error.status == 400)
                #expect(error.errorDescription.contains("RS256"))
            }

            // With an RS256 key loaded, the ID token is RS256 and the access token stays ES256.
            let issued = try await server.tokenIssuer.issue(to: app, context)
            #expect(Self.algorithm(of: try #require(issued.id_token)) == "RS256")
            #expect(Self.algorithm(of: issued.access_token) == "ES256")
        }
    }

    static func algorithm(of token: String) -> String? {
        var header = String(token.prefix { $0 != "." }).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while header.count % 4 != 0 { header += "=" }
        let object = Data(base64Encoded: header).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return object?["alg"] as? String
    }

    /// RFC 6749 §3.1 at /token: before, the first grant_type won and a token came back.
    @Test func aRepeatedParameterAtTheTokenEndpointIsAnInvalidRequest() async throws {
        try await OAuthServer.with { client, server in
            let service = try await server.insertClient("svc", grants: [.clientCredentials], scopes: [])
            let basic = "Basic " + Data("\(service.id):secret-svc".utf8).base64EncodedString()
            func post(_ body: String) async throws -> TokenAnswer {
                TokenAnswer(try await client.execute(
                    uri: "/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .authorization: basic],
                    body: ByteBuffer(string: body)
                ))
            }
            let once = try await post("grant_type=client_credentials")
            #expect(once.status == .ok, "\(once.response.bodyText)")
            let twice = try await post("grant_type=client_credentials&grant_type=authorization_code")
            #expect(twice.status == .badRequest)
            #expect(twice.error == "invalid_request")
            #expect(twice["error_description"]?.contains("grant_type") == true)
            #expect(twice["access_token"] == nil)
            let repeatedScope = try await post("grant_type=client_credentials&scope=&scope=")
            #expect(repeatedScope.error == "invalid_request")
        }
    }

    /// RFC 6749 §3.1 at /authorize: a repeated parameter goes back to the app as invalid_request;
    /// a repeated client_id or redirect_uri cannot be answered to anyone but the person.
    @Test func aRepeatedParameterAtTheAuthorizationEndpointIsAnInvalidRequest() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid", "profile"], firstParty: true)
            let fine = try await server.authorize(client, web)
            #expect(fine["code"] != nil)
            let repeated = try await server.authorize(client, web, extra: [("scope", "openid profile")])
            #expect(repeated["error"] == "invalid_request")
            #expect(repeated["error_description"]?.contains("scope") == true)
            #expect(repeated["state"] == "st-1")
            #expect(repeated["code"] == nil)

            let cookie = "sesame_session=" + (try await server.aliceSession())
            let base = "/authorize?client_id=\(web.id)&response_type=code&scope=openid&state=s&code_challenge=\(PKCE.challenge(for: Self.verifier))&code_challenge_method=S256"
            for extra in ["&redirect_uri=\(formEncode(OAuthServer.redirectURI))&redirect_uri=\(formEncode("https://app.example/cb"))", "&client_id=\(web.id)&redirect_uri=\(formEncode(OAuthServer.redirectURI))"] {
                let page = try await client.execute(uri: base + extra, method: .get, headers: [.cookie: cookie])
                #expect(page.status == .badRequest, "\(extra)")
                #expect(page.headers[.location] == nil)
                #expect(page.bodyText.contains("more than once"))
            }
        }
    }

    /// A replayed code is still the one refusal audited as token.reuse_detected, now decided by
    /// the error's typed reason rather than by the word "revoked" in its log detail.
    @Test func aReplayedCodeIsAuditedAsReuse() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"], firstParty: true)
            let code = try await server.code(client, web)
            #expect(try await server.redeem(client, code, app: web).status == .ok)
            #expect(try await server.redeem(client, code, app: web).error == "invalid_grant")
            let wrong = try await server.post(client, "/token", ["grant_type": "refresh_token", "refresh_token": "nonsense"], as: web)
            #expect(wrong.error != nil)
            try await server.dependencies.oauth!.audit.flush()
            let events = try await server.store.auditEvents(AuditQuery(limit: 100)).map(\.event)
            #expect(events.filter { $0.kind == .tokenReuseDetected }.count == 1)
            #expect(events.contains { $0.kind == .tokenIssued })
        }
    }
}
