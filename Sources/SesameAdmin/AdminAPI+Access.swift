import Foundation
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
            if let app = body.app {
                let names = try await deps.clients.clients().map(\.name) + deps.cas.casServices().map(\.name)
                guard names.contains(where: { $0.lowercased() == app.lowercased() }) else { throw AccessError.unknownApp(app) }
            }
            let name = RoleName.qualified(body.name, app: body.app?.lowercased())
            try RoleName.check(name, what: "role")
            for permission in body.permissions ?? [] { try RoleName.checkPermission(permission) }
            try await deps.access.insert(Role(name: name, description: body.description, permissions: body.permissions ?? [], createdAt: Date()))
            await record("role.created", caller, subject: name.lowercased(), changes: ["permissions": ([], (body.permissions ?? []).sorted())])
            guard let role = try await deps.access.role(name: name) else { throw Problem.notFound("the role") }
            return try Self.json(RoleView(role), status: .created)
        })
        api.get("roles/:role", use: guarded { _, context, _ in try Self.json(RoleView(try await role(context))) })
        api.delete("roles/:role", use: guarded { _, context, caller in
            let name = try Self.parameter(context, "role")
            guard try await deps.access.deleteRole(name: name) else { throw Problem.notFound("the role") }
            await record("role.deleted", caller, subject: name.lowercased())
            return Self.noContent
        })
        api.put("roles/:role/permissions/:permission", use: guarded { _, context, caller in
            try await setPermission(context, caller, granted: true)
        })
        api.delete("roles/:role/permissions/:permission", use: guarded { _, context, caller in
            try await setPermission(context, caller, granted: false)
        })

        api.get("groups", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.access.groups().map(GroupView.init))) })
        api.post("groups", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(GroupCreate.self, allowing: GroupCreate.members, from: request)
            try RoleName.check(body.name, what: "group", allowsApp: false)
            try await deps.access.insert(Group(name: body.name, description: body.description, roles: body.roles ?? [], createdAt: Date()))
            await record("group.created", caller, subject: body.name.lowercased(), changes: ["roles": ([], (body.roles ?? []).map { $0.lowercased() }.sorted())])
            guard let group = try await deps.access.group(name: body.name) else { throw Problem.notFound("the group") }
            return try Self.json(GroupView(group), status: .created)
        })
        api.get("groups/:group", use: guarded { _, context, _ in try Self.json(GroupView(try await group(context))) })
        api.delete("groups/:group", use: guarded { _, context, caller in
            let name = try Self.parameter(context, "group")
            guard try await deps.access.deleteGroup(name: name) else { throw Problem.notFound("the group") }
            await record("group.deleted", caller, subject: name.lowercased())
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
        let role = try await role(context)
        let permission = try Self.parameter(context, "permission")
        try RoleName.checkPermission(permission)
        try await deps.access.setPermission(permission, role: role.name, granted: granted)
        let after = granted ? Array(Set(role.permissions + [permission])).sorted() : role.permissions.filter { $0 != permission }
        await record(granted ? "role.permission_granted" : "role.permission_revoked", caller, subject: role.name, changes: ["permissions": (role.permissions, after)])
        return Self.noContent
    }

    private func setMember(_ context: Context, _ caller: AdminCaller, member: Bool) async throws -> Response {
        let user = try await user(context)
        let group = try Self.parameter(context, "group").lowercased()
        try await deps.access.setMember(userID: user.id, group: group, member: member)
        let after = member ? Array(Set(user.groups + [group])).sorted() : user.groups.filter { $0 != group }
        await record(member ? "group.member_added" : "group.member_removed", caller, subject: user.id, changes: ["groups": (user.groups, after)])
        return Self.noContent
    }

    private func setGroupRole(_ context: Context, _ caller: AdminCaller, granted: Bool) async throws -> Response {
        let group = try await group(context)
        let role = try Self.parameter(context, "role").lowercased()
        try await deps.access.setRole(role, group: group.name, granted: granted)
        let after = granted ? Array(Set(group.roles + [role])).sorted() : group.roles.filter { $0 != role }
        await record(granted ? "group.role_added" : "group.role_removed", caller, subject: group.name, changes: ["roles": (group.roles, after)])
        return Self.noContent
    }
}
