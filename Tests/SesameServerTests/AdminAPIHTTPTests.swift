import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// The admin API over the whole server as `sesame serve` assembles it: who may call, a CRUD round
/// trip for a person and a client, RFC 9457 problems, and CSRF for a signed-in administrator.
@Suite struct AdminAPIHTTPTests {
    static let base = "/admin/api/v1/"

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, json: String? = nil,
                     headers: HTTPFields = [:]) async throws -> TokenAnswer {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        return TokenAnswer(try await client.execute(uri: base + path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }))
    }

    /// A bearer header from a client_credentials token of a service client allowed `scopes`.
    static func bearer(_ client: some TestClientProtocol, _ server: OAuthServer, scopes: [String] = ["sesame:admin"]) async throws -> HTTPFields {
        let bot = try await server.insertClient("bot-" + scopes.joined(separator: "-").replacingOccurrences(of: ":", with: "-"), grants: [.clientCredentials], scopes: scopes)
        let tokens = try await server.post(client, "/token", ["grant_type": "client_credentials"], as: bot)
        return [.authorization: "Bearer " + (try #require(tokens["access_token"]))]
    }

    static func expectProblem(_ answer: TokenAnswer, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(answer.response.bodyText)", sourceLocation: sourceLocation)
        #expect(answer.response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(answer.json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(answer["title"] != nil && answer["detail"] != nil && answer["type"] != nil, sourceLocation: sourceLocation)
    }

    @Test func callersNeedATokenWithTheAdminScopeOrTheAdminRole() async throws {
        try await OAuthServer.with { client, server in
            let anonymous = try await Self.call(client, .get, "users")
            Self.expectProblem(anonymous, .unauthorized)
            #expect(anonymous.response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            Self.expectProblem(try await Self.call(client, .get, "users", headers: [.authorization: "Bearer not-a-token"]), .unauthorized)
            Self.expectProblem(try await Self.call(client, .get, "users", headers: try await Self.bearer(client, server, scopes: ["api"])), .forbidden)
            // A signed-in person without the admin role.
            let session: HTTPFields = [.cookie: "sesame_session=" + (try await server.aliceSession())]
            Self.expectProblem(try await Self.call(client, .get, "users", headers: session), .forbidden)

            let listed = try await Self.call(client, .get, "users", headers: try await Self.bearer(client, server))
            #expect(listed.status == .ok)
            #expect(listed.response.bodyText.contains(#""username":"alice""#))
        }
    }

    @Test func aPersonAndAClientGoThroughCreateReadUpdateDelete() async throws {
        try await OAuthServer.with { client, server in
            let admin = try await Self.bearer(client, server)
            let created = try await Self.call(client, .post, "users", json: #"{"username":"bob","email":"bob@example.com","password":"bob-password-1"}"#, headers: admin)
            #expect(created.status == .created, "\(created.response.bodyText)")
            #expect(try await server.store.user(username: "bob")?.email == "bob@example.com")
            #expect(try await Self.call(client, .get, "users/bob", headers: admin)["email"] == "bob@example.com")
            let disabled = try await Self.call(client, .patch, "users/bob", json: #"{"disabled":true,"name":"Bob"}"#, headers: admin)
            #expect(disabled.json["disabled"] as? Bool == true)
            #expect(try await server.store.user(username: "bob")?.disabled == true)
            #expect(try await server.store.user(username: "bob")?.name == "Bob")
            #expect(try await Self.call(client, .delete, "users/bob", headers: admin).status == .noContent)
            #expect(try await server.store.user(username: "bob") == nil)
            Self.expectProblem(try await Self.call(client, .get, "users/bob", headers: admin), .notFound)

            let app = try await Self.call(client, .post, "clients", json: #"{"name":"wiki","redirect_uris":["https://wiki.example/cb"]}"#, headers: admin)
            #expect(app.status == .created, "\(app.response.bodyText)")
            let clientID = try #require(app["client_id"])
            let secret = try #require(app["client_secret"])
            #expect(try await server.store.client(id: clientID)?.secretDigest == TokenDigest.of(secret), "only the digest is stored")
            #expect(try await Self.call(client, .get, "clients/wiki", headers: admin)["client_secret"] == nil, "shown once")
            let patched = try await Self.call(client, .patch, "clients/wiki", json: #"{"first_party":true}"#, headers: admin)
            #expect(patched.json["first_party"] as? Bool == true)
            #expect(try await server.store.client(id: clientID)?.firstParty == true)
            #expect(try await Self.call(client, .delete, "clients/wiki", headers: admin).status == .noContent)
            #expect(try await server.store.client(id: clientID) == nil)
            Self.expectProblem(try await Self.call(client, .get, "clients/wiki", headers: admin), .notFound)
        }
    }

    @Test func refusalsAreRFC9457Problems() async throws {
        try await OAuthServer.with { client, server in
            let admin = try await Self.bearer(client, server)
            let duplicate = try await Self.call(client, .post, "users", json: #"{"username":"alice","password":"another-password"}"#, headers: admin)
            Self.expectProblem(duplicate, .conflict)
            let unknownMember = try await Self.call(client, .post, "users", json: #"{"username":"carol","is_admin":true}"#, headers: admin)
            #expect([.badRequest, .unprocessableContent].contains(unknownMember.status))
            #expect(unknownMember.response.headers[.contentType] == "application/problem+json")
            #expect(try await server.store.user(username: "carol") == nil)
            let notJSON = try await Self.call(client, .post, "clients", json: "name=wiki", headers: admin)
            #expect(notJSON.response.headers[.contentType] == "application/problem+json")
            #expect(notJSON.status.code >= 400 && notJSON.status.code < 500)
        }
    }

    /// A signed-in administrator's browser may read; a changing request needs the CSRF token in
    /// X-CSRF-Token, so another site cannot make the browser change anything.
    @Test func aSignedInAdministratorsChangesNeedTheCSRFHeader() async throws {
        try await OAuthServer.with { client, server in
            try await server.store.insert(Role(name: "admin", createdAt: Date()))
            try await server.store.setRole("admin", userID: server.alice.id, granted: true)
            var browser = Browser()
            let page = try await browser.get(client, "/login")
            browser.cookies["sesame_session"] = try await server.aliceSession()
            let token = csrfToken(in: page.bodyText)
            #expect(!token.isEmpty)

            #expect(try await Self.call(client, .get, "users", headers: browser.cookieHeader).status == .ok)
            let body = #"{"username":"dave","password":"dave-password-1"}"#
            Self.expectProblem(try await Self.call(client, .post, "users", json: body, headers: browser.cookieHeader), .forbidden)
            var forged = browser.cookieHeader
            forged[HTTPField.Name("X-CSRF-Token")!] = "forged-token"
            Self.expectProblem(try await Self.call(client, .post, "users", json: body, headers: forged), .forbidden)
            #expect(try await server.store.user(username: "dave") == nil)

            var headers = browser.cookieHeader
            headers[HTTPField.Name("X-CSRF-Token")!] = token
            #expect(try await Self.call(client, .post, "users", json: body, headers: headers).status == .created)
        }
    }
}
