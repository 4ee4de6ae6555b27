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
    let access: AccessClaims

    enum CodingKeys: String, CodingKey { case iss, sub, aud, exp, iat, jti, client_id, scope, auth_time, sid, gid }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(sub, forKey: .sub)
        try container.encode(aud, forKey: .aud)
        try container.encode(exp, forKey: .exp)
        try container.encode(iat, forKey: .iat)
        try container.encode(jti, forKey: .jti)
        try container.encode(client_id, forKey: .client_id)
        try container.encode(scope, forKey: .scope)
        try container.encodeIfPresent(auth_time, forKey: .auth_time)
        try container.encodeIfPresent(sid, forKey: .sid)
        try container.encodeIfPresent(gid, forKey: .gid)
        try access.encode(to: encoder)
    }
}

/// The claims about a person that scopes release (OIDC Core §5.4), plus `roles` and `groups`.
public struct UserClaims: Encodable, Sendable {
    public var name: String?
    public var preferred_username: String?
    public var email: String?
    public var email_verified: Bool?
    public var roles: [String]?
    public var groups: [String]?
    public var permissions: [String]?

    /// `client` decides which access claims it may see and which app roles are its own.
    public init(user: User, scope: Scope, client: Client?) {
        if scope.contains("profile") {
            name = user.name ?? user.username
            preferred_username = user.username
        }
        if scope.contains("email"), let email = user.email {
            self.email = email
            // Sesame does not verify addresses yet; saying so keeps relying parties honest.
            email_verified = false
        }
        let claims = AccessClaims(user: user, scope: scope, client: client)
        roles = claims.roles
        groups = claims.groups
        permissions = claims.permissions
    }
}

/// The access claims (`roles`, `groups`, `permissions`) a token for `client` carries: each one the
/// client's settings allow and the scope asks for, as the client's application sees them.
public struct AccessClaims: Encodable, Sendable {
    public var roles: [String]?
    public var groups: [String]?
    public var permissions: [String]?

    public init(user: User?, scope: Scope, client: Client?) {
        guard let user else { return }
        let allowed = client?.accessClaims ?? Client.allAccessClaims
        let access = user.access(for: client?.name)
        if scope.contains("roles"), allowed.contains("roles") { roles = access.roles }
        if scope.contains("groups"), allowed.contains("groups") { groups = access.groups }
        if scope.contains("permissions"), allowed.contains("permissions") { permissions = access.permissions }
    }
}
