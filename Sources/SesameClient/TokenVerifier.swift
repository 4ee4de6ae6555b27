import Foundation
@_exported import enum SesameJOSE.JSONValue
import SesameJOSE

/// What a token must be to be accepted by an app.
public struct TokenExpectations: Sendable {
    /// Sesame's issuer URL, exactly as in its discovery document.
    public var issuer: String
    /// This app's client_id (or API identifier); the token's `aud` must contain it.
    public var audience: String
    /// Clock skew tolerated on `exp` and `nbf`.
    public var leeway: TimeInterval
    /// Only these algorithms are accepted; `none` and the HMAC family never are.
    public var algorithms: Set<String>
    /// The JOSE `typ` required (`at+jwt` for RFC 9068 access tokens), nil to accept any.
    public var type: String?

    public init(issuer: String, audience: String, leeway: TimeInterval = 30, algorithms: Set<String> = ["ES256", "RS256"], type: String? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.algorithms = algorithms.subtracting(["none", "HS256", "HS384", "HS512"])
        self.type = type
    }

    /// For access tokens sent to an API.
    public static func accessToken(issuer: String, audience: String) -> TokenExpectations {
        TokenExpectations(issuer: issuer, audience: audience, type: "at+jwt")
    }
}

/// Why a token was refused. The message is for logs, not for the caller.
public enum TokenError: Error, Equatable, Sendable {
    case malformed
    case algorithmNotAllowed(String)
    case unknownKey(String)
    case badSignature
    case wrongType(String?)
    case wrongIssuer(String?)
    case wrongAudience
    case expired
    case notYetValid
}

/// A token whose signature and claims checked out.
public struct VerifiedToken: Sendable {
    /// Every claim, as JSON: `claims["tenant"]?.string`, `claims["amr"]?.strings`.
    public let claims: [String: JSONValue]
    public var subject: String { self[.subject]?.string ?? "" }
    public var scope: Set<String> { Set((self[.scope]?.string ?? "").split(separator: " ").map(String.init)) }

    /// One claim by its shared name: `token[.sessionID]?.string`.
    public subscript(claim: ClaimName) -> JSONValue? { claims[claim.rawValue] }

    /// The person the token speaks for, with what Sesame released to this app.
    public var user: SesameUser {
        func strings(_ name: ClaimName) -> Set<String> { Set(self[name]?.strings ?? []) }
        return SesameUser(
            subject: subject, username: self[.preferredUsername]?.string, email: self[.email]?.string,
            name: self[.name]?.string, roles: strings(.roles), groups: strings(.groups), permissions: strings(.permissions)
        )
    }

    init(claims: [String: JSONValue]) {
        self.claims = claims
    }

    /// An active introspection answer's members as claims (RFC 7662 §2.2 names them as JWT claims).
    init(introspected response: IntrospectionResponse) {
        let json = (try? JSONEncoder().encode(response)).flatMap { try? JSONValue(parsing: $0) }
        self.init(claims: json?.object ?? [:])
    }
}

/// Checks ID tokens and access tokens: signature with a key from Sesame's JWKS (by `kid`), an
/// allowed algorithm, `typ`, `iss`, `aud`, `exp` and `nbf`.
public struct TokenVerifier: Sendable {
    let keys: JWKSCache
    let expectations: TokenExpectations

    public init(keys: JWKSCache, expectations: TokenExpectations) {
        self.keys = keys
        self.expectations = expectations
    }

    public func verify(_ token: String, now: Date = Date()) async throws -> VerifiedToken {
        guard let jws = CompactJWS(token), let alg = jws.algorithm else { throw TokenError.malformed }
        guard expectations.algorithms.contains(alg) else { throw TokenError.algorithmNotAllowed(alg) }
        guard let kid = jws.kid else { throw TokenError.unknownKey("") }
        let key: JWTVerificationKey
        if let cached = keys.cachedKey(kid: kid) { key = cached } else { key = try await keys.key(kid: kid) }
        guard let verified = jws.verified(with: key) else { throw TokenError.badSignature }
        if let type = expectations.type, jws.type != type, jws.type?.lowercased() != type.lowercased() { throw TokenError.wrongType(jws.type) }
        let issuer = verified.string(ClaimName.issuer.rawValue)
        guard issuer == expectations.issuer else { throw TokenError.wrongIssuer(issuer) }
        guard verified.audiences.contains(expectations.audience) else { throw TokenError.wrongAudience }
        let time = now.timeIntervalSince1970
        guard let exp = verified.number(ClaimName.expiresAt.rawValue), time < exp + expectations.leeway else { throw TokenError.expired }
        if let nbf = verified.number(ClaimName.notBefore.rawValue), time + expectations.leeway < nbf { throw TokenError.notYetValid }
        return VerifiedToken(claims: verified.claims)
    }

}
