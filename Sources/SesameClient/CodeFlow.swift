import Crypto
import Foundation
import SesameJOSE
import SesameModels

/// The authorization code flow for a web app (confidential client): the sign-in URL with PKCE,
/// state and nonce; the code exchange with the ID token checked; refresh.
public struct CodeFlow: Sendable {
    public let metadata: DiscoveryDocument
    public let clientID: String
    public let clientSecret: String
    public let redirectURI: String
    public var scope: String
    let http: SesameHTTP
    let idTokens: TokenVerifier

    public init(metadata: DiscoveryDocument, clientID: String, clientSecret: String, redirectURI: String,
                scope: String = "openid profile email roles groups permissions", keys: JWKSCache, http: SesameHTTP = SesameHTTP()) {
        self.metadata = metadata
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.scope = scope
        self.http = http
        self.idTokens = TokenVerifier(keys: keys, expectations: TokenExpectations(issuer: metadata.issuer, audience: clientID))
    }

    /// What the app keeps (in a short-lived cookie) between sending the person away and the callback.
    public struct Pending: Sendable, Codable, Equatable {
        public var state: String
        public var nonce: String
        public var verifier: String
        public var returnTo: String
    }

    /// A fresh sign-in: the URL to send the browser to, and what to keep until the callback.
    public func start(returnTo: String) -> (url: String, pending: Pending) {
        let pending = Pending(state: Self.random(), nonce: Self.random(), verifier: Self.random(48), returnTo: returnTo)
        let challenge = Base64URL.encode(Array(SHA256.hash(data: Array(pending.verifier.utf8))))
        let query = FormEncoding.encode([
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scope), ("state", pending.state),
            ("nonce", pending.nonce), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
        return (metadata.authorization_endpoint + "?" + query, pending)
    }

    public struct Tokens: Sendable {
        public var accessToken: String
        public var refreshToken: String?
        public var idToken: VerifiedToken?
        /// The ID token as received, for `id_token_hint` at sign-out.
        public var rawIDToken: String?
        public var expiresIn: Int?
    }

    /// Handles the redirect back: checks `state`, exchanges the code, checks the ID token and its nonce.
    public func finish(code: String?, state: String?, error: String?, pending: Pending) async throws -> Tokens {
        guard let state, Self.equal(state, pending.state) else { throw SesameClientError.stateMismatch }
        if let error { throw SesameClientError.tokenEndpoint(error: error, description: nil) }
        guard let code else { throw SesameClientError.unexpectedAnswer("no code in the callback") }
        let tokens = try await tokenRequest([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", pending.verifier),
        ])
        guard let nonce = tokens.idToken?[.nonce]?.string, Self.equal(nonce, pending.nonce) else { throw SesameClientError.nonceMismatch }
        return tokens
    }

    public func refresh(_ refreshToken: String) async throws -> Tokens {
        try await tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    private func tokenRequest(_ fields: [(String, String)]) async throws -> Tokens {
        let answer = try await http.postForm(metadata.token_endpoint, fields, basic: (clientID, clientSecret))
        guard answer.status == 200, let response = try? JSONDecoder().decode(TokenResponse.self, from: answer.body) else {
            let failure = try? JSONDecoder().decode(OAuthErrorResponse.self, from: answer.body)
            throw SesameClientError.tokenEndpoint(error: failure?.error ?? "http \(answer.status)", description: failure?.error_description)
        }
        let idToken = try await response.id_token.asyncMap { try await idTokens.verify($0) }
        return Tokens(
            accessToken: response.access_token, refreshToken: response.refresh_token, idToken: idToken, rawIDToken: response.id_token,
            expiresIn: response.expires_in
        )
    }

    static func random(_ bytes: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// Token introspection (RFC 7662), for apps that would rather ask Sesame than check a JWT.
public struct Introspector: Sendable {
    let endpoint: String
    let clientID: String
    let clientSecret: String
    let http: SesameHTTP

    public init(endpoint: String, clientID: String, clientSecret: String, http: SesameHTTP = SesameHTTP()) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.http = http
    }

    /// The token's claims when active, nil when not.
    public func introspect(_ token: String) async throws -> VerifiedToken? {
        let answer = try await http.postForm(endpoint, [("token", token)], basic: (clientID, clientSecret))
        guard answer.status == 200, let response = try? JSONDecoder().decode(IntrospectionResponse.self, from: answer.body) else {
            throw SesameClientError.unexpectedAnswer("introspection \(answer.status)")
        }
        guard response.active else { return nil }
        return VerifiedToken(introspected: response)
    }
}
