import Foundation

/// Changes to roles, groups and who holds them, as the CLI and the admin API make them: names are
/// checked here, and each change goes to the audit trail with the same detail (the list before
/// and after) whoever made it.
public struct AccessService: Sendable {
    private let store: any AccessStore
    /// Names of the clients and CAS services, which per-app roles belong to.
    private let appNames: @Sendable () async throws -> [String]
    /// Changes are recorded here, as done by `actor`.
    public var audit: AuditTrail?
    public var actor = ManagementActor.cli

    public init(store: any AccessStore, appNames: @escaping @Sendable () async throws -> [String]) {
        self.store = store
        self.appNames = appNames
    }

    /// A global role, or one of `app`'s own (named `app:name`). Throws `AccessError`.
    public func addRole(name: String, app: String?, description: String?, permissions: [String]) async throws -> Role {
        if let app {
            guard try await appNames().contains(where: { $0.lowercased() == app.lowercased() }) else { throw AccessError.unknownApp(app) }
        }
        let qualified = RoleName.qualified(name, app: app?.lowercased())
        try RoleName.check(qualified, what: "role")
        for permission in permissions { try RoleName.checkPermission(permission) }
        try await store.insert(Role(name: qualified, description: description, permissions: permissions, createdAt: Date()))
        await record(.roleCreated, subject: qualified.lowercased(), changes: ["permissions": ([], permissions.sorted())])
        guard let role = try await store.role(name: qualified) else { throw AccessError.unknownRole(qualified) }
        return role
    }

    /// Everyone who had the role loses it.
    public func deleteRole(name: String) async throws {
        guard try await store.deleteRole(name: name) else { throw AccessError.unknownRole(name) }
        await record(.roleDeleted, subject: name.lowercased())
    }

    public func setPermission(_ permission: String, role name: String, granted: Bool) async throws {
        guard let role = try await store.role(name: name) else { throw AccessError.unknownRole(name) }
        try RoleName.checkPermission(permission)
        try await store.setPermission(permission, role: role.name, granted: granted)
        await record(granted ? .rolePermissionGranted : .rolePermissionRevoked, subject: role.name,
                     changes: ["permissions": (role.permissions, Self.set(role.permissions, permission, granted))])
    }

    public func addGroup(name: String, description: String?, roles: [String]) async throws -> Group {
        try RoleName.check(name, what: "group", allowsApp: false)
        try await store.insert(Group(name: name, description: description, roles: roles, createdAt: Date()))
        await record(.groupCreated, subject: name.lowercased(), changes: ["roles": ([], roles.map { $0.lowercased() }.sorted())])
        guard let group = try await store.group(name: name) else { throw AccessError.unknownGroup(name) }
        return group
    }

    /// Its members leave it.
    public func deleteGroup(name: String) async throws {
        guard try await store.deleteGroup(name: name) else { throw AccessError.unknownGroup(name) }
        await record(.groupDeleted, subject: name.lowercased())
    }

    /// Every member of the group gets (or no longer gets) the role from it.
    public func setRole(_ role: String, group name: String, granted: Bool) async throws {
        guard let group = try await store.group(name: name) else { throw AccessError.unknownGroup(name) }
        let role = role.lowercased()
        try await store.setRole(role, group: group.name, granted: granted)
        await record(granted ? .groupRoleAdded : .groupRoleRemoved, subject: group.name,
                     changes: ["roles": (group.roles, Self.set(group.roles, role, granted))])
    }

    public func setRole(_ role: String, user: User, granted: Bool) async throws {
        let role = role.lowercased()
        try await store.setRole(role, userID: user.id, granted: granted)
        await record(granted ? .roleGranted : .roleRevoked, subject: user.id, changes: ["roles": (user.roles, Self.set(user.roles, role, granted))])
    }

    public func setMember(_ user: User, group: String, member: Bool) async throws {
        let group = group.lowercased()
        try await store.setMember(userID: user.id, group: group, member: member)
        await record(member ? .groupMemberAdded : .groupMemberRemoved, subject: user.id,
                     changes: ["groups": (user.groups, Self.set(user.groups, group, member))])
    }

    /// `names` with `name` added (sorted) or taken out.
    static func set(_ names: [String], _ name: String, _ present: Bool) -> [String] {
        present ? Array(Set(names + [name])).sorted() : names.filter { $0 != name }
    }

    private func record(_ type: AuditEventKind, subject: String, changes: [String: (before: [String], after: [String])] = [:]) async {
        await audit?.record(type, actor: actor.auditName, subject: subject, detail: AuditEvent.changes(changes))
    }
}
