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

    public init(keys: KeySetHolder, tokens: any TokenStore, issuer: String, clock: any WallClock = SystemClock()) {
        self.keys = keys
        self.tokens = tokens
        self.issuer = issuer
        self.clock = clock
    }

    /// The token's facts, or nil when it is not a live Sesame access token.
    public func validate(_ token: String) async throws -> ValidAccessToken? {
        guard let jwt = VerifiedJWT.verify(token, keys: keys.current.verificationKeys),
            jwt.header["typ"]?.string == "at+jwt", jwt.string("iss") == issuer,
            let sub = jwt.string("sub"), let clientID = jwt.string("client_id"), let jti = jwt.string("jti"),
            let exp = jwt.number("exp"), let iat = jwt.number("iat"), exp > clock.now().timeIntervalSince1970
        else { return nil }
        guard try await !tokens.isAccessTokenRevoked(jti: jti, familyID: jwt.string("gid")) else { return nil }
        return ValidAccessToken(
            subject: sub, clientID: clientID, scope: Scope(jwt.string("scope")), jti: jti, issuedAt: Int(iat), expiresAt: Int(exp),
            audience: jwt.audiences
        )
    }
}
