/// The name of a claim in Sesame's tokens and answers, written once for the server that writes it
/// and the apps that read it (RFC 7519 §4.1, OIDC Core §2 and §5.1, RFC 9068 §2.2, RFC 7662 §2.2,
/// Back-Channel Logout §2.4). A `CodingKey`, so the server's encoders use these very names.
public struct ClaimName: CodingKey, RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringValue: String) { rawValue = stringValue }
    public init?(intValue: Int) { nil }
    public var stringValue: String { rawValue }
    public var intValue: Int? { nil }

    public static let issuer = ClaimName(rawValue: "iss")
    public static let subject = ClaimName(rawValue: "sub")
    public static let audience = ClaimName(rawValue: "aud")
    public static let expiresAt = ClaimName(rawValue: "exp")
    public static let issuedAt = ClaimName(rawValue: "iat")
    public static let notBefore = ClaimName(rawValue: "nbf")
    public static let tokenID = ClaimName(rawValue: "jti")
    public static let authTime = ClaimName(rawValue: "auth_time")
    public static let nonce = ClaimName(rawValue: "nonce")
    public static let accessTokenHash = ClaimName(rawValue: "at_hash")
    public static let assuranceLevel = ClaimName(rawValue: "acr")
    public static let authenticationMethods = ClaimName(rawValue: "amr")
    public static let authorizedParty = ClaimName(rawValue: "azp")
    public static let sessionID = ClaimName(rawValue: "sid")
    public static let clientID = ClaimName(rawValue: "client_id")
    public static let scope = ClaimName(rawValue: "scope")
    /// Sesame's own: the grant (refresh token family) an access token came from.
    public static let grantID = ClaimName(rawValue: "gid")
    public static let events = ClaimName(rawValue: "events")
    public static let name = ClaimName(rawValue: "name")
    public static let preferredUsername = ClaimName(rawValue: "preferred_username")
    public static let email = ClaimName(rawValue: "email")
    public static let emailVerified = ClaimName(rawValue: "email_verified")
    public static let roles = ClaimName(rawValue: "roles")
    public static let groups = ClaimName(rawValue: "groups")
    public static let permissions = ClaimName(rawValue: "permissions")
}
