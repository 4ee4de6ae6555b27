import SesameCore
import SesameModels

/// What the OpenID Connect / OAuth routes call into.
public struct OAuthDependencies: Sendable {
    public var discovery: DiscoveryDocument
    public var keys: KeySetHolder
    public var authorizeChecks: AuthorizeChecks
    public var authorization: AuthorizationService
    public var tokenEndpoint: TokenEndpoint
    public var validator: AccessTokenValidator
    public var introspection: TokenIntrospection
    public var clients: any ClientStore
    public var audit: AuditTrail

    public init(
        discovery: DiscoveryDocument, keys: KeySetHolder, authorizeChecks: AuthorizeChecks, authorization: AuthorizationService,
        tokenEndpoint: TokenEndpoint, validator: AccessTokenValidator, introspection: TokenIntrospection, clients: any ClientStore,
        audit: AuditTrail
    ) {
        self.discovery = discovery
        self.keys = keys
        self.authorizeChecks = authorizeChecks
        self.authorization = authorization
        self.tokenEndpoint = tokenEndpoint
        self.validator = validator
        self.introspection = introspection
        self.clients = clients
        self.audit = audit
    }
}
