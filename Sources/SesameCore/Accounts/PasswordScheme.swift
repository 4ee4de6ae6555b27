/// The stored forms a password hash can take. New hashes are always scrypt; the others are
/// accepted from imports and replaced by scrypt at the owner's next successful sign-in.
public enum PasswordScheme: String, Sendable, CaseIterable {
    /// PHC string `$scrypt$ln=14,r=8,p=2$SALT$HASH` (the form passlib also writes).
    case scrypt
    /// `$2a$`, `$2b$` or `$2y$` bcrypt.
    case bcrypt
    /// passlib's `$pbkdf2-sha256$ITERATIONS$SALT$HASH` (adapted base64).
    case pbkdf2SHA256 = "pbkdf2_sha256"
    /// Django's `pbkdf2_sha256$ITERATIONS$SALT$HASH`.
    case djangoPBKDF2SHA256 = "django_pbkdf2_sha256"

    public init?(hash: String) {
        if hash.hasPrefix("$scrypt$") {
            self = .scrypt
        } else if hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$") {
            self = .bcrypt
        } else if hash.hasPrefix("$pbkdf2-sha256$") {
            self = .pbkdf2SHA256
        } else if hash.hasPrefix("pbkdf2_sha256$") {
            self = .djangoPBKDF2SHA256
        } else {
            return nil
        }
    }
}
