/// What a username, an email address and a display name may look like.
public enum AccountRules {
    /// Usernames are ASCII so that no two look alike; '@' is excluded so a username can never be
    /// mistaken for someone's email at sign-in.
    public static func validateUsername(_ username: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...64).contains(username.count), username.allSatisfy(allowed.contains) else {
            throw AccountError.invalidUsername(username)
        }
        return username
    }

    /// A pragmatic check (one '@', a dotted domain, no spaces); deliverability is the mail server's call.
    public static func validateEmail(_ email: String) throws -> String {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2,
            let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.count <= 64,
            domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
            !email.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } ?? false || "<>()[],;:\\\"".contains($0) })
        else {
            throw AccountError.invalidEmail(email)
        }
        return email
    }

    public static func validateName(_ name: String) throws -> String {
        guard name.count <= 200, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AccountError.invalidName
        }
        return name
    }

    /// At least 8 characters (NIST SP 800-63B's minimum for a password chosen by a person); at
    /// most 1024, so that no one hash costs more than the others. Only for setting a password:
    /// signing in checks whatever password the account has.
    public static let passwordLengths = 8...1024

    public static func validatePassword(_ password: String) throws -> String {
        guard !password.isEmpty else { throw AccountError.emptyPassword }
        guard passwordLengths.contains(password.count) else { throw AccountError.weakPassword }
        return password
    }
}
