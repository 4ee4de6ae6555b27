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
        scopes_supported = ["openid", "profile", "email", "offline_access", "roles", "groups"]
        response_types_supported = ["code"]
        response_modes_supported = ["query", "form_post"]
        grant_types_supported = ["authorization_code", "refresh_token", "client_credentials"]
        subject_types_supported = ["public"]
        id_token_signing_alg_values_supported = ["ES256", "RS256"]
        let authMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
        token_endpoint_auth_methods_supported = authMethods
        token_endpoint_auth_signing_alg_values_supported = ["ES256", "RS256"]
        introspection_endpoint_auth_methods_supported = authMethods.filter { $0 != "none" }
        revocation_endpoint_auth_methods_supported = authMethods
        code_challenge_methods_supported = ["S256"]
        claims_supported = [
            "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "acr", "amr", "azp", "sid",
            "name", "preferred_username", "email", "email_verified", "roles", "groups",
        ]
        prompt_values_supported = ["none", "login", "consent"]
        acr_values_supported = ["1", "2"]
        request_parameter_supported = false
        request_uri_parameter_supported = false
        claims_parameter_supported = false
        authorization_response_iss_parameter_supported = true
        backchannel_logout_supported = true
        backchannel_logout_session_supported = true
    }
}
