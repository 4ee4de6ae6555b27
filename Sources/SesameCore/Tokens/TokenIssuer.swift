import Foundation
// The answer is a wire type the app toolkit decodes too; callers of Core get it with Core.
@_exported import struct SesameModels.TokenResponse

/// What the token endpoint returns (RFC 6749 §5.1): the grants' name for the shared `TokenResponse`.
public typealias IssuedTokens = TokenResponse

/// Who a token speaks for, and about which sign-in.
public struct TokenGrantContext: Sendable {
    public var user: User?
    public var scope: Scope
    public var familyID: String?
    public var nonce: String?
    public var authTime: Date?
    public var sessionID: String?
    public var authMethods: [String]
    public var includeRefreshToken: Bool
    /// The refresh token to hand out when the grant chose it (a retry within the grace period
    /// gets its first answer's token again, stored again if need be).
    public var presetRefreshToken: String?
    /// The preset refresh token is stored already (the rotation stored it with the old one's use).
    public var refreshTokenStored = false

    public init(
        user: User?, scope: Scope, familyID: String?, nonce: String? = nil, authTime: Date? = nil, sessionID: String? = nil,
        authMethods: [String] = AMR.passwordOnly, includeRefreshToken: Bool
    ) {
        self.authMethods = authMethods
        self.user = user
        self.scope = scope
        self.familyID = familyID
        self.nonce = nonce
        self.authTime = authTime
        self.sessionID = sessionID
        self.includeRefreshToken = includeRefreshToken
    }
}

/// Makes and signs tokens; the grants decide whether to. Access and ID tokens are JWTs; refresh
/// tokens are opaque, and only their digest is stored.
public struct TokenIssuer: Sendable {
    let settings: TokenSettings
    let keys: KeySetHolder
    let tokens: any TokenStore
    let clock: any WallClock
    let random: any RandomSource

    public init(settings: TokenSettings, keys: KeySetHolder, tokens: any TokenStore, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.settings = settings
        self.keys = keys
        self.tokens = tokens
        self.clock = clock
        self.random = random
    }

    public func issue(to client: Client, _ context: TokenGrantContext) async throws -> IssuedTokens {
        let keySet = keys.current
        guard let accessSigner = keySet.signer(for: .es256) else { throw OAuthError.serverError(detail: "no signing key loaded") }
        guard let idSigner = keySet.signer(for: client.idTokenSignedResponseAlg) else {
            // Refused rather than signed with another key: the client would reject it, or worse, trust an algorithm it did not ask for.
            throw OAuthError.unauthorizedClient(
                "this client's ID tokens must be signed with \(SigningAlgorithm(rawValue: client.idTokenSignedResponseAlg)?.rawValue ?? "an unknown algorithm"), and this server has no such key"
            )
        }
        let now = clock.now()
        let iat = Int(now.timeIntervalSince1970)
        let subject = context.user?.id ?? client.id
        let jti = random.token(byteCount: 16)
        let accessClaims = AccessTokenClaims(
            iss: settings.issuer, sub: subject, aud: client.id, exp: iat + Int(settings.accessTokenLifetime), iat: iat, jti: jti,
            client_id: client.id, scope: context.scope.description, auth_time: context.authTime.map { Int($0.timeIntervalSince1970) },
            sid: context.sessionID, gid: context.familyID,
            access: AccessClaims(user: context.user, scope: context.scope, client: client)
        )
        let accessToken = try accessSigner.sign(payload: accessClaims.json, type: "at+jwt")

        var idToken: String?
        if let user = context.user, context.scope.contains("openid") {
            let claims = IDTokenClaims(
                iss: settings.issuer, sub: user.id, aud: client.id, exp: iat + Int(settings.idTokenLifetime), iat: iat,
                auth_time: context.authTime.map { Int($0.timeIntervalSince1970) }, nonce: context.nonce,
                at_hash: JWTSigningKey.leftHalfHash(accessToken), acr: AssuranceLevel(methods: context.authMethods).rawValue,
                amr: context.authMethods, azp: client.id, sid: context.sessionID,
                profile: UserClaims(user: user, scope: context.scope, client: client)
            )
            idToken = try idSigner.sign(payload: claims.json, type: "JWT")
        }

        var refreshToken: String?
        if context.includeRefreshToken, let user = context.user, let familyID = context.familyID {
            let token = context.presetRefreshToken ?? random.token(byteCount: 32)
            if !(context.refreshTokenStored && context.presetRefreshToken != nil) {
                try await tokens.insert(refreshRecord(token, client: client, userID: user.id, familyID: familyID, context, now: now))
            }
            refreshToken = token
        }
        return IssuedTokens(
            access_token: accessToken, token_type: "Bearer", expires_in: Int(settings.accessTokenLifetime),
            scope: context.scope.description, id_token: idToken, refresh_token: refreshToken
        )
    }

    /// The stored form of refresh token `token` for this grant: issued now, living
    /// `refreshTokenLifetime`.
    public func refreshRecord(_ token: String, client: Client, userID: String, familyID: String, _ context: TokenGrantContext, now: Date) -> RefreshTokenRecord {
        RefreshTokenRecord(
            digest: TokenDigest.of(token), familyID: familyID, clientID: client.id, userID: userID,
            scope: context.scope.description, sessionID: context.sessionID, authTime: context.authTime ?? now,
            authMethods: context.authMethods, createdAt: now, expiresAt: now.addingTimeInterval(settings.refreshTokenLifetime)
        )
    }
}
