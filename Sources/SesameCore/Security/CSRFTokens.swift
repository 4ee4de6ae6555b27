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

    /// Whether `value` has the shape of a secret Sesame makes (32 random bytes in base64url):
    /// a cookie an attacker chose (from a sibling host, say) is replaced, never signed, so that
    /// tokens cannot be had for values of their choosing.
    public static func isWellFormedSecret(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return bytes.count == 43 && bytes.allSatisfy { b in
            (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D || b == 0x5F
        }
    }

    /// Signs and checks with a key for another purpose, derived from this one, so that no CSRF
    /// token doubles as anything else.
    public func derived(for purpose: String) -> CSRFTokens {
        CSRFTokens(key: HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("sesame/csrf/\(purpose)".utf8), outputByteCount: 32))
    }

    public func verify(token: String?, cookieValue: String?) -> Bool {
        guard let token, let cookieValue, !cookieValue.isEmpty, let given = Base64URL.decode(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(cookieValue.utf8), using: key)
    }
}
