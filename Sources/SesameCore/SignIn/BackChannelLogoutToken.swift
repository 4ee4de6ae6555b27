import Foundation

/// Makes OpenID Connect Back-Channel Logout 1.0 logout tokens (§2.4): JWTs signed with the keys
/// that sign ID tokens (`typ` `logout+jwt`, §2.4), naming the session (`sid`) and the person
/// (`sub`), with the back-channel `events` claim and never a `nonce`, so none can pass for an ID token.
public struct BackChannelLogoutToken: Sendable {
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
    /// Short: the token is sent at once, and a copy found later should be worth nothing.
    public static let lifetime: TimeInterval = 120

    let issuer: String
    let keys: KeySetHolder
    let clock: any WallClock
    let random: any RandomSource

    public init(issuer: String, keys: KeySetHolder, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.issuer = issuer
        self.keys = keys
        self.clock = clock
        self.random = random
    }

    /// The logout token for `client` about the ended `session`, signed with the client's ID-token algorithm.
    public func make(for client: Client, session: EndedSession) throws -> String {
        guard let signer = keys.current.signer(for: client.idTokenSignedResponseAlg) else {
            throw OAuthError.serverError(detail: "no signing key loaded")
        }
        let iat = Int(clock.now().timeIntervalSince1970)
        let claims = LogoutTokenClaims(
            iss: issuer, sub: session.userID, aud: client.id, iat: iat, exp: iat + Int(Self.lifetime), jti: random.token(byteCount: 16),
            sid: session.sid, events: [Self.event: EmptyObject()]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try signer.sign(payload: Array(try encoder.encode(claims)), type: "logout+jwt")
    }
}

/// The claims of a logout token (§2.4); there is no `nonce` member to fill.
struct LogoutTokenClaims: Encodable {
    let iss: String
    let sub: String
    let aud: String
    let iat: Int
    let exp: Int
    let jti: String
    let sid: String
    let events: [String: EmptyObject]
}

/// `{}`, the value of the back-channel logout event.
struct EmptyObject: Encodable {
    func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: EmptyKey.self) }
    private enum EmptyKey: CodingKey {}
}
