/// What one application is meant to see of a person: the global roles and that application's own
/// roles (without the `APP:` prefix), the groups, and the permissions those roles grant.
public struct AppAccess: Sendable, Equatable {
    public var roles: [String]
    public var groups: [String]
    public var permissions: [String]

    public init(roles: [String], groups: [String], permissions: [String]) {
        self.roles = roles
        self.groups = groups
        self.permissions = permissions
    }
}

extension User {
    /// Direct and inherited roles, qualified.
    public var effectiveRoles: [String] {
        Array(Set(roles).union(inheritedRoles)).sorted()
    }

    /// The view of application `app` (a client or CAS service name); nil sees global roles only.
    public func access(for app: String?) -> AppAccess {
        var visible: [(qualified: String, shown: String)] = []
        for role in effectiveRoles {
            switch RoleName.app(of: role) {
            case nil: visible.append((role, role))
            case let owner? where owner.lowercased() == app?.lowercased(): visible.append((role, String(role.dropFirst(owner.count + 1))))
            default: break
            }
        }
        let granted = Set(visible.flatMap { self.permissions[$0.qualified] ?? [] })
        return AppAccess(roles: Array(Set(visible.map(\.shown))).sorted(), groups: groups.sorted(), permissions: granted.sorted())
    }

    /// Whether the person passes an application's restriction: no restriction, or at least one of
    /// the required roles (qualified names) or groups.
    public func meets(requiredRoles: [String], requiredGroups: [String]) -> Bool {
        guard !requiredRoles.isEmpty || !requiredGroups.isEmpty else { return true }
        let roles = Set(effectiveRoles.map { $0.lowercased() })
        let groups = Set(self.groups.map { $0.lowercased() })
        return requiredRoles.contains { roles.contains($0.lowercased()) } || requiredGroups.contains { groups.contains($0.lowercased()) }
    }
}
