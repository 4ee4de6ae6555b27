import Foundation
import SesameCore

/// What the admin API returns: snake_case members, dates in RFC 3339, no secrets or hashes.
/// A user as the admin API and `sesame user ... --json` show it: the password hash's scheme, never
/// the hash.
package struct UserView: Encodable {
    let id: String, username: String
    @Nullable var email: String?
    @Nullable var name: String?
    let disabled: Bool
    let groups: [String], roles: [String], effective_roles: [String], two_factor: Bool
    /// null for a person without a local password (signed in by another authenticator).
    @Nullable var password_scheme: String?
    let created_at: String, updated_at: String

    package init(_ user: User, twoFactor: Bool) {
        id = user.id
        username = user.username
        email = user.email
        name = user.name
        disabled = user.disabled
        groups = user.groups
        roles = user.roles
        effective_roles = user.effectiveRoles
        two_factor = twoFactor
        password_scheme = user.passwordHash.map { PasswordScheme(hash: $0)?.rawValue ?? "unknown" }
        created_at = Timestamp.string(user.createdAt)
        updated_at = Timestamp.string(user.updatedAt)
    }

    /// Views of `users`, each with whether it has two-step verification on.
    package static func of(_ users: [User], twoFactor: any TwoFactorStore) async throws -> [UserView] {
        var views = [UserView]()
        for user in users { views.append(UserView(user, twoFactor: try await twoFactor.twoFactor(userID: user.id)?.isEnabled ?? false)) }
        return views
    }


}

/// A session as the admin API and `sesame user sessions --json` show it; `id` names it for revoking.
package struct SessionView: Encodable, Sendable {
    let id: String, created_at: String, last_seen_at: String, authenticated_at: String, auth_methods: [String]

    package init(_ session: SessionRecord) {
        id = session.idDigest
        created_at = Timestamp.string(session.createdAt)
        last_seen_at = Timestamp.string(session.lastSeenAt)
        authenticated_at = Timestamp.string(session.authenticatedAt)
        auth_methods = session.authMethods
    }
}

/// A role as the admin API and `sesame role show --json` show it.
package struct RoleView: Encodable {
    let name: String
    @Nullable var app: String?
    @Nullable var description: String?
    let permissions: [String], created_at: String

    package init(_ role: Role) {
        name = role.name
        app = role.app
        description = role.description
        permissions = role.permissions
        created_at = Timestamp.string(role.createdAt)
    }


}

/// A group as the admin API and `sesame group show --json` show it.
package struct GroupView: Encodable {
    let name: String
    @Nullable var description: String?
    let roles: [String], members: [String], created_at: String

    package init(_ group: Group) {
        name = group.name
        description = group.description
        roles = group.roles
        members = group.members
        created_at = Timestamp.string(group.createdAt)
    }


}

/// A client as the admin API and `sesame client ... --json` show it: never the secret's digest.
package struct ClientView: Encodable {
    let client_id: String, name: String
    @Nullable var display_name: String?
    let redirect_uris: [String], post_logout_redirect_uris: [String], grant_types: [String]
    let scopes: [String], token_endpoint_auth_method: String
    @Nullable var jwks_uri: String?
    let first_party: Bool, id_token_signed_response_alg: String, require_two_factor: Bool, resource_server: Bool
    let required_roles: [String], required_groups: [String], claims: [String]
    @Nullable var frontchannel_logout_uri: String?
    @Nullable var backchannel_logout_uri: String?
    let created_at: String
    /// Only in the answer that creates the client: absent otherwise.
    let client_secret: Nullable<String>?

    package init(_ c: Client, secret: String? = nil, showSecret: Bool = false) {
        client_id = c.id
        name = c.name
        display_name = c.displayName
        redirect_uris = c.redirectURIs
        post_logout_redirect_uris = c.postLogoutRedirectURIs
        grant_types = c.grantTypes.map(\.rawValue)
        scopes = c.scopes
        token_endpoint_auth_method = c.tokenEndpointAuthMethod.rawValue
        jwks_uri = c.jwksURI
        first_party = c.firstParty
        id_token_signed_response_alg = c.idTokenSignedResponseAlg
        require_two_factor = c.requireTwoFactor
        resource_server = c.resourceServer
        required_roles = c.requiredRoles
        required_groups = c.requiredGroups
        claims = c.accessClaims
        frontchannel_logout_uri = c.frontchannelLogoutURI
        backchannel_logout_uri = c.backchannelLogoutURI
        created_at = Timestamp.string(c.createdAt)
        client_secret = showSecret ? Nullable(wrappedValue: secret) : nil
    }
}

struct CASServiceView: Encodable {
    let id: String, name: String, pattern: String, attributes: [String], require_two_factor: Bool
    let required_roles: [String], required_groups: [String], allowed_proxies: [String], created_at: String
    @Nullable var proxy_callback_pattern: String?
    @Nullable var logout_url: String?

    init(_ s: CASService) {
        id = s.id
        name = s.name
        pattern = s.pattern
        attributes = s.releasedAttributes
        require_two_factor = s.requireTwoFactor
        required_roles = s.requiredRoles
        required_groups = s.requiredGroups
        allowed_proxies = s.allowedProxies
        proxy_callback_pattern = s.proxyCallbackPattern
        logout_url = s.logoutURL
        created_at = Timestamp.string(s.createdAt)
    }
}

struct SigningKeyView: Encodable {
    let kid: String, algorithm: String, created_at: String
    @Nullable var superseded_at: String?
    let current: Bool

    init(_ key: StoredSigningKey) {
        kid = key.kid
        algorithm = key.algorithm
        created_at = Timestamp.string(key.createdAt)
        superseded_at = key.supersededAt.map(Timestamp.string)
        current = key.supersededAt == nil
    }


}

struct AuditEventView: Encodable {
    let id: Int, type: String, at: String
    @Nullable var actor: String?
    @Nullable var subject: String?
    @Nullable var client_id: String?
    @Nullable var client_address: String?
    @Nullable var detail: String?
    let hash: String, prev_hash: String

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


}

struct Items<T: Encodable>: Encodable {
    let items: [T]
}

struct AuditPage: Encodable {
    let items: [AuditEventView]
    @Nullable var next_cursor: String?


}

/// A member the API's schema lists as nullable: encoded as `null` when nil, where the synthesized
/// encoding would leave it out.
@propertyWrapper package struct Nullable<Value: Encodable>: Encodable {
    package var wrappedValue: Value?

    package init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
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
