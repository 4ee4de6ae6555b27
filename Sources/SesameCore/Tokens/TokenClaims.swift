import SesameModels

/// The claims Sesame puts in its JWTs, named by `ClaimName`. Optional members are left out when nil.
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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimName.self)
        try container.encode(iss, forKey: .issuer)
        try container.encode(sub, forKey: .subject)
        try container.encode(aud, forKey: .audience)
        try container.encode(exp, forKey: .expiresAt)
        try container.encode(iat, forKey: .issuedAt)
        try container.encodeIfPresent(auth_time, forKey: .authTime)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encodeIfPresent(at_hash, forKey: .accessTokenHash)
        try container.encodeIfPresent(acr, forKey: .assuranceLevel)
        try container.encodeIfPresent(amr, forKey: .authenticationMethods)
        try container.encode(azp, forKey: .authorizedParty)
        try container.encodeIfPresent(sid, forKey: .sessionID)
        try profile.encode(to: encoder)
    }

    /// The same claims as `encode(to:)`, written without an encoder (the token paths' cost).
    var json: [UInt8] {
        var writer = JSONObjectWriter(capacity: 512)
        writer.add(.issuer, iss)
        writer.add(.subject, sub)
        writer.add(.audience, aud)
        writer.add(.expiresAt, exp)
        writer.add(.issuedAt, iat)
        writer.add(.authTime, auth_time)
        writer.add(.nonce, nonce)
        writer.add(.accessTokenHash, at_hash)
        writer.add(.assuranceLevel, acr)
        writer.add(.authenticationMethods, amr)
        writer.add(.authorizedParty, azp)
        writer.add(.sessionID, sid)
        profile.write(into: &writer)
        return writer.json
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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimName.self)
        try container.encode(iss, forKey: .issuer)
        try container.encode(sub, forKey: .subject)
        try container.encode(aud, forKey: .audience)
        try container.encode(exp, forKey: .expiresAt)
        try container.encode(iat, forKey: .issuedAt)
        try container.encode(jti, forKey: .tokenID)
        try container.encode(client_id, forKey: .clientID)
        try container.encode(scope, forKey: .scope)
        try container.encodeIfPresent(auth_time, forKey: .authTime)
        try container.encodeIfPresent(sid, forKey: .sessionID)
        try container.encodeIfPresent(gid, forKey: .grantID)
        try access.encode(to: encoder)
    }

    /// The same claims as `encode(to:)`, written without an encoder (the token paths' cost).
    var json: [UInt8] {
        var writer = JSONObjectWriter(capacity: 512)
        writer.add(.issuer, iss)
        writer.add(.subject, sub)
        writer.add(.audience, aud)
        writer.add(.expiresAt, exp)
        writer.add(.issuedAt, iat)
        writer.add(.tokenID, jti)
        writer.add(.clientID, client_id)
        writer.add(.scope, scope)
        writer.add(.authTime, auth_time)
        writer.add(.sessionID, sid)
        writer.add(.grantID, gid)
        access.write(into: &writer)
        return writer.json
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimName.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(preferred_username, forKey: .preferredUsername)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encodeIfPresent(email_verified, forKey: .emailVerified)
        try container.encodeIfPresent(roles, forKey: .roles)
        try container.encodeIfPresent(groups, forKey: .groups)
        try container.encodeIfPresent(permissions, forKey: .permissions)
    }

    func write(into writer: inout JSONObjectWriter) {
        writer.add(.name, name)
        writer.add(.preferredUsername, preferred_username)
        writer.add(.email, email)
        writer.add(.emailVerified, email_verified)
        writer.add(.roles, roles)
        writer.add(.groups, groups)
        writer.add(.permissions, permissions)
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimName.self)
        try container.encodeIfPresent(roles, forKey: .roles)
        try container.encodeIfPresent(groups, forKey: .groups)
        try container.encodeIfPresent(permissions, forKey: .permissions)
    }

    func write(into writer: inout JSONObjectWriter) {
        writer.add(.roles, roles)
        writer.add(.groups, groups)
        writer.add(.permissions, permissions)
    }
}
