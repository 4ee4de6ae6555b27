import HummingbirdBcrypt

/// Hashes new passwords with scrypt and verifies every stored form Sesame accepts.
public struct PasswordHasher: Sendable {
    public var parameters: ScryptParameters
    private let random: any RandomSource

    public init(parameters: ScryptParameters = .default, random: any RandomSource = SystemRandom()) {
        self.parameters = parameters
        self.random = random
    }

    /// A new scrypt hash with a fresh 16-byte salt.
    public func hash(_ password: String) throws -> String {
        let salt = random.bytes(16)
        let derived = try ScryptHash.derive(password, salt: salt, parameters: parameters)
        return ScryptHash(parameters: parameters, salt: salt, hash: derived).encoded
    }

    public func verify(_ password: String, against stored: String) -> Bool {
        switch PasswordScheme(hash: stored) {
        case .scrypt:
            return ScryptHash(parsing: stored)?.matches(password) ?? false
        case .bcrypt:
            // `$2y$` is PHP's name for the same algorithm as `$2b$`.
            let normalised = stored.hasPrefix("$2y$") ? "$2b$" + stored.dropFirst(4) : stored
            return Bcrypt.verify(password, hash: normalised)
        case .pbkdf2SHA256:
            return PBKDF2Hash(passlib: stored)?.matches(password) ?? false
        case .djangoPBKDF2SHA256:
            return PBKDF2Hash(django: stored)?.matches(password) ?? false
        case nil:
            return false
        }
    }

    /// Spends what a real verification costs, so that an unknown username takes as long to refuse
    /// as a wrong password.
    public func verifyDummy(_ password: String) {
        _ = try? ScryptHash.derive(password, salt: Array(repeating: 0, count: 16), parameters: parameters)
    }

    /// True when the stored hash is not scrypt with the current parameters.
    public func needsRehash(_ stored: String) -> Bool {
        guard let scrypt = ScryptHash(parsing: stored) else { return true }
        return scrypt.parameters != parameters
    }

    /// Whether `stored` is a hash in a supported form with sane parameters (for imports).
    public static func isSupportedHash(_ stored: String) -> Bool {
        switch PasswordScheme(hash: stored) {
        case .scrypt: ScryptHash(parsing: stored) != nil
        case .bcrypt: stored.count == 60
        case .pbkdf2SHA256: PBKDF2Hash(passlib: stored) != nil
        case .djangoPBKDF2SHA256: PBKDF2Hash(django: stored) != nil
        case nil: false
        }
    }
}
