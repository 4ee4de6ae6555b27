import SesameJOSE
import Foundation

/// A Sesame access token that is genuine, current and not revoked.
public struct ValidAccessToken: Sendable {
    public let subject: String
    public let clientID: String
    public let scope: Scope
    public let jti: String
    public let issuedAt: Int
    public let expiresAt: Int
    public let audience: [String]
}

/// Checks access tokens presented to Sesame itself (userinfo, introspection, revocation).
public struct AccessTokenValidator: Sendable {
    private let keys: KeySetHolder
    private let tokens: any TokenStore
    private let issuer: String
    private let clock: any WallClock
    private let verified = VerifiedTokenCache()

    public init(keys: KeySetHolder, tokens: any TokenStore, issuer: String, clock: any WallClock = SystemClock()) {
        self.keys = keys
        self.tokens = tokens
        self.issuer = issuer
        self.clock = clock
    }

    /// The token's facts, or nil when it is not a live Sesame access token.
    public func validate(_ token: String) async throws -> ValidAccessToken? {
        guard let checked = signedFacts(token), Double(checked.token.expiresAt) > clock.now().timeIntervalSince1970 else { return nil }
        guard try await !tokens.isAccessTokenRevoked(jti: checked.token.jti, familyID: checked.familyID) else { return nil }
        return checked.token
    }

    /// What the signature vouches for, from the cache while the signing key is still published.
    private func signedFacts(_ token: String) -> VerifiedTokenCache.Entry? {
        let keySet = keys.current
        if let cached = verified.entry(for: token), keySet.verificationKeys[cached.kid] != nil { return cached }
        guard let jwt = VerifiedJWT.verify(token, keys: keySet.verificationKeys),
            jwt.header["typ"]?.string == "at+jwt", jwt.string("iss") == issuer, let kid = jwt.header["kid"]?.string,
            let sub = jwt.string("sub"), let clientID = jwt.string("client_id"), let jti = jwt.string("jti"),
            let exp = jwt.number("exp"), let iat = jwt.number("iat")
        else { return nil }
        let entry = VerifiedTokenCache.Entry(
            token: ValidAccessToken(
                subject: sub, clientID: clientID, scope: Scope(jwt.string("scope")), jti: jti, issuedAt: Int(iat), expiresAt: Int(exp),
                audience: jwt.audiences
            ),
            familyID: jwt.string("gid"), kid: kid
        )
        verified.remember(entry, for: token)
        return entry
    }
}
