/// The claims Sesame puts in its JWTs. Optional members are left out when nil.
struct IDTokenClaims: Encodable {
    let iss: String
    let sub: String
    let aud: String
    let exp: Int
    let iat: Int
    let auth_time: Int?
    let nonce: String?
    let at_hash: String?
    let acr: String?
    let amr: [String]?
    let azp: String
    let sid: String?
    let profile: UserClaims

    enum CodingKeys: String, CodingKey { case iss, sub, aud, exp, iat, auth_time, nonce, at_hash, acr, amr, azp, sid }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(sub, forKey: .sub)
        try container.encode(aud, forKey: .aud)
        try container.encode(exp, forKey: .exp)
        try container.encode(iat, forKey: .iat)
        try container.encodeIfPresent(auth_time, forKey: .auth_time)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encodeIfPresent(at_hash, forKey: .at_hash)
        try container.encodeIfPresent(acr, forKey: .acr)
        try container.encodeIfPresent(amr, forKey: .amr)
        try container.encode(azp, forKey: .azp)
        try container.encodeIfPresent(sid, forKey: .sid)
        try profile.encode(to: encoder)
    }
}

/// RFC 9068 JWT access token claims.
struct AccessTokenClaims: Encodable {
    let iss: String
    let sub: String
    let aud: String
    let exp: Int
    let iat: Int
    let jti: String
    let client_id: String
    let scope: String
    let auth_time: Int?
    let sid: String?
    /// The grant (family) the token came from, so revoking a family reaches its access tokens
    /// without a database write for every token issued.
    let gid: String?
    let roles: [String]?
    let groups: [String]?
}

/// The claims about a person that scopes release (OIDC Core §5.4), plus `roles` and `groups`.
public struct UserClaims: Encodable, Sendable {
    public var name: String?
    public var preferred_username: String?
    public var email: String?
    public var email_verified: Bool?
    public var roles: [String]?
    public var groups: [String]?

    public init(user: User, scope: Scope) {
        if scope.contains("profile") {
            name = user.name ?? user.username
            preferred_username = user.username
        }
        if scope.contains("email"), let email = user.email {
            self.email = email
            // Sesame does not verify addresses yet; saying so keeps relying parties honest.
            email_verified = false
        }
        if scope.contains("roles") { roles = user.roles }
        if scope.contains("groups") { groups = user.groups }
    }
}
