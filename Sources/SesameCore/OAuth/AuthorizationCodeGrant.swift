
/// `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6).
public struct AuthorizationCodeGrant: TokenGrant {
    public let grantType = GrantType.authorizationCode
    private let codes: any AuthorizationCodeStore
    private let tokens: any TokenStore
    private let users: any UserStore
    private let issuer: TokenIssuer
    private let clock: any WallClock

    public init(codes: any AuthorizationCodeStore, tokens: any TokenStore, users: any UserStore, issuer: TokenIssuer, clock: any WallClock = SystemClock()) {
        self.codes = codes
        self.tokens = tokens
        self.users = users
        self.issuer = issuer
        self.clock = clock
    }

    public func handle(_ request: TokenRequest, client: Client) async throws -> IssuedTokens {
        guard let code = request["code"] else { throw OAuthError.invalidRequest("code is required") }
        let now = clock.now()
        let record: AuthorizationCodeRecord
        switch try await codes.consumeCode(digest: TokenDigest.of(code), at: now) {
        case .notFound:
            throw OAuthError.invalidGrant("the authorization code is invalid")
        case .alreadyUsed(let used):
            // A replayed code means it leaked: end everything issued from it (RFC 6749 §4.1.2).
            try await tokens.revokeFamily(used.familyID, at: now)
            throw OAuthError.invalidGrant("the authorization code was already used", detail: "code replay; family \(used.familyID) revoked", reason: .replayRevokedGrant)
        case .consumed(let consumed):
            record = consumed
        }
        guard record.clientID == client.id else { throw OAuthError.invalidGrant("the authorization code was issued to another client") }
        guard record.expiresAt > now else { throw OAuthError.invalidGrant("the authorization code has expired") }
        if record.redirectURI.isEmpty {
            // The request named none: one may still be sent, but only the client's own.
            if let given = request["redirect_uri"], !client.redirectURIs.contains(given) {
                throw OAuthError.invalidGrant("redirect_uri does not match the authorization request")
            }
        } else if request["redirect_uri"] != record.redirectURI {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request")
        }
        switch (record.codeChallenge, request["code_verifier"]) {
        case (let challenge?, let verifier?):
            guard PKCE.verify(verifier: verifier, challenge: challenge) else { throw OAuthError.invalidGrant("code_verifier does not match") }
        case (.some, nil):
            throw OAuthError.invalidGrant("code_verifier is required")
        case (nil, .some):
            // A verifier for a code issued without a challenge is a PKCE downgrade attempt.
            throw OAuthError.invalidGrant("no code_challenge was sent with the authorization request")
        case (nil, nil):
            guard !client.isPublic else { throw OAuthError.invalidGrant("public clients must use PKCE") }
        }
        guard let user = try await users.user(id: record.userID), !user.disabled else {
            throw OAuthError.invalidGrant("the user is no longer active")
        }
        let scope = Scope(record.scope)
        return try await issuer.issue(to: client, TokenGrantContext(
            user: user, scope: scope, familyID: record.familyID, nonce: record.nonce, authTime: record.authTime,
            sessionID: record.sessionID, authMethods: record.authMethods, includeRefreshToken: mayRefresh(client, scope: scope)
        ))
    }
}
