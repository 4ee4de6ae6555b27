/// An OAuth error answer (RFC 6749 §5.2): the server encodes it and the app toolkit decodes it.
public struct OAuthErrorResponse: Codable, Sendable, Equatable {
    public var error: String
    public var error_description: String?

    public init(error: String, error_description: String? = nil) {
        self.error = error
        self.error_description = error_description
    }
}
