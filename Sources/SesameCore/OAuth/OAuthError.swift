/// An OAuth 2.0 / OpenID Connect error (RFC 6749 §4.1.2.1 and §5.2, OIDC Core §3.1.2.6). `detail`
/// is for the log only; `description` is shown to the client.
public struct OAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let errorDescription: String
    /// HTTP status at the token, introspection and revocation endpoints.
    public let status: Int
    public var detail: String?

    public init(code: String, description: String, status: Int = 400, detail: String? = nil) {
        self.code = code
        self.errorDescription = description
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(code): \(errorDescription)" }

    public static func invalidRequest(_ description: String) -> Self { .init(code: "invalid_request", description: description) }
    public static func invalidClient(_ description: String = "client authentication failed", detail: String? = nil) -> Self {
        .init(code: "invalid_client", description: description, status: 401, detail: detail)
    }
    public static func invalidGrant(_ description: String, detail: String? = nil) -> Self {
        .init(code: "invalid_grant", description: description, detail: detail)
    }
    public static func unauthorizedClient(_ description: String) -> Self { .init(code: "unauthorized_client", description: description) }
    public static func unsupportedGrantType(_ grant: String) -> Self {
        .init(code: "unsupported_grant_type", description: "grant_type '\(grant)' is not supported")
    }
    public static func unsupportedResponseType(_ type: String) -> Self {
        .init(code: "unsupported_response_type", description: "response_type '\(type)' is not supported; use code")
    }
    public static func invalidScope(_ description: String) -> Self { .init(code: "invalid_scope", description: description) }
    public static func accessDenied(_ description: String) -> Self { .init(code: "access_denied", description: description, status: 403) }
    public static let loginRequired = Self(code: "login_required", description: "the user is not signed in")
    public static let consentRequired = Self(code: "consent_required", description: "the user has not consented to this client")
    public static let requestNotSupported = Self(code: "request_not_supported", description: "request objects are not supported")
    public static let requestURINotSupported = Self(code: "request_uri_not_supported", description: "request_uri is not supported")
    public static func invalidToken(_ description: String) -> Self { .init(code: "invalid_token", description: description, status: 401) }
    public static func serverError(detail: String) -> Self {
        .init(code: "server_error", description: "the server could not complete the request", status: 500, detail: detail)
    }
}
