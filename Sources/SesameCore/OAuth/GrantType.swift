/// A `grant_type` (RFC 6749 §4), registered once. A name is either one of RFC 6749's short ones or
/// an absolute URI (RFC 6749 §4.5), such as the device code and token exchange grants'
/// `urn:ietf:params:oauth:grant-type:…`: add it to `allCases` with its grant handler.
public struct GrantType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Only registered names: a client cannot be given, nor a request name, a grant Sesame lacks.
    public init?(rawValue: String) {
        guard let known = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = known
    }

    private init(registering name: String) { rawValue = name }

    public var description: String { rawValue }
    /// An extension grant named by an absolute URI rather than a short RFC 6749 name.
    public var isExtension: Bool { rawValue.contains(":") }

    public static let authorizationCode = Self(registering: "authorization_code")
    public static let refreshToken = Self(registering: "refresh_token")
    public static let clientCredentials = Self(registering: "client_credentials")

    public static let allCases: [Self] = [authorizationCode, refreshToken, clientCredentials]
}
