import SesameModels

extension DiscoveryDocument {
    /// Claims every ID token may carry whatever the scope (OIDC Core §2, §3.1.3.6); the rest
    /// come from the scope catalogue.
    public static let protocolClaims = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "acr", "amr", "azp", "sid"]

    /// Sesame's provider metadata, derived from what is registered (scopes, claims, grant types,
    /// signing algorithms, client authentication methods, assurance levels), so that discovery
    /// cannot announce less or more than the server does.
    public static func sesame(issuer: String, grantTypes: [GrantType] = GrantType.allCases) -> Self {
        var document = DiscoveryDocument(issuer: issuer)
        document.scopes_supported = ScopeCatalogue.names
        var seen = Set<String>()
        document.claims_supported = (protocolClaims + ScopeCatalogue.releasedClaims).filter { seen.insert($0).inserted }
        document.grant_types_supported = grantTypes.map(\.rawValue)
        document.id_token_signing_alg_values_supported = SigningAlgorithm.names
        document.token_endpoint_auth_signing_alg_values_supported = SigningAlgorithm.names
        let authMethods = TokenEndpointAuthMethod.allCases.map(\.rawValue)
        document.token_endpoint_auth_methods_supported = authMethods
        document.introspection_endpoint_auth_methods_supported = authMethods.filter { $0 != TokenEndpointAuthMethod.none.rawValue }
        document.revocation_endpoint_auth_methods_supported = authMethods
        document.acr_values_supported = AssuranceLevel.allCases.map(\.rawValue)
        document.response_types_supported = ["code"]  // the code flow only: no implicit or hybrid
        document.response_modes_supported = ResponseMode.allCases.map(\.rawValue)
        document.subject_types_supported = ["public"]
        document.code_challenge_methods_supported = [PKCE.method]
        document.prompt_values_supported = AuthorizeChecks.announcedPromptValues
        return document
    }
}
