/// OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414 §2). Sesame lists only what it does.
public struct DiscoveryDocument: Codable, Sendable, Equatable {
    public var issuer: String
    public var authorization_endpoint: String
    public var token_endpoint: String
    public var userinfo_endpoint: String
    public var jwks_uri: String
    public var end_session_endpoint: String
    public var introspection_endpoint: String
    public var revocation_endpoint: String
    public var scopes_supported: [String]
    public var response_types_supported: [String]
    public var response_modes_supported: [String]
    public var grant_types_supported: [String]
    public var subject_types_supported: [String]
    public var id_token_signing_alg_values_supported: [String]
    public var token_endpoint_auth_methods_supported: [String]
    public var token_endpoint_auth_signing_alg_values_supported: [String]
    public var introspection_endpoint_auth_methods_supported: [String]
    public var revocation_endpoint_auth_methods_supported: [String]
    public var code_challenge_methods_supported: [String]
    public var claims_supported: [String]
    public var prompt_values_supported: [String]
    public var acr_values_supported: [String]
    public var request_parameter_supported: Bool
    public var request_uri_parameter_supported: Bool
    public var claims_parameter_supported: Bool
    public var authorization_response_iss_parameter_supported: Bool
    /// OpenID Connect Back-Channel Logout 1.0 §2.1; optional so other providers' documents still decode.
    public var backchannel_logout_supported: Bool?
    /// Every logout token carries `sid`.
    public var backchannel_logout_session_supported: Bool?

    public init(issuer: String) {
        self.issuer = issuer
        authorization_endpoint = issuer + "/authorize"
        token_endpoint = issuer + "/token"
        userinfo_endpoint = issuer + "/userinfo"
        jwks_uri = issuer + "/jwks"
        end_session_endpoint = issuer + "/end-session"
        introspection_endpoint = issuer + "/introspect"
        revocation_endpoint = issuer + "/revoke"
        // What Sesame supports is registered in SesameCore, which fills these lists
        // (`DiscoveryDocument.sesame(issuer:)`); nothing is listed by hand here.
        scopes_supported = []
        response_types_supported = []
        response_modes_supported = []
        grant_types_supported = []
        subject_types_supported = []
        id_token_signing_alg_values_supported = []
        token_endpoint_auth_methods_supported = []
        token_endpoint_auth_signing_alg_values_supported = []
        introspection_endpoint_auth_methods_supported = []
        revocation_endpoint_auth_methods_supported = []
        code_challenge_methods_supported = []
        claims_supported = []
        prompt_values_supported = []
        acr_values_supported = []
        request_parameter_supported = false
        request_uri_parameter_supported = false
        claims_parameter_supported = false
        authorization_response_iss_parameter_supported = true
        backchannel_logout_supported = true
        backchannel_logout_session_supported = true
    }
}
