
import SesameCore

extension SQLStore: UserStore {
    public func insert(_ user: User) async throws {
        try await insert(all: [user])
    }

    public func insert(all users: [User]) async throws {
        try await transaction { db in
            for user in users {
                try await Self.insertRow(user, db)
                try await Self.writeNames(user, db)
            }
        }
    }

    public func user(id: String) async throws -> User? {
        try await fetchUsers(where: "id = ?", [.text(id)]).first
    }

    public func user(username: String) async throws -> User? {
        try await fetchUsers(where: "username = ?", [.text(username)]).first
    }

    public func user(login: String) async throws -> User? {
        // Usernames cannot contain '@', so at most one of the two can match.
        try await fetchUsers(where: "username = ?1 OR email = ?1", [.text(login)]).first
    }

    public func users() async throws -> [User] {
        try await fetchUsers(where: "1 = 1", [])
    }

    public func update(_ user: User) async throws {
        try await transaction { db in
            do {
                _ = try await db.query(
                    "UPDATE users SET username = ?, email = ?, name = ?, password_hash = ?, disabled = ?, updated_at = ? WHERE id = ?",
                    [.text(user.username), user.email.sql, user.name.sql, .text(Self.storedHash(user.passwordHash)),
                     .integer(user.disabled ? 1 : 0), user.updatedAt.sql, .text(user.id)]
                )
            } catch let error as SQLError {
                throw Self.accountError(error, user) ?? error
            }
            // A loaded user carries its directory memberships too: only the locally given ones are written back.
            var local = user
            local.groups = try await Self.localNames(user.groups, userID: user.id, local: "user_groups", directory: "directory_user_groups", db)
            local.roles = try await Self.localNames(user.roles, userID: user.id, local: "user_roles", directory: "directory_user_roles", db)
            _ = try await db.query("DELETE FROM user_groups WHERE user_id = ?", [.text(user.id)])
            _ = try await db.query("DELETE FROM user_roles WHERE user_id = ?", [.text(user.id)])
            try await Self.writeNames(local, db)
        }
    }

    /// The names of `names` that are given locally: those the directory does not give, and those
    /// given both ways that were already local.
    private static func localNames(_ names: [String], userID: String, local: String, directory: String, _ db: any SQLConnection) async throws -> [String] {
        let fromDirectory = Set(try await db.query("SELECT name FROM \(directory) WHERE user_id = ?", [.text(userID)]).compactMap { $0.text("name") })
        guard !fromDirectory.isEmpty else { return names }
        let wasLocal = Set(try await db.query("SELECT name FROM \(local) WHERE user_id = ?", [.text(userID)]).compactMap { $0.text("name") })
        return names.filter { !fromDirectory.contains($0.lowercased()) || wasLocal.contains($0.lowercased()) }
    }

    /// `password_hash` stays NOT NULL (SQLite would have to rebuild `users`, which other tables
    /// reference, to drop that): an empty string is a person without a local password.
    static func storedHash(_ hash: String?) -> String { hash ?? "" }

    public func replacePasswordHash(userID: String, old: String, new: String) async throws {
        _ = try await write { db in
            try await db.query(
                "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", [.text(new), .text(userID), .text(old)]
            )
        }
    }

    public func delete(userID: String) async throws -> Bool {
        try await transaction { db in
            let rows = try await db.query("DELETE FROM users WHERE id = ? RETURNING id", [.text(userID)])
            return !rows.isEmpty
        }
    }

    func fetchUsers(where condition: String, _ binds: [SQLValue]) async throws -> [User] {
        try await read { db in
            let rows = try await db.query("SELECT * FROM users WHERE \(condition) ORDER BY username", binds)
            guard !rows.isEmpty else { return [] }
            let access = try await Self.access(of: rows.compactMap { $0.text("id") }, db)
            return rows.map { row in
                let id = row.text("id") ?? ""
                let mine = access[id] ?? Access()
                var user = User(
                    id: id, username: row.text("username") ?? "", email: row.text("email"), name: row.text("name"),
                    passwordHash: row.text("password_hash").flatMap { $0.isEmpty ? nil : $0 }, disabled: row.int("disabled") != 0,
                    groups: mine.groups, roles: mine.roles,
                    createdAt: row.date("created_at"), updatedAt: row.date("updated_at")
                )
                user.inheritedRoles = mine.inheritedRoles
                user.permissions = mine.permissions
                return user
            }
        }
    }

    /// What users are given, directly and through their groups.
    private struct Access {
        var groups: [String] = []
        var roles: [String] = []
        var inheritedRoles: [String] = []
        var permissions: [String: [String]] = [:]
    }

    /// Groups, roles, roles that come with the groups, and each role's permissions, of `ids`: one
    /// query rather than one per kind, since a user is loaded on every signed-in request. Memberships
    /// that come from a directory count exactly as locally given ones (UNION keeps each name once).
    private static func access(of ids: [String], _ db: any SQLConnection) async throws -> [String: Access] {
        let list = SQLInList(ids.map { SQLValue.text($0) })
        let placeholders = list.placeholders
        let groups = "(SELECT user_id, name FROM user_groups UNION SELECT user_id, name FROM directory_user_groups)"
        let roles = "(SELECT user_id, name FROM user_roles UNION SELECT user_id, name FROM directory_user_roles)"
        let rows = try await db.query(
            """
            SELECT user_id, 'group' AS kind, name, CAST(NULL AS TEXT) AS role FROM \(groups) g WHERE user_id IN (\(placeholders))
            UNION SELECT user_id, 'role', name, NULL FROM \(roles) r WHERE user_id IN (\(placeholders))
            UNION SELECT ug.user_id, 'inherited', gr.role, NULL FROM \(groups) ug JOIN group_roles gr ON gr.group_name = ug.name
                WHERE ug.user_id IN (\(placeholders))
            UNION SELECT given.user_id, 'permission', rp.permission, rp.role
                FROM (SELECT user_id, name AS role FROM \(roles) r UNION
                      SELECT ug.user_id, gr.role FROM \(groups) ug JOIN group_roles gr ON gr.group_name = ug.name) given
                JOIN role_permissions rp ON rp.role = given.role WHERE given.user_id IN (\(placeholders))
            ORDER BY 3
            """,
            Array(repeating: list.values, count: 4).flatMap { $0 }
        )
        var access = [String: Access]()
        for row in rows {
            guard let id = row.text("user_id"), let name = row.text("name") else { continue }
            switch row.text("kind") {
            case "group": access[id, default: Access()].groups.append(name)
            case "role": access[id, default: Access()].roles.append(name)
            case "inherited": access[id, default: Access()].inheritedRoles.append(name)
            default: access[id, default: Access()].permissions[row.text("role") ?? "", default: []].append(name)
            }
        }
        return access
    }

    static func permissions(of roles: [String], _ db: any SQLConnection) async throws -> [String: [String]] {
        guard !roles.isEmpty else { return [:] }
        let list = SQLInList(roles.map { SQLValue.text($0) })
        let rows = try await db.query("SELECT role, permission FROM role_permissions WHERE role IN (\(list.placeholders)) ORDER BY permission", list.values)
        return Dictionary(grouping: rows, by: { $0.text("role") ?? "" }).mapValues { $0.compactMap { $0.text("permission") } }
    }

    private static func insertRow(_ user: User, _ db: any SQLConnection) async throws {
        do {
            _ = try await db.query(
                """
                INSERT INTO users (id, username, email, name, password_hash, disabled, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(user.id), .text(user.username), user.email.sql, user.name.sql, .text(Self.storedHash(user.passwordHash)),
                 .integer(user.disabled ? 1 : 0), user.createdAt.sql, user.updatedAt.sql]
            )
        } catch let error as SQLError {
            throw accountError(error, user) ?? error
        }
    }

    /// Writes the user's direct groups and roles (in lower case), creating groups and roles that
    /// do not exist yet (so a users-file import brings its roles and groups with it).
    private static func writeNames(_ user: User, _ db: any SQLConnection) async throws {
        for group in Set(user.groups.map { $0.lowercased() }) {
            _ = try await db.query("INSERT INTO access_groups (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(group), user.updatedAt.sql])
            _ = try await db.query("INSERT INTO user_groups (user_id, name) VALUES (?, ?)", [.text(user.id), .text(group)])
        }
        for role in Set(user.roles.map { $0.lowercased() }) {
            _ = try await db.query("INSERT INTO roles (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(role), user.updatedAt.sql])
            _ = try await db.query("INSERT INTO user_roles (user_id, name) VALUES (?, ?)", [.text(user.id), .text(role)])
        }
    }

    /// Turns a uniqueness violation into the account error it means.
    private static func accountError(_ error: SQLError, _ user: User) -> AccountError? {
        if error.isUniqueViolation(of: "users.username") { return .duplicateUsername(user.username) }
        if error.isUniqueViolation(of: "users.email") { return .duplicateEmail(user.email ?? "") }
        return nil
    }
}
