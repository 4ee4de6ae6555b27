import SesameModels

/// The userinfo response (OIDC Core §5.3): `sub` plus the claims the token's scopes release.
public struct UserInfoResponse: Encodable, Sendable {
    public let sub: String
    public let claims: UserClaims

    public init(user: User, scope: Scope, client: Client?) {
        sub = user.id
        claims = UserClaims(user: user, scope: scope, client: client)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimName.self)
        try container.encode(sub, forKey: .subject)
        try claims.encode(to: encoder)
    }
}
