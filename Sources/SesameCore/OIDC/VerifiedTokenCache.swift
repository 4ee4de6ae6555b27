import Foundation

/// Access tokens whose signature and claims were checked lately, by their exact bytes (never by
/// Swift string equality, under which differently encoded text can compare equal). A resource
/// server introspects the same token at every call it serves; the ES256 verification was the
/// largest cost of introspection. Expiry and revocation are still checked at every call, and an
/// entry counts only while the key that signed it is still published.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var token: ValidAccessToken
        var familyID: String?
        var kid: String
    }

    /// About a kilobyte an entry.
    private let entries = RecentValues<[UInt8], Entry>(capacity: 1024)

    func entry(for token: String) -> Entry? {
        entries.value(for: Array(token.utf8), now: Date())
    }

    func remember(_ entry: Entry, for token: String) {
        entries.store(entry, for: Array(token.utf8), at: Date())
    }
}
