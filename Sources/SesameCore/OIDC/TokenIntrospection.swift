import Foundation
// Its answer is a wire type the app toolkit decodes too; callers of Core get it with Core.
@_exported import struct SesameModels.IntrospectionResponse

/// RFC 7662 introspection and RFC 7009 revocation, for access and refresh tokens.
public struct TokenIntrospection: Sendable {
    private let validator: AccessTokenValidator
    private let tokens: any TokenStore
    private let users: any UserStore
    private let issuer: String
    private let clock: any WallClock

    public init(validator: AccessTokenValidator, tokens: any TokenStore, users: any UserStore, issuer: String, clock: any WallClock = SystemClock()) {
        self.validator = validator
        self.tokens = tokens
        self.users = users
        self.issuer = issuer
        self.clock = clock
    }

    /// The introspection response. Access tokens are described to clients registered as resource
    /// servers and to the client they were issued to (their audience); refresh tokens only to the
    /// client that holds them. Anyone else learns `active: false` (RFC 7662 §2.2), not the user.
    public func introspect(_ token: String, by caller: Client) async throws -> IntrospectionResponse {
        if let access = try await validator.validate(token), caller.resourceServer || access.audience.contains(caller.id) {
            // A client's own token (client_credentials) speaks for no person: its subject is the client.
            let username = access.subject == access.clientID ? nil : try await users.user(id: access.subject)?.username
            return IntrospectionResponse(
                active: true, scope: access.scope.description, client_id: access.clientID, username: username,
                token_type: "Bearer", exp: access.expiresAt, iat: access.issuedAt, sub: access.subject,
                aud: access.audience.first, iss: issuer, jti: access.jti
            )
        }
        if let refresh = try await liveRefreshToken(token), refresh.clientID == caller.id {
            return IntrospectionResponse(
                active: true, scope: refresh.scope, client_id: refresh.clientID, username: try await users.user(id: refresh.userID)?.username,
                token_type: "refresh_token", exp: Int(refresh.expiresAt.timeIntervalSince1970),
                iat: Int(refresh.createdAt.timeIntervalSince1970), sub: refresh.userID, aud: nil, iss: issuer, jti: nil
            )
        }
        return .inactive
    }

    /// Revokes a token the caller holds. Unknown and dead tokens are answered as revoked
    /// (RFC 7009 §2.2); another client's token is refused with `unauthorized_client` (§2.1), and
    /// left alone.
    public func revoke(_ token: String, by caller: Client) async throws {
        let now = clock.now()
        if let refresh = try await tokens.refreshToken(digest: TokenDigest.of(token)) {
            guard refresh.clientID == caller.id else { throw Self.notYours }
            try await tokens.revokeFamily(refresh.familyID, at: now)
            return
        }
        if let access = try await validator.validate(token) {
            guard access.clientID == caller.id else { throw Self.notYours }
            try await tokens.revokeAccessToken(jti: access.jti, expiresAt: Date(timeIntervalSince1970: Double(access.expiresAt)), at: now)
        }
    }

    static let notYours = OAuthError.unauthorizedClient("the token was issued to another client")

    private func liveRefreshToken(_ token: String) async throws -> RefreshTokenRecord? {
        let digest = TokenDigest.of(token)
        guard let record = try await tokens.refreshToken(digest: digest), record.expiresAt > clock.now(),
            try await !tokens.isFamilyRevoked(record.familyID), try await !tokens.isRefreshTokenUsed(digest: digest)
        else { return nil }
        return record
    }
}
