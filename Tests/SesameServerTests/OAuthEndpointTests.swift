import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SesameCore
import SesameModels
import SesameSQL
import SesameSQLite
import Testing
@testable import SesameServer

/// The OAuth endpoints over the real router, on a fresh SQLite store holding alice.
struct OAuthServer {
    static let issuer = "http://127.0.0.1:8080"
    let store: SQLStore
    let keys: KeySetHolder
    let alice: User
    let dependencies: ServerDependencies

    var settings: TokenSettings { TokenSettings(issuer: Self.issuer) }
    var tokenIssuer: TokenIssuer { TokenIssuer(settings: settings, keys: keys, tokens: store) }

    /// `configure` may change what the server is given (a fake proxy callback, another second
    /// factor) before it starts. The store is closed here, not by the application's services.
    static func with(
        configure: @Sendable (inout ServerDependencies, SQLStore) -> Void = { _, _ in },
        _ body: @Sendable (any TestClientProtocol, OAuthServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sesame-oauth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store = try await SQLiteStore.open(path: directory + "/sesame.db", logger: logger)
        do {
            let alice = try await AccountService(users: store, sessions: store, hasher: fastHasher)
                .addUser(username: "alice", email: "alice@example.com", name: "Alice Liddell", password: "right-password")
            // The server as `sesame serve` assembles it; `configure` may then swap parts.
            let sesame = try await SesameServer.make(
                store: store, dataKey: DataKey(bytes: Array(repeating: 1, count: 32))!,
                configuration: SesameConfiguration(issuer: URL(string: issuer)!, hasher: fastHasher), logger: logger
            )
            var dependencies = sesame.dependencies
            configure(&dependencies, store)
            let server = OAuthServer(store: store, keys: dependencies.oauth!.keys, alice: alice, dependencies: dependencies)
            let router = SesameServer.router(dependencies: dependencies, settings: sesame.configuration.serverSettings)
            try await Application(router: router, logger: logger).test(.router) { client in try await body(client, server) }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// A client stored as given, bypassing the registration rules (as an import or an older
    /// version of Sesame could have left it).
    func insertClient(_ name: String, grants: [GrantType], scopes: [String], auth: TokenEndpointAuthMethod = .clientSecretBasic,
                      redirectURIs: [String] = ["https://app.example/cb"], firstParty: Bool = false) async throws -> Client {
        let client = Client(
            id: "id-" + name, name: name, secretDigest: TokenDigest.of("secret-" + name), redirectURIs: redirectURIs, grantTypes: grants,
            scopes: scopes, tokenEndpointAuthMethod: auth, firstParty: firstParty, createdAt: Date()
        )
        try await store.insert(client)
        return client
    }

    var adminAuthentication: AdminAuthentication {
        AdminAuthentication(
            validator: dependencies.oauth!.validator,
            signedIn: SignedInUser(sessions: dependencies.sessions, users: store, cookies: BrowserCookies(secure: false, random: SystemRandom())), csrf: dependencies.csrf
        )
    }
}

func bearerRequest(_ token: String) -> Request {
    Request(
        head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/admin/api/v1/users", headerFields: [.authorization: "Bearer " + token]),
        body: RequestBody(buffer: ByteBuffer())
    )
}

@Suite struct AdminScopeTests {
    /// A person's token that carries `sesame:admin` (from a client registered before the rule,
    /// or imported) is no admin credential unless the person is an admin.
    @Test func aPersonsTokenWithTheAdminScopeNeedsTheAdminRole() async throws {
        try await OAuthServer.with { _, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid", "sesame:admin"])
            let personal = try await server.tokenIssuer.issue(to: web, TokenGrantContext(
                user: server.alice, scope: Scope("openid sesame:admin"), familyID: "f1", includeRefreshToken: false
            ))
            let auth = server.adminAuthentication
            await #expect(throws: (any Error).self, "alice is no admin") { _ = try await auth.authenticate(bearerRequest(personal.access_token)) }

            try await server.store.insert(Role(name: "admin", createdAt: Date()))
            try await server.store.setRole("admin", userID: server.alice.id, granted: true)
            let admin = try #require(try await server.store.user(id: server.alice.id))
            let adminToken = try await server.tokenIssuer.issue(to: web, TokenGrantContext(
                user: admin, scope: Scope("openid sesame:admin"), familyID: "f2", includeRefreshToken: false
            ))
            _ = try await auth.authenticate(bearerRequest(adminToken.access_token))

            let bot = try await server.insertClient("bot", grants: [.clientCredentials], scopes: ["sesame:admin"])
            let service = try await server.tokenIssuer.issue(to: bot, TokenGrantContext(user: nil, scope: Scope("sesame:admin"), familyID: nil, includeRefreshToken: false))
            _ = try await auth.authenticate(bearerRequest(service.access_token))
        }
    }

    @Test func authorizeRefusesTheAdminScope() async throws {
        try await OAuthServer.with { client, server in
            let web = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid", "sesame:admin"])
            let response = try await client.execute(
                uri: "/authorize?client_id=\(web.id)&response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20sesame%3Aadmin&state=s",
                method: .get
            )
            #expect([.found, .seeOther].contains(response.status))
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("https://app.example/cb?error=invalid_scope&"))
        }
    }
}

@Suite struct TokenEndpointErrorTests {
    @Test func aTooLargeBodyIsAnOAuthJSONError() async throws {
        try await OAuthServer.with { client, _ in
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 70 * 1024)
            let response = try await client.execute(
                uri: "/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: huge
            )
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.bodyText.contains(#""error":"invalid_request""#))
        }
    }

    @Test func errorDescriptionsNeverEchoRawInput() async throws {
        try await OAuthServer.with { client, server in
            _ = try await server.insertClient("web", grants: [.authorizationCode], scopes: ["openid"])
            let response = try await client.execute(
                uri: "/token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic " + Data("id-web:secret-web".utf8).base64EncodedString()],
                body: ByteBuffer(string: "grant_type=%22%3Cscript%3E%5C%C3%A9")
            )
            #expect(response.status == .badRequest)
            let body = try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: String]
            #expect(body?["error"] == "unsupported_grant_type")
            let description = try #require(body?["error_description"])
            #expect(!description.contains("<script>"))
            #expect(description.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" })
        }
    }

    /// RFC 7009 §2.1: another client's token is refused with an error, and stays valid.
    @Test func revokingAnotherClientsTokenIsRefused() async throws {
        try await OAuthServer.with { client, server in
            let owner = try await server.insertClient("owner", grants: [.clientCredentials], scopes: ["sesame:admin"])
            _ = try await server.insertClient("other", grants: [.clientCredentials], scopes: [])
            let token = try await server.tokenIssuer.issue(to: owner, TokenGrantContext(user: nil, scope: Scope("sesame:admin"), familyID: nil, includeRefreshToken: false))
            let response = try await client.execute(
                uri: "/revoke", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic " + Data("id-other:secret-other".utf8).base64EncodedString()],
                body: ByteBuffer(string: "token=" + token.access_token)
            )
            #expect(response.status == .badRequest)
            #expect(response.bodyText.contains(#""error":"unauthorized_client""#))
            #expect(try await server.dependencies.oauth!.validator.validate(token.access_token) != nil, "still valid")
        }
    }
}

@Suite struct CORSTests {
    @Test func browserAppsMayCallTheEndpointsFromTheirOwnOrigin() async throws {
        try await OAuthServer.with { client, server in
            _ = try await server.insertClient(
                "spa", grants: [.authorizationCode], scopes: ["openid"], auth: .none, redirectURIs: ["https://spa.example:8443/callback"]
            )
            _ = try await server.insertClient("backend", grants: [.authorizationCode], scopes: ["openid"], redirectURIs: ["https://backend.example/cb"])
            let preflight = try await client.execute(
                uri: "/token", method: .options,
                headers: [.origin: "https://spa.example:8443", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type"]
            )
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://spa.example:8443")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)

            let refused = try await client.execute(uri: "/token", method: .options, headers: [.origin: "https://backend.example"])
            #expect(refused.headers[.accessControlAllowOrigin] == nil, "only public clients' pages call from a browser")
            let evil = try await client.execute(uri: "/userinfo", method: .get, headers: [.origin: "https://evil.example"])
            #expect(evil.headers[.accessControlAllowOrigin] == nil)

            // Errors carry the header too, so the app can read them.
            let error = try await client.execute(
                uri: "/token", method: .post, headers: [.origin: "https://spa.example:8443", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "grant_type=authorization_code&client_id=id-spa&code=nope")
            )
            #expect(error.status == .badRequest)
            #expect(error.headers[.accessControlAllowOrigin] == "https://spa.example:8443")

            for path in ["/jwks", "/.well-known/openid-configuration"] {
                let response = try await client.execute(uri: path, method: .get, headers: [.origin: "https://anyone.example"])
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
        }
    }
}
