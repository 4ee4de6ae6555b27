import Foundation

/// A Sesame user that a directory entry signs in: the entry's immutable id is the key, so renames
/// and moves in the directory keep the same Sesame user.
public struct DirectoryLink: Sendable, Equatable {
    public var userID: String
    /// The directory's configured name.
    public var directory: String
    /// `objectGUID` as a canonical UUID string, `entryUUID`, or what the attribute map names.
    public var immutableID: String
    /// The entry's DN when last seen (it may move).
    public var dn: String
    public var lastSeenAt: Date

    public init(userID: String, directory: String, immutableID: String, dn: String, lastSeenAt: Date) {
        self.userID = userID
        self.directory = directory
        self.immutableID = immutableID
        self.dn = dn
        self.lastSeenAt = lastSeenAt
    }
}

/// What directory sign-in keeps: the configurations, the users' links to their entries, and the
/// memberships that come from directory groups.
///
/// Semantics the SQL implementation keeps (L4):
/// - Configurations: JSON of `DirectoryConfiguration` (which never encodes the bind password) plus
///   the bind password sealed with the data key, bound to the directory's name. `directories()`
///   lists by `position`, then name. `insert` throws `DirectoryConfigurationError.duplicate` for a
///   name that exists; `update` replaces the row of `configuration.name` (throws `.unknown` when
///   absent). Removing a configuration keeps its users, their links and memberships: adding a
///   directory of the same name again finds them by immutable id.
/// - Links: one per user (user_id is the key), `(directory, immutableID)` unique; a deleted user
///   takes its link and directory memberships with it.
/// - Directory memberships: `setDirectoryMemberships` REPLACES the user's directory-given groups
///   and roles (lower-cased, duplicates dropped) in one transaction, creating groups and roles that
///   do not exist yet (as the users-file import does). They are kept apart from local ones: an
///   admin's `UserStore.update` writes back only local memberships, and a sign-in never touches
///   local ones. Every loaded `User` (by id, username, login, or in `users()`) has in `groups` and
///   `roles` the union of local and directory memberships, and `inheritedRoles`/`permissions`
///   computed over that union, so policies, claims and CAS attributes see no difference.
public protocol DirectoryStore: Sendable {
    func directories() async throws -> [DirectoryConfiguration]
    func directory(name: String) async throws -> DirectoryConfiguration?
    func insert(_ configuration: DirectoryConfiguration) async throws
    func update(_ configuration: DirectoryConfiguration) async throws
    /// False when there was none.
    func deleteDirectory(name: String) async throws -> Bool

    func link(directory: String, immutableID: String) async throws -> DirectoryLink?
    func link(userID: String) async throws -> DirectoryLink?
    /// Every link of a directory (for a sync to find users whose entry is gone).
    func links(directory: String) async throws -> [DirectoryLink]
    /// Inserts or replaces the user's link.
    func saveLink(_ link: DirectoryLink) async throws

    /// Replaces the user's directory-given groups and roles.
    func setDirectoryMemberships(userID: String, groups: [String], roles: [String]) async throws
    /// The user's directory-given groups and roles, sorted.
    func directoryMemberships(userID: String) async throws -> (groups: [String], roles: [String])
}
