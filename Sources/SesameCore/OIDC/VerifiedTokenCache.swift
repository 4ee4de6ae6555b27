import Synchronization

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

    private let entries = Mutex<[[UInt8]: Entry]>([:])
    /// About a kilobyte an entry; when full it starts again from empty.
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    func entry(for token: String) -> Entry? {
        let key = Array(token.utf8)
        return entries.withLock { $0[key] }
    }

    func remember(_ entry: Entry, for token: String) {
        let key = Array(token.utf8)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }
}
