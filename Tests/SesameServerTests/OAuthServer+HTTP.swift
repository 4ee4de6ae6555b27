import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SesameCore
import Testing

@testable import SesameServer

/// What the HTTP tests of the OAuth endpoints do over and over: sign alice in, run /authorize,
/// post a form to /token, /introspect or /revoke and read the JSON that comes back.
extension OAuthServer {
    static let redirectURI = "https://app.example/cb"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

    /// A session cookie for alice, made in the store (how she signed in is not the point here).
    func aliceSession() async throws -> String {
        try await dependencies.sessions.start(userID: alice.id, authMethods: ["pwd"]).cookieValue
    }

    /// GET /authorize as signed-in alice; the redirect's query, which holds the code (or an error).
    func authorize(_ client: some TestClientProtocol, _ app: Client, scope: String = "openid", pkce: Bool = true,
                   extra: [(String, String)] = []) async throws -> [String: String] {
        var query = [("client_id", app.id), ("response_type", "code"), ("redirect_uri", Self.redirectURI), ("scope", scope), ("state", "st-1")]
        if pkce { query += [("code_challenge", PKCE.challenge(for: Self.verifier)), ("code_challenge_method", "S256")] }
        let uri = "/authorize?" + (query + extra).map { "\($0.0)=\(formEncode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: "sesame_session=" + (try await aliceSession())])
        let location = try #require(response.headers[.location], "\(response.status) \(response.bodyText.prefix(200))")
        #expect(location.hasPrefix(Self.redirectURI + "?"), "\(location)")
        return Self.query(of: location)
    }

    /// The code /authorize gave alice for `app`.
    func code(_ client: some TestClientProtocol, _ app: Client, scope: String = "openid", pkce: Bool = true) async throws -> String {
        try #require(try await authorize(client, app, scope: scope, pkce: pkce)["code"])
    }

    /// Redeems a code with the verifier; `secret` nil authenticates as a public client.
    func redeem(_ client: some TestClientProtocol, _ code: String, app: Client, secret: String? = nil) async throws -> TokenAnswer {
        try await post(client, "/token", [
            "grant_type": "authorization_code", "code": code, "redirect_uri": Self.redirectURI, "code_verifier": Self.verifier,
        ], as: app, secret: secret)
    }

    /// POSTs a form; confidential clients authenticate with HTTP Basic, or in the body if their
    /// method is client_secret_post; `secret` defaults to the one `insertClient` gave them.
    func post(_ client: some TestClientProtocol, _ path: String, _ form: [String: String], as app: Client?, secret: String? = nil) async throws -> TokenAnswer {
        var form = form
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let app {
            let secret = secret ?? "secret-" + app.name
            switch app.tokenEndpointAuthMethod {
            case .none: form["client_id"] = app.id
            case .clientSecretPost: form["client_id"] = app.id; form["client_secret"] = secret
            default: headers[.authorization] = "Basic " + Data("\(app.id):\(secret)".utf8).base64EncodedString()
            }
        }
        let body = form.map { "\($0.key)=\(formEncode($0.value))" }.joined(separator: "&")
        return TokenAnswer(try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    static func query(of location: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(string: location)?.queryItems ?? [] { result[item.name] = item.value }
        return result
    }
}

/// An answer from a JSON endpoint, its body read as a flat object.
struct TokenAnswer {
    let response: TestResponse
    let json: [String: Any]

    init(_ response: TestResponse) {
        self.response = response
        let object = try? JSONSerialization.jsonObject(with: Data(response.bodyText.utf8))
        self.json = object as? [String: Any] ?? [:]
    }

    var status: HTTPResponse.Status { response.status }
    subscript(_ key: String) -> String? { json[key] as? String }
    var error: String? { self["error"] }
}
