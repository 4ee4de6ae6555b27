import Foundation

/// `grant_type=refresh_token` with rotation: every use returns a new refresh token, and a used
/// one presented again revokes its whole family (RFC 9700 §4.14.2) — unless a grace period is
/// set and the repeat comes within it (a client retrying after a lost response).
public struct RefreshTokenGrant: TokenGrant {
    public let grantType = GrantType.refreshToken
    private let tokens: any TokenStore
    private let users: any UserStore
    private let issuer: TokenIssuer
    private let clock: any WallClock
    private let gracePeriod: TimeInterval

    public init(tokens: any TokenStore, users: any UserStore, issuer: TokenIssuer, gracePeriod: TimeInterval = 0, clock: any WallClock = SystemClock()) {
        self.gracePeriod = gracePeriod
        self.tokens = tokens
        self.users = users
        self.issuer = issuer
        self.clock = clock
    }

    public func handle(_ request: TokenRequest, client: Client) async throws -> IssuedTokens {
        guard let presented = request["refresh_token"] else { throw OAuthError.invalidRequest("refresh_token is required") }
        let digest = TokenDigest.of(presented)
        let now = clock.now()
        // Checked before consuming, so another client cannot burn a token it does not own.
        guard let known = try await tokens.refreshToken(digest: digest), known.clientID == client.id else {
            throw OAuthError.invalidGrant("the refresh token is invalid")
        }
        let record: RefreshTokenRecord
        switch try await tokens.consumeRefreshToken(digest: digest, at: now) {
        case .notFound:
            throw OAuthError.invalidGrant("the refresh token is invalid")
        case .alreadyUsed(let used):
            if gracePeriod > 0, let usedAt = used.usedAt, now.timeIntervalSince(usedAt) <= gracePeriod,
                try await !tokens.isFamilyRevoked(used.familyID)
            {
                record = used
            } else {
                try await tokens.revokeFamily(used.familyID, at: now)
                throw OAuthError.invalidGrant("the refresh token was already used", detail: "refresh token reuse; family \(used.familyID) revoked")
            }
        case .consumed(let consumed):
            record = consumed
        }
        guard record.expiresAt > now else { throw OAuthError.invalidGrant("the refresh token has expired") }
        guard try await !tokens.isFamilyRevoked(record.familyID) else { throw OAuthError.invalidGrant("the refresh token was revoked") }
        var scope = Scope(record.scope)
        if let asked = request["scope"] {
            let narrower = Scope(asked)
            guard narrower.isSubset(of: scope.values) else { throw OAuthError.invalidScope("a refresh cannot widen the scope") }
            scope = narrower
        }
        guard let user = try await users.user(id: record.userID), !user.disabled else {
            throw OAuthError.invalidGrant("the user is no longer active")
        }
        guard user.meets(requiredRoles: client.requiredRoles, requiredGroups: client.requiredGroups) else {
            throw OAuthError.invalidGrant("the user no longer has a role or group this client requires")
        }
        return try await issuer.issue(to: client, TokenGrantContext(
            user: user, scope: scope, familyID: record.familyID, authTime: record.authTime, sessionID: record.sessionID,
            authMethods: record.authMethods, includeRefreshToken: true
        ))
    }
}
