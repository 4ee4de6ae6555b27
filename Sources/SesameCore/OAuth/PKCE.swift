import SesameJOSE
import Crypto

/// Proof Key for Code Exchange (RFC 7636), S256 only: `plain` would let anyone who sees the
/// authorization request redeem the code.
public enum PKCE {
    /// The one `code_challenge_method` accepted.
    public static let method = "S256"

    public static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.count == 43 && Base64URL.decode(challenge)?.count == 32
    }

    /// RFC 7636 §4.1: 43-128 characters from the unreserved set.
    public static func isValidVerifier(_ verifier: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return (43...128).contains(verifier.count) && verifier.allSatisfy(allowed.contains)
    }

    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
    }

    public static func verify(verifier: String, challenge: String) -> Bool {
        isValidVerifier(verifier) && ConstantTime.equals(self.challenge(for: verifier), challenge)
    }
}
