import Crypto
import CryptoExtras
import Foundation

/// PBKDF2-SHA256 hashes imported from Django (`pbkdf2_sha256$ITER$SALT$HASH`, the salt used as
/// text, the hash in padded base64) or passlib (`$pbkdf2-sha256$ITER$SALT$HASH`, salt and hash
/// in adapted base64). Sesame only verifies these; it never writes them.
struct PBKDF2Hash {
    var iterations: Int
    var salt: [UInt8]
    var hash: [UInt8]

    /// Above this an imported hash would let one sign-in occupy a core for seconds.
    static let maxIterations = 5_000_000

    init?(django text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "pbkdf2_sha256", let iterations = Int(fields[1]),
            !fields[2].isEmpty, let hash = Data(base64Encoded: String(fields[3]))
        else { return nil }
        self.init(iterations: iterations, salt: Array(fields[2].utf8), hash: [UInt8](hash))
    }

    init?(passlib text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "pbkdf2-sha256", let iterations = Int(fields[2]),
            let salt = AdaptedBase64.decode(String(fields[3])), let hash = AdaptedBase64.decode(String(fields[4]))
        else { return nil }
        self.init(iterations: iterations, salt: salt, hash: hash)
    }

    private init?(iterations: Int, salt: [UInt8], hash: [UInt8]) {
        guard (1...Self.maxIterations).contains(iterations), (16...64).contains(hash.count) else { return nil }
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    func matches(_ password: String) -> Bool {
        guard
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: salt, using: .sha256,
                outputByteCount: hash.count, unsafeUncheckedRounds: iterations
            )
        else { return false }
        return key.withUnsafeBytes { ConstantTime.equals(Array($0), hash) }
    }
}
