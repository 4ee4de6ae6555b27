/// Roles, groups and what connects them. Memberships of users are also written through
/// `UserStore` (a user's direct `roles` and `groups`), which creates missing roles and groups.
public protocol AccessStore: Sendable {
    /// Throws `AccessError.duplicateRole`.
    func insert(_ role: Role) async throws
    func roles() async throws -> [Role]
    func role(name: String) async throws -> Role?
    /// Deletes the role and every grant of it (to users, to groups). False if there was none.
    func deleteRole(name: String) async throws -> Bool
    /// Throws `AccessError.unknownRole`.
    func setPermission(_ permission: String, role: String, granted: Bool) async throws

    /// Throws `AccessError.duplicateGroup`.
    func insert(_ group: Group) async throws
    func groups() async throws -> [Group]
    func group(name: String) async throws -> Group?
    func deleteGroup(name: String) async throws -> Bool
    /// Throws `AccessError.unknownGroup` or `.unknownRole`.
    func setRole(_ role: String, group: String, granted: Bool) async throws

    /// Throws `AccessError.unknownRole`.
    func setRole(_ role: String, userID: String, granted: Bool) async throws
    /// Throws `AccessError.unknownGroup`.
    func setMember(userID: String, group: String, member: Bool) async throws
}
