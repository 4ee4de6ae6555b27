import Foundation
import SesameCore

extension SQLStore: AccessStore {
    public func insert(_ role: Role) async throws {
        try await transaction { db in
            do {
                _ = try await db.query(
                    "INSERT INTO roles (name, description, created_at) VALUES (?, ?, ?)", [.text(role.name.lowercased()), role.description.sql, role.createdAt.sql]
                )
            } catch let error as SQLError where error.isUniqueViolation(of: "roles.name") {
                throw AccessError.duplicateRole(role.name)
            }
            for permission in Set(role.permissions) {
                _ = try await db.query("INSERT INTO role_permissions (role, permission) VALUES (?, ?)", [.text(role.name.lowercased()), .text(permission)])
            }
        }
    }

    public func roles() async throws -> [Role] {
        try await fetchRoles("1 = 1", [])
    }

    public func role(name: String) async throws -> Role? {
        try await fetchRoles("name = ?", [.text(name.lowercased())]).first
    }

    public func deleteRole(name: String) async throws -> Bool {
        let name = name.lowercased()
        return try await transaction { db in
            for statement in [
                "DELETE FROM user_roles WHERE name = ?", "DELETE FROM directory_user_roles WHERE name = ?", "DELETE FROM group_roles WHERE role = ?",
                "DELETE FROM role_permissions WHERE role = ?",
            ] {
                _ = try await db.query(statement, [.text(name)])
            }
            return try await !db.query("DELETE FROM roles WHERE name = ? RETURNING name", [.text(name)]).isEmpty
        }
    }

    public func setPermission(_ permission: String, role: String, granted: Bool) async throws {
        let role = role.lowercased()
        try await transaction { db in
            try await Self.requireRole(role, db)
            _ = try await db.query(
                granted ? "INSERT INTO role_permissions (role, permission) VALUES (?, ?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM role_permissions WHERE role = ? AND permission = ?",
                [.text(role), .text(permission)]
            )
        }
    }

    public func insert(_ group: Group) async throws {
        try await transaction { db in
            do {
                _ = try await db.query(
                    "INSERT INTO access_groups (name, description, created_at) VALUES (?, ?, ?)",
                    [.text(group.name.lowercased()), group.description.sql, group.createdAt.sql]
                )
            } catch let error as SQLError where error.isUniqueViolation(of: "access_groups.name") {
                throw AccessError.duplicateGroup(group.name)
            }
            for role in Set(group.roles.map { $0.lowercased() }) {
                try await Self.requireRole(role, db)
                _ = try await db.query("INSERT INTO group_roles (group_name, role) VALUES (?, ?)", [.text(group.name.lowercased()), .text(role)])
            }
        }
    }

    public func groups() async throws -> [Group] {
        try await fetchGroups("1 = 1", [])
    }

    public func group(name: String) async throws -> Group? {
        try await fetchGroups("name = ?", [.text(name.lowercased())]).first
    }

    public func deleteGroup(name: String) async throws -> Bool {
        let name = name.lowercased()
        return try await transaction { db in
            _ = try await db.query("DELETE FROM user_groups WHERE name = ?", [.text(name)])
            _ = try await db.query("DELETE FROM directory_user_groups WHERE name = ?", [.text(name)])
            _ = try await db.query("DELETE FROM group_roles WHERE group_name = ?", [.text(name)])
            return try await !db.query("DELETE FROM access_groups WHERE name = ? RETURNING name", [.text(name)]).isEmpty
        }
    }

    public func setRole(_ role: String, group: String, granted: Bool) async throws {
        let (role, group) = (role.lowercased(), group.lowercased())
        try await transaction { db in
            try await Self.requireGroup(group, db)
            try await Self.requireRole(role, db)
            _ = try await db.query(
                granted ? "INSERT INTO group_roles (group_name, role) VALUES (?, ?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM group_roles WHERE group_name = ? AND role = ?",
                [.text(group), .text(role)]
            )
        }
    }

    public func setRole(_ role: String, userID: String, granted: Bool) async throws {
        let role = role.lowercased()
        try await transaction { db in
            try await Self.requireRole(role, db)
            _ = try await db.query(
                granted ? "INSERT INTO user_roles (user_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM user_roles WHERE user_id = ? AND name = ?",
                [.text(userID), .text(role)]
            )
        }
    }

    public func setMember(userID: String, group: String, member: Bool) async throws {
        let group = group.lowercased()
        try await transaction { db in
            try await Self.requireGroup(group, db)
            _ = try await db.query(
                member ? "INSERT INTO user_groups (user_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM user_groups WHERE user_id = ? AND name = ?",
                [.text(userID), .text(group)]
            )
        }
    }

    private static func requireRole(_ name: String, _ db: any SQLConnection) async throws {
        if try await db.query("SELECT 1 FROM roles WHERE name = ?", [.text(name)]).isEmpty { throw AccessError.unknownRole(name) }
    }

    private static func requireGroup(_ name: String, _ db: any SQLConnection) async throws {
        if try await db.query("SELECT 1 FROM access_groups WHERE name = ?", [.text(name)]).isEmpty { throw AccessError.unknownGroup(name) }
    }

    private func fetchRoles(_ condition: String, _ binds: [SQLValue]) async throws -> [Role] {
        try await read { db in
            let rows = try await db.query("SELECT * FROM roles WHERE \(condition) ORDER BY name", binds)
            let permissions = try await Self.permissions(of: rows.compactMap { $0.text("name") }, db)
            return rows.map { row in
                let name = row.text("name") ?? ""
                return Role(name: name, description: row.text("description"), permissions: permissions[name] ?? [], createdAt: row.date("created_at"))
            }
        }
    }

    private func fetchGroups(_ condition: String, _ binds: [SQLValue]) async throws -> [Group] {
        try await read { db in
            try await db.query("SELECT * FROM access_groups WHERE \(condition) ORDER BY name", binds).asyncMap { row in
                let name = row.text("name") ?? ""
                let roles = try await db.query("SELECT role FROM group_roles WHERE group_name = ? ORDER BY role", [.text(name)]).compactMap { $0.text("role") }
                let members = try await db.query(
                    """
                    SELECT u.username FROM (SELECT user_id, name FROM user_groups UNION SELECT user_id, name FROM directory_user_groups) ug
                        JOIN users u ON u.id = ug.user_id WHERE ug.name = ? ORDER BY u.username
                    """, [.text(name)]
                ).compactMap { $0.text("username") }
                return Group(name: name, description: row.text("description"), roles: roles, members: members, createdAt: row.date("created_at"))
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
