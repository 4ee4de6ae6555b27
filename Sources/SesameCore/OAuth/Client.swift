import Foundation

/// How a client proves who it is at the token endpoint.
public enum TokenEndpointAuthMethod: String, Sendable, CaseIterable, Codable {
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
    case privateKeyJWT = "private_key_jwt"
    case none
}


/// A registered OAuth / OpenID Connect client (an app).
public struct Client: Sendable, Equatable {
    public var id: String
    public var name: String
    /// SHA-256 (hex) of the secret; nil for public clients and private_key_jwt clients.
    public var secretDigest: String?
    public var redirectURIs: [String]
    public var postLogoutRedirectURIs: [String]
    public var grantTypes: [GrantType]
    /// The scopes this client may ask for.
    public var scopes: [String]
    public var tokenEndpointAuthMethod: TokenEndpointAuthMethod
    public var jwksURI: String?
    /// A JWK Set given by value, for private_key_jwt.
    public var jwks: String?
    /// First-party clients skip the consent page.
    public var firstParty: Bool
    /// "ES256" (default) or "RS256".
    public var idTokenSignedResponseAlg: String
    /// Everyone signing in to this client must use a second factor.
    public var requireTwoFactor: Bool = false
    /// Only people with one of these roles (qualified names) or in one of these groups may sign in
    /// to this client; both empty lets everyone in.
    public var requiredRoles: [String] = []
    public var requiredGroups: [String] = []
    /// Which access claims tokens for this client may carry (`roles`, `groups`, `permissions`);
    /// each also needs its scope.
    public var accessClaims: [String] = Client.allAccessClaims
    /// OpenID Connect Front-Channel Logout: Sesame loads this in a hidden frame when a session
    /// ends, so the app ends its own session too.
    public var frontchannelLogoutURI: String?
    /// OpenID Connect Back-Channel Logout: Sesame POSTs a signed logout token here when a session
    /// that signed in to this client ends.
    public var backchannelLogoutURI: String?
    /// A resource server (an API) may introspect any client's access tokens; other clients only
    /// their own (RFC 7662 §4: the user behind a token is not every client's business).
    public var resourceServer: Bool = false
    /// What people see ("Team Wiki"); `name` stays the identifier the CLI and the API look it up by.
    public var displayName: String?
    public var createdAt: Date

    /// The name shown to people, such as on the consent page.
    public var shownName: String { displayName ?? name }

    public static let allAccessClaims = ["roles", "groups", "permissions"]

    public var isPublic: Bool { tokenEndpointAuthMethod == .none }

    public init(
        id: String, name: String, secretDigest: String?, redirectURIs: [String], postLogoutRedirectURIs: [String] = [],
        grantTypes: [GrantType], scopes: [String], tokenEndpointAuthMethod: TokenEndpointAuthMethod,
        jwksURI: String? = nil, jwks: String? = nil, firstParty: Bool = false, idTokenSignedResponseAlg: String = "ES256",
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.secretDigest = secretDigest
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.firstParty = firstParty
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
        self.createdAt = createdAt
    }

    public func allows(_ grant: GrantType) -> Bool { grantTypes.contains(grant) }

    /// The origins (`scheme://host[:port]`, as browsers send them) of the http(s) redirect URIs:
    /// where this client's pages run, for CORS.
    public var webOrigins: [String] {
        redirectURIs.compactMap { uri in
            guard let url = URLComponents(string: uri), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                var host = url.host?.lowercased(), !host.isEmpty
            else { return nil }
            if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
            let defaultPort = scheme == "https" ? 443 : 80
            return "\(scheme)://\(host)" + (url.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? "")
        }
    }
}

extension Client {
    /// What an update changed, field by field as lists of strings, for the audit log's detail
    /// (`AuditEvent.changes` keeps only the fields that differ). Never the secret.
    public func changes(since before: Client) -> [String: (before: [String], after: [String])] {
        func one(_ value: String?) -> [String] { value.map { [$0] } ?? [] }
        return [
            "redirect_uris": (before.redirectURIs, redirectURIs),
            "post_logout_redirect_uris": (before.postLogoutRedirectURIs, postLogoutRedirectURIs),
            "grant_types": (before.grantTypes.map(\.rawValue), grantTypes.map(\.rawValue)),
            "scopes": (before.scopes, scopes),
            "token_endpoint_auth_method": ([before.tokenEndpointAuthMethod.rawValue], [tokenEndpointAuthMethod.rawValue]),
            "jwks_uri": (one(before.jwksURI), one(jwksURI)),
            "jwks": (one(before.jwks), one(jwks)),
            "first_party": ([String(before.firstParty)], [String(firstParty)]),
            "id_token_signed_response_alg": ([before.idTokenSignedResponseAlg], [idTokenSignedResponseAlg]),
            "require_two_factor": ([String(before.requireTwoFactor)], [String(requireTwoFactor)]),
            "required_roles": (before.requiredRoles, requiredRoles),
            "required_groups": (before.requiredGroups, requiredGroups),
            "claims": (before.accessClaims, accessClaims),
            "frontchannel_logout_uri": (one(before.frontchannelLogoutURI), one(frontchannelLogoutURI)),
            "backchannel_logout_uri": (one(before.backchannelLogoutURI), one(backchannelLogoutURI)),
            "resource_server": ([String(before.resourceServer)], [String(resourceServer)]),
            "display_name": (one(before.displayName), one(displayName)),
        ]
    }
}
