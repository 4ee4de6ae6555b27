/// An OAuth 2.0 / OpenID Connect error (RFC 6749 §4.1.2.1 and §5.2, OIDC Core §3.1.2.6). `detail`
/// is for the log only; `description` is shown to the client.
public struct OAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let errorDescription: String
    /// HTTP status at the token, introspection and revocation endpoints.
    public let status: Int
    public var detail: String?
    /// Seconds to wait before trying again, for a throttled request (HTTP `Retry-After`).
    public var retryAfter: Int?
    /// Why, for the server's own decisions (which audit event, which alert); never shown.
    public var reason: OAuthErrorReason?

    public init(code: String, description: String, status: Int = 400, detail: String? = nil) {
        self.code = code
        self.errorDescription = Self.safeDescription(description)
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(code): \(errorDescription)" }

    /// RFC 6749 §5.2 allows only %x20-21 / %x23-5B / %x5D-7E in `error_description`; anything
    /// else (quotes, backslashes, controls, non-ASCII) becomes `?`, and the text is bounded.
    static func safeDescription(_ text: String) -> String {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars.prefix(300) {
            let v = scalar.value
            bytes.append((0x20...0x7E).contains(v) && v != 0x22 && v != 0x5C ? UInt8(v) : UInt8(ascii: "?"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func invalidRequest(_ description: String) -> Self { .init(code: "invalid_request", description: description) }
    /// RFC 6749 §3.1: request parameters must not be included more than once.
    public static func repeatedParameter(_ name: String) -> Self {
        invalidRequest("the parameter \(name.unicodeScalars.count <= 40 ? name : "?") was sent more than once")
    }
    public static func invalidClient(_ description: String = "client authentication failed", detail: String? = nil) -> Self {
        .init(code: "invalid_client", description: description, status: 401, detail: detail)
    }
    public static func invalidGrant(_ description: String, detail: String? = nil, reason: OAuthErrorReason? = nil) -> Self {
        var error = Self(code: "invalid_grant", description: description, detail: detail)
        error.reason = reason
        return error
    }
    public static func unauthorizedClient(_ description: String) -> Self { .init(code: "unauthorized_client", description: description) }
    public static func unsupportedGrantType(_ grant: String) -> Self {
        .init(code: "unsupported_grant_type", description: "this grant_type is not supported; use one of: " + GrantType.allCases.map(\.rawValue).joined(separator: " "))
    }
    public static func unsupportedResponseType(_ type: String) -> Self {
        .init(code: "unsupported_response_type", description: "this response_type is not supported; use code")
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

/// What the server knows about a refusal beyond its RFC code, so it decides on a value, not on
/// the wording of a log line.
public enum OAuthErrorReason: String, Sendable, Equatable {
    /// A used code or refresh token came back: everything issued from its grant was revoked.
    case replayRevokedGrant = "replay_revoked_grant"
}
