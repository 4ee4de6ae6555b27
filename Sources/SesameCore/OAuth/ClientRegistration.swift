
/// What an operator asks for when adding or changing a client. Nil fields keep their current
/// value on update.
public struct ClientRegistration: Sendable {
    /// What people see, e.g. on the consent page ("Team Wiki"); "" falls back to the name.
    public var displayName: String?
    public var redirectURIs: [String]?
    public var postLogoutRedirectURIs: [String]?
    public var isPublic: Bool?
    public var grantTypes: [String]?
    public var scopes: [String]?
    public var tokenEndpointAuthMethod: String?
    public var jwksURI: String?
    public var jwks: String?
    public var firstParty: Bool?
    public var idTokenSignedResponseAlg: String?
    public var requireTwoFactor: Bool?
    /// Replace the client's required roles / groups / access claims when given.
    public var requiredRoles: [String]?
    public var requiredGroups: [String]?
    public var accessClaims: [String]?
    /// "" removes it.
    public var frontchannelLogoutURI: String?
    /// "" removes it.
    public var backchannelLogoutURI: String?
    /// May introspect other clients' access tokens.
    public var resourceServer: Bool?

    public init(
        redirectURIs: [String]? = nil, postLogoutRedirectURIs: [String]? = nil, isPublic: Bool? = nil, grantTypes: [String]? = nil,
        scopes: [String]? = nil, tokenEndpointAuthMethod: String? = nil, jwksURI: String? = nil, jwks: String? = nil,
        firstParty: Bool? = nil, idTokenSignedResponseAlg: String? = nil
    ) {
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.isPublic = isPublic
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.firstParty = firstParty
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
    }
}
