import SesameJOSE
import Crypto

/// Signed double-submit CSRF protection: the browser holds a random value in a cookie, and each
/// form carries an HMAC of it under a server key. A cross-site page can neither read the cookie
/// nor forge the HMAC.
public struct CSRFTokens: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// The token a form must carry for the browser holding `cookieValue`.
    public func token(for cookieValue: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array(cookieValue.utf8), using: key))
    }

    public func verify(token: String?, cookieValue: String?) -> Bool {
        guard let token, let cookieValue, !cookieValue.isEmpty, let given = Base64URL.decode(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(cookieValue.utf8), using: key)
    }
}
