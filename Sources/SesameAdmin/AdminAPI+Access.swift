import Hummingbird
import SesameCore

struct RoleCreate: Decodable {
    let name: String
    let app: String?
    let description: String?
    let permissions: [String]?
    static let members: Set<String> = ["name", "app", "description", "permissions"]
}

struct GroupCreate: Decodable {
    let name: String
    let description: String?
    let roles: [String]?
    static let members: Set<String> = ["name", "description", "roles"]
}

extension AdminAPI {
    func registerAccess(on api: RouterGroup<Context>) {
        api.get("roles", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.access.roles().map(RoleView.init))) })
        api.post("roles", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(RoleCreate.self, allowing: RoleCreate.members, from: request)
            let role = try await deps.accessService(for: caller).addRole(
                name: body.name, app: body.app, description: body.description, permissions: body.permissions ?? []
            )
            return try Self.json(RoleView(role), status: .created)
        })
        api.get("roles/:role", use: guarded { _, context, _ in try Self.json(RoleView(try await role(context))) })
        api.delete("roles/:role", use: guarded { _, context, caller in
            try await deps.accessService(for: caller).deleteRole(name: try Self.parameter(context, "role"))
            return Self.noContent
        })
        api.put("roles/:role/permissions/:permission", use: guarded { _, context, caller in
            try await setPermission(context, caller, granted: true)
        })
        api.delete("roles/:role/permissions/:permission", use: guarded { _, context, caller in
            try await setPermission(context, caller, granted: false)
        })
        api.put("roles/:role/require-two-factor", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).setTwoFactorRequired(role: try Self.parameter(context, "role"), true)
            return Self.noContent
        })
        api.delete("roles/:role/require-two-factor", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).setTwoFactorRequired(role: try Self.parameter(context, "role"), false)
            return Self.noContent
        })

        api.get("groups", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.access.groups().map(GroupView.init))) })
        api.post("groups", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(GroupCreate.self, allowing: GroupCreate.members, from: request)
            let group = try await deps.accessService(for: caller).addGroup(name: body.name, description: body.description, roles: body.roles ?? [])
            return try Self.json(GroupView(group), status: .created)
        })
        api.get("groups/:group", use: guarded { _, context, _ in try Self.json(GroupView(try await group(context))) })
        api.delete("groups/:group", use: guarded { _, context, caller in
            try await deps.accessService(for: caller).deleteGroup(name: try Self.parameter(context, "group"))
            return Self.noContent
        })
        api.put("groups/:group/members/:username", use: guarded { _, context, caller in try await setMember(context, caller, member: true) })
        api.delete("groups/:group/members/:username", use: guarded { _, context, caller in try await setMember(context, caller, member: false) })
        api.put("groups/:group/roles/:role", use: guarded { _, context, caller in try await setGroupRole(context, caller, granted: true) })
        api.delete("groups/:group/roles/:role", use: guarded { _, context, caller in try await setGroupRole(context, caller, granted: false) })
    }

    private func role(_ context: Context) async throws -> Role {
        guard let role = try await deps.access.role(name: try Self.parameter(context, "role")) else { throw Problem.notFound("the role") }
        return role
    }

    private func group(_ context: Context) async throws -> Group {
        guard let group = try await deps.access.group(name: try Self.parameter(context, "group")) else { throw Problem.notFound("the group") }
        return group
    }

    private func setPermission(_ context: Context, _ caller: AdminCaller, granted: Bool) async throws -> Response {
        let (role, permission) = (try Self.parameter(context, "role"), try Self.parameter(context, "permission"))
        try await deps.accessService(for: caller).setPermission(permission, role: role, granted: granted)
        return Self.noContent
    }

    private func setMember(_ context: Context, _ caller: AdminCaller, member: Bool) async throws -> Response {
        let user = try await user(context)
        try await deps.accessService(for: caller).setMember(user, group: try Self.parameter(context, "group"), member: member)
        return Self.noContent
    }

    private func setGroupRole(_ context: Context, _ caller: AdminCaller, granted: Bool) async throws -> Response {
        let (group, role) = (try Self.parameter(context, "group"), try Self.parameter(context, "role"))
        try await deps.accessService(for: caller).setRole(role, group: group, granted: granted)
        return Self.noContent
    }
}
