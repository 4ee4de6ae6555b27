/// What the token endpoint answers (RFC 6749 §5.1, OIDC Core §3.1.3.3): the server encodes it and
/// the app toolkit decodes it. Nil members are left out.
public struct TokenResponse: Codable, Sendable, Equatable {
    public var access_token: String
    public var token_type: String
    public var expires_in: Int
    public var scope: String
    public var id_token: String?
    public var refresh_token: String?

    public init(access_token: String, token_type: String, expires_in: Int, scope: String, id_token: String? = nil, refresh_token: String? = nil) {
        self.access_token = access_token
        self.token_type = token_type
        self.expires_in = expires_in
        self.scope = scope
        self.id_token = id_token
        self.refresh_token = refresh_token
    }
}
