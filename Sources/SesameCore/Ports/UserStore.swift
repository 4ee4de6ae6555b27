/// Where users live. Implementations enforce case-insensitive uniqueness of usernames and emails
/// and report a clash as `AccountError.duplicateUsername` / `.duplicateEmail`.
public protocol UserStore: Sendable {
    func insert(_ user: User) async throws
    /// Inserts all or none, in one transaction.
    func insert(all users: [User]) async throws
    func user(id: String) async throws -> User?
    func user(username: String) async throws -> User?
    /// The user whose username or email equals `login`, ignoring case.
    func user(login: String) async throws -> User?
    func users() async throws -> [User]
    func update(_ user: User) async throws
    /// Replaces a password hash only if it still equals `old`, so a concurrent password change wins.
    func replacePasswordHash(userID: String, old: String, new: String) async throws
    /// Deletes the user and everything that belongs to them (sessions). Returns false if absent.
    func delete(userID: String) async throws -> Bool
}
