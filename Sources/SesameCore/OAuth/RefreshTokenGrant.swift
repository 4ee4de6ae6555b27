import Crypto
import Foundation
import SesameJOSE

/// `grant_type=refresh_token` with rotation: every use returns a new refresh token, and a used
/// one presented again revokes its whole family (RFC 9700 §4.14.2) — unless a grace period is
/// set and the repeat comes within it (a client retrying after a lost response): then it gets
/// the same successor, so concurrent retries cannot fork the grant into several live chains.
public struct RefreshTokenGrant: TokenGrant {
    public let grantType = GrantType.refreshToken
    private let tokens: any TokenStore
    private let users: any UserStore
    private let issuer: TokenIssuer
    private let clock: any WallClock
    private let gracePeriod: TimeInterval
    /// Derives a token's successor (HMAC of the presented token). Only digests are stored, so
    /// this is how a retry is handed the very token the first request got; every instance of a
    /// cluster must use the same key.
    private let successorKey: SymmetricKey

    public init(
        tokens: any TokenStore, users: any UserStore, issuer: TokenIssuer, gracePeriod: TimeInterval = 0,
        successorKey: SymmetricKey, clock: any WallClock = SystemClock()
    ) {
        self.gracePeriod = gracePeriod
        self.successorKey = successorKey
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
        // A refused request (a wider scope, say) must leave the token usable, so everything that
        // can refuse runs before it is consumed; a replay outside the grace period goes straight
        // on to revocation.
        var scope = Scope(known.scope)
        var user: User?
        if known.usedAt.map({ withinGrace($0, now: now) }) ?? true {
            guard known.expiresAt > now else { throw OAuthError.invalidGrant("the refresh token has expired") }
            scope = try narrowed(scope, asked: request["scope"])
            user = try await activeUser(known.userID, client: client)
        }
        let successor = Self.successor(of: presented, key: successorKey)
        var context = TokenGrantContext(
            user: user, scope: scope, familyID: known.familyID, authTime: known.authTime, sessionID: known.sessionID,
            authMethods: known.authMethods, includeRefreshToken: true
        )
        context.presetRefreshToken = successor
        // Consuming the token and storing its successor are one transaction: one commit.
        let stored = issuer.refreshRecord(successor, client: client, userID: known.userID, familyID: known.familyID, context, now: now)
        switch try await tokens.rotateRefreshToken(digest: digest, at: now, successor: stored) {
        case .notFound:
            throw OAuthError.invalidGrant("the refresh token is invalid")
        case .familyRevoked:
            throw OAuthError.invalidGrant("the refresh token was revoked")
        case .alreadyUsed(let used):
            guard let usedAt = used.usedAt, withinGrace(usedAt, now: now), user != nil, try await !tokens.isFamilyRevoked(used.familyID) else {
                try await tokens.revokeFamily(used.familyID, at: now)
                throw OAuthError.invalidGrant("the refresh token was already used", detail: "refresh token reuse; family \(used.familyID) revoked", reason: .replayRevokedGrant)
            }
            // A retry within the grace period: the same successor, stored again in case the first
            // answer's instance died before it could.
        case .rotated:
            context.refreshTokenStored = true
        }
        guard user != nil else { throw OAuthError.invalidGrant("the refresh token was revoked") }
        return try await issuer.issue(to: client, context)
    }

    private func withinGrace(_ usedAt: Date, now: Date) -> Bool {
        gracePeriod > 0 && now.timeIntervalSince(usedAt) <= gracePeriod
    }

    private func narrowed(_ scope: Scope, asked: String?) throws -> Scope {
        guard let asked else { return scope }
        let narrower = Scope(asked)
        guard narrower.isSubset(of: scope.values) else { throw OAuthError.invalidScope("a refresh cannot widen the scope") }
        return narrower
    }

    private func activeUser(_ id: String, client: Client) async throws -> User {
        guard let user = try await users.user(id: id), !user.disabled else {
            throw OAuthError.invalidGrant("the user is no longer active")
        }
        guard user.meets(requiredRoles: client.requiredRoles, requiredGroups: client.requiredGroups) else {
            throw OAuthError.invalidGrant("the user no longer has a role or group this client requires")
        }
        return user
    }

    static func successor(of token: String, key: SymmetricKey) -> String {
        Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: Array("refresh-successor:\(token)".utf8), using: key)))
    }
}
