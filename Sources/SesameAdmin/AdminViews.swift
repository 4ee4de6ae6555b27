import Foundation
import SesameCore

/// What the admin API returns: snake_case members, dates in RFC 3339, no secrets or hashes.
struct UserView: Encodable {
    let id: String, username: String, email: String?, name: String?, disabled: Bool
    let groups: [String], roles: [String], effective_roles: [String], two_factor: Bool
    let created_at: String, updated_at: String

    init(_ user: User, twoFactor: Bool) {
        id = user.id
        username = user.username
        email = user.email
        name = user.name
        disabled = user.disabled
        groups = user.groups
        roles = user.roles
        effective_roles = user.effectiveRoles
        two_factor = twoFactor
        created_at = Timestamp.string(user.createdAt)
        updated_at = Timestamp.string(user.updatedAt)
    }

    enum CodingKeys: String, CodingKey { case id, username, email, name, disabled, groups, roles, effective_roles, two_factor, created_at, updated_at }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(username, forKey: .username)
        try c.encode(email, forKey: .email)  // null rather than absent, as the schema says
        try c.encode(name, forKey: .name)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(groups, forKey: .groups)
        try c.encode(roles, forKey: .roles)
        try c.encode(effective_roles, forKey: .effective_roles)
        try c.encode(two_factor, forKey: .two_factor)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(updated_at, forKey: .updated_at)
    }
}

struct SessionView: Encodable {
    let id: String, created_at: String, last_seen_at: String, authenticated_at: String, auth_methods: [String]

    init(_ session: SessionRecord) {
        id = session.idDigest
        created_at = Timestamp.string(session.createdAt)
        last_seen_at = Timestamp.string(session.lastSeenAt)
        authenticated_at = Timestamp.string(session.authenticatedAt)
        auth_methods = session.authMethods
    }
}

struct RoleView: Encodable {
    let name: String, app: String?, description: String?, permissions: [String], created_at: String

    init(_ role: Role) {
        name = role.name
        app = role.app
        description = role.description
        permissions = role.permissions
        created_at = Timestamp.string(role.createdAt)
    }

    enum CodingKeys: String, CodingKey { case name, app, description, permissions, created_at }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(app, forKey: .app)
        try c.encode(description, forKey: .description)
        try c.encode(permissions, forKey: .permissions)
        try c.encode(created_at, forKey: .created_at)
    }
}

struct GroupView: Encodable {
    let name: String, description: String?, roles: [String], members: [String], created_at: String

    init(_ group: Group) {
        name = group.name
        description = group.description
        roles = group.roles
        members = group.members
        created_at = Timestamp.string(group.createdAt)
    }

    enum CodingKeys: String, CodingKey { case name, description, roles, members, created_at }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(roles, forKey: .roles)
        try c.encode(members, forKey: .members)
        try c.encode(created_at, forKey: .created_at)
    }
}

struct ClientView: Encodable {
    let client_id: String, name: String, redirect_uris: [String], post_logout_redirect_uris: [String], grant_types: [String]
    let scopes: [String], token_endpoint_auth_method: String, first_party: Bool, require_two_factor: Bool
    let required_roles: [String], required_groups: [String], claims: [String], created_at: String
    let client_secret: String?
    let showSecret: Bool

    init(_ c: Client, secret: String? = nil, showSecret: Bool = false) {
        client_id = c.id
        name = c.name
        redirect_uris = c.redirectURIs
        post_logout_redirect_uris = c.postLogoutRedirectURIs
        grant_types = c.grantTypes.map(\.rawValue)
        scopes = c.scopes
        token_endpoint_auth_method = c.tokenEndpointAuthMethod.rawValue
        first_party = c.firstParty
        require_two_factor = c.requireTwoFactor
        required_roles = c.requiredRoles
        required_groups = c.requiredGroups
        claims = c.accessClaims
        created_at = Timestamp.string(c.createdAt)
        client_secret = secret
        self.showSecret = showSecret
    }

    enum CodingKeys: String, CodingKey {
        case client_id, name, redirect_uris, post_logout_redirect_uris, grant_types, scopes, token_endpoint_auth_method, first_party
        case require_two_factor, required_roles, required_groups, claims, created_at, client_secret
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(client_id, forKey: .client_id)
        try c.encode(name, forKey: .name)
        try c.encode(redirect_uris, forKey: .redirect_uris)
        try c.encode(post_logout_redirect_uris, forKey: .post_logout_redirect_uris)
        try c.encode(grant_types, forKey: .grant_types)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(token_endpoint_auth_method, forKey: .token_endpoint_auth_method)
        try c.encode(first_party, forKey: .first_party)
        try c.encode(require_two_factor, forKey: .require_two_factor)
        try c.encode(required_roles, forKey: .required_roles)
        try c.encode(required_groups, forKey: .required_groups)
        try c.encode(claims, forKey: .claims)
        try c.encode(created_at, forKey: .created_at)
        if showSecret { try c.encode(client_secret, forKey: .client_secret) }
    }
}

struct CASServiceView: Encodable {
    let id: String, name: String, pattern: String, attributes: [String], require_two_factor: Bool
    let required_roles: [String], required_groups: [String], created_at: String

    init(_ s: CASService) {
        id = s.id
        name = s.name
        pattern = s.pattern
        attributes = s.releasedAttributes
        require_two_factor = s.requireTwoFactor
        required_roles = s.requiredRoles
        required_groups = s.requiredGroups
        created_at = Timestamp.string(s.createdAt)
    }
}

struct SigningKeyView: Encodable {
    let kid: String, algorithm: String, created_at: String, superseded_at: String?, current: Bool

    init(_ key: StoredSigningKey) {
        kid = key.kid
        algorithm = key.algorithm
        created_at = Timestamp.string(key.createdAt)
        superseded_at = key.supersededAt.map(Timestamp.string)
        current = key.supersededAt == nil
    }

    enum CodingKeys: String, CodingKey { case kid, algorithm, created_at, superseded_at, current }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kid, forKey: .kid)
        try c.encode(algorithm, forKey: .algorithm)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(superseded_at, forKey: .superseded_at)
        try c.encode(current, forKey: .current)
    }
}

struct AuditEventView: Encodable {
    let id: Int, type: String, at: String, actor: String?, subject: String?, client_id: String?, client_address: String?
    let detail: String?, hash: String, prev_hash: String

    init(_ stored: ChainedAuditEvent) {
        id = stored.id
        type = stored.event.type
        at = Timestamp.string(stored.event.at)
        actor = stored.event.actor
        subject = stored.event.subject
        client_id = stored.event.clientID
        client_address = stored.event.clientAddress
        detail = stored.event.detail
        hash = stored.hash
        prev_hash = stored.previousHash
    }

    enum CodingKeys: String, CodingKey { case id, type, at, actor, subject, client_id, client_address, detail, hash, prev_hash }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(at, forKey: .at)
        try c.encode(actor, forKey: .actor)
        try c.encode(subject, forKey: .subject)
        try c.encode(client_id, forKey: .client_id)
        try c.encode(client_address, forKey: .client_address)
        try c.encode(detail, forKey: .detail)
        try c.encode(hash, forKey: .hash)
        try c.encode(prev_hash, forKey: .prev_hash)
    }
}

struct Items<T: Encodable>: Encodable {
    let items: [T]
}

struct AuditPage: Encodable {
    let items: [AuditEventView]
    let next_cursor: String?

    enum CodingKeys: String, CodingKey { case items, next_cursor }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(next_cursor, forKey: .next_cursor)
    }
}

enum Timestamp {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
