/// The introspection answer (RFC 7662 §2.2): the server encodes it and the app toolkit decodes it.
/// An inactive token is `{"active":false}` and nothing else; nil members are left out.
public struct IntrospectionResponse: Codable, Sendable, Equatable {
    public var active: Bool
    public var scope: String?
    public var client_id: String?
    public var username: String?
    public var token_type: String?
    public var exp: Int?
    public var iat: Int?
    public var sub: String?
    public var aud: String?
    public var iss: String?
    public var jti: String?

    public static let inactive = IntrospectionResponse(active: false)

    public init(
        active: Bool, scope: String? = nil, client_id: String? = nil, username: String? = nil, token_type: String? = nil, exp: Int? = nil,
        iat: Int? = nil, sub: String? = nil, aud: String? = nil, iss: String? = nil, jti: String? = nil
    ) {
        self.active = active
        self.scope = scope
        self.client_id = client_id
        self.username = username
        self.token_type = token_type
        self.exp = exp
        self.iat = iat
        self.sub = sub
        self.aud = aud
        self.iss = iss
        self.jti = jti
    }
}
