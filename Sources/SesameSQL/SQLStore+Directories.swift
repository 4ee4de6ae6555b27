import Foundation
import SesameCore

/// A directory's row: its configuration as JSON without the bind password, which is sealed with
/// the data key (the sealing is the caller's, as for signing keys: the store never sees the key).
public struct StoredDirectory: Sendable, Equatable {
    public var name: String
    public var position: Int
    public var configuration: String
    public var sealedBindPassword: [UInt8]
    public var createdAt: Date
    public var updatedAt: Date

    public init(name: String, position: Int, configuration: String, sealedBindPassword: [UInt8], createdAt: Date, updatedAt: Date) {
        self.name = name
        self.position = position
        self.configuration = configuration
        self.sealedBindPassword = sealedBindPassword
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A directory name is taken.
public struct DuplicateDirectory: Error, Equatable, Sendable {
    public let name: String
    public init(name: String) { self.name = name }
}

extension SQLStore {
    /// Every directory, in position order (then by name).
    public func storedDirectories() async throws -> [StoredDirectory] {
        try await read { db in
            try await db.query("SELECT * FROM directories ORDER BY position, name").map(Self.storedDirectory)
        }
    }

    public func storedDirectory(name: String) async throws -> StoredDirectory? {
        try await read { db in
            try await db.query("SELECT * FROM directories WHERE name = ?", [.text(name)]).first.map(Self.storedDirectory)
        }
    }

    public func insertDirectory(_ directory: StoredDirectory) async throws {
        try await write { db in
            do {
                _ = try await db.query(
                    """
                    INSERT INTO directories (name, position, configuration, sealed_bind_password, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    [.text(directory.name), .integer(directory.position), .text(directory.configuration), .blob(directory.sealedBindPassword),
                     directory.createdAt.sql, directory.updatedAt.sql]
                )
            } catch let error as SQLError where error.isUniqueViolation(of: "directories.name") {
                throw DuplicateDirectory(name: directory.name)
            }
        }
    }

    /// Replaces everything but the creation time; false when there is no such directory.
    public func updateDirectory(_ directory: StoredDirectory) async throws -> Bool {
        try await write { db in
            try await !db.query(
                "UPDATE directories SET position = ?, configuration = ?, sealed_bind_password = ?, updated_at = ? WHERE name = ? RETURNING name",
                [.integer(directory.position), .text(directory.configuration), .blob(directory.sealedBindPassword), directory.updatedAt.sql,
                 .text(directory.name)]
            ).isEmpty
        }
    }

    /// Removes the configuration only: its users keep their links and memberships, so adding a
    /// directory of the same name again finds them by immutable id.
    public func deleteDirectory(name: String) async throws -> Bool {
        try await write { db in
            try await !db.query("DELETE FROM directories WHERE name = ? RETURNING name", [.text(name)]).isEmpty
        }
    }

    private static func storedDirectory(_ row: SQLRow) -> StoredDirectory {
        StoredDirectory(
            name: row.text("name") ?? "", position: row.int("position"), configuration: row.text("configuration") ?? "{}",
            sealedBindPassword: row.column("sealed_bind_password")?.bytes ?? [], createdAt: row.date("created_at"), updatedAt: row.date("updated_at")
        )
    }
}

/// The entry is already linked to another user of that directory.
public struct DuplicateDirectoryLink: Error, Equatable, Sendable {
    public let directory: String
    public let immutableID: String
    public init(directory: String, immutableID: String) {
        self.directory = directory
        self.immutableID = immutableID
    }
}

extension SQLStore {
    /// Creates or moves the user's link (a user stands for one entry of one directory).
    public func saveLink(_ link: DirectoryLink) async throws {
        try await write { db in
            do {
                _ = try await db.query(
                    """
                    INSERT INTO directory_links (user_id, directory, immutable_id, dn, last_seen_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET directory = excluded.directory, immutable_id = excluded.immutable_id,
                        dn = excluded.dn, last_seen_at = excluded.last_seen_at
                    """,
                    [.text(link.userID), .text(link.directory), .text(link.immutableID), .text(link.dn), link.lastSeenAt.sql]
                )
            } catch SQLError.uniqueViolation(let columns) where columns.hasPrefix("directory_links.directory") {
                // SQLite names "directory_links.directory, directory_links.immutable_id", PostgreSQL "directory_links.directory, immutable_id".
                throw DuplicateDirectoryLink(directory: link.directory, immutableID: link.immutableID)
            }
        }
    }

    public func link(userID: String) async throws -> DirectoryLink? {
        try await read { db in
            try await db.query("SELECT * FROM directory_links WHERE user_id = ?", [.text(userID)]).first.map(Self.storedLink)
        }
    }

    public func link(directory: String, immutableID: String) async throws -> DirectoryLink? {
        try await read { db in
            try await db.query("SELECT * FROM directory_links WHERE directory = ? AND immutable_id = ?", [.text(directory), .text(immutableID)])
                .first.map(Self.storedLink)
        }
    }

    /// The user linked to this entry of this directory, with everything a loaded user carries.
    public func linkedUser(directory: String, immutableID: String) async throws -> User? {
        try await fetchUsers(
            where: "id = (SELECT user_id FROM directory_links WHERE directory = ? AND immutable_id = ?)", [.text(directory), .text(immutableID)]
        ).first
    }

    /// Every link of a directory, by DN.
    public func links(directory: String) async throws -> [DirectoryLink] {
        try await read { db in
            try await db.query("SELECT * FROM directory_links WHERE directory = ? ORDER BY dn", [.text(directory)]).map(Self.storedLink)
        }
    }

    /// Replaces the groups and roles the directory gives the user (local ones are untouched).
    /// Names are kept in lower case and created when missing, as an import does, so they show in
    /// `sesame group list` and group rules may give them roles.
    public func setDirectoryMemberships(userID: String, groups: [String], roles: [String], at: Date) async throws {
        try await transaction { db in
            _ = try await db.query("DELETE FROM directory_user_groups WHERE user_id = ?", [.text(userID)])
            _ = try await db.query("DELETE FROM directory_user_roles WHERE user_id = ?", [.text(userID)])
            for group in Set(groups.map { $0.lowercased() }) {
                _ = try await db.query("INSERT INTO access_groups (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(group), at.sql])
                _ = try await db.query("INSERT INTO directory_user_groups (user_id, name) VALUES (?, ?)", [.text(userID), .text(group)])
            }
            for role in Set(roles.map { $0.lowercased() }) {
                _ = try await db.query("INSERT INTO roles (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(role), at.sql])
                _ = try await db.query("INSERT INTO directory_user_roles (user_id, name) VALUES (?, ?)", [.text(userID), .text(role)])
            }
        }
    }

    /// What the directory gives the user, apart from what was given locally.
    public func directoryMemberships(userID: String) async throws -> (groups: [String], roles: [String]) {
        try await read { db in
            let groups = try await db.query("SELECT name FROM directory_user_groups WHERE user_id = ? ORDER BY name", [.text(userID)])
            let roles = try await db.query("SELECT name FROM directory_user_roles WHERE user_id = ? ORDER BY name", [.text(userID)])
            return (groups.compactMap { $0.text("name") }, roles.compactMap { $0.text("name") })
        }
    }

    private static func storedLink(_ row: SQLRow) -> DirectoryLink {
        DirectoryLink(
            userID: row.text("user_id") ?? "", directory: row.text("directory") ?? "", immutableID: row.text("immutable_id") ?? "",
            dn: row.text("dn") ?? "", lastSeenAt: row.date("last_seen_at")
        )
    }
}

/// The directory port on a SQL store: configurations are stored as JSON (which never holds the
/// bind password) and the bind password sealed with the data key, bound to the directory's name
/// so a sealed password cannot be moved to another directory's row.
public struct SealedDirectoryStore: DirectoryStore {
    public let store: SQLStore
    private let sealer: KeySealer

    public init(store: SQLStore, sealer: KeySealer) {
        self.store = store
        self.sealer = sealer
    }

    static func sealingContext(_ name: String) -> String { "directory-bind-password:" + name }

    public func directories() async throws -> [DirectoryConfiguration] {
        try await store.storedDirectories().map(open)
    }

    public func directory(name: String) async throws -> DirectoryConfiguration? {
        try await store.storedDirectory(name: name).map(open)
    }

    public func insert(_ configuration: DirectoryConfiguration) async throws {
        do {
            try await store.insertDirectory(try stored(configuration))
        } catch is DuplicateDirectory {
            throw DirectoryConfigurationError.duplicate(configuration.name)
        }
    }

    public func update(_ configuration: DirectoryConfiguration) async throws {
        guard try await store.updateDirectory(try stored(configuration)) else { throw DirectoryConfigurationError.unknown(configuration.name) }
    }

    public func deleteDirectory(name: String) async throws -> Bool { try await store.deleteDirectory(name: name) }
    public func link(directory: String, immutableID: String) async throws -> DirectoryLink? { try await store.link(directory: directory, immutableID: immutableID) }
    public func link(userID: String) async throws -> DirectoryLink? { try await store.link(userID: userID) }
    public func links(directory: String) async throws -> [DirectoryLink] { try await store.links(directory: directory) }
    public func saveLink(_ link: DirectoryLink) async throws { try await store.saveLink(link) }

    public func setDirectoryMemberships(userID: String, groups: [String], roles: [String]) async throws {
        // Only the creation time of a group or role a rule names for the first time.
        try await store.setDirectoryMemberships(userID: userID, groups: groups, roles: roles, at: Date())
    }

    public func directoryMemberships(userID: String) async throws -> (groups: [String], roles: [String]) {
        try await store.directoryMemberships(userID: userID)
    }

    private func stored(_ configuration: DirectoryConfiguration) throws -> StoredDirectory {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let now = Date()
        return StoredDirectory(
            name: configuration.name, position: configuration.position,
            configuration: String(decoding: try encoder.encode(configuration), as: UTF8.self),
            sealedBindPassword: try sealer.seal(Array(configuration.bindPassword.utf8), context: Self.sealingContext(configuration.name)),
            createdAt: now, updatedAt: now
        )
    }

    private func open(_ row: StoredDirectory) throws -> DirectoryConfiguration {
        var configuration = try JSONDecoder().decode(DirectoryConfiguration.self, from: Data(row.configuration.utf8))
        configuration.bindPassword = String(decoding: try sealer.open(row.sealedBindPassword, context: Self.sealingContext(row.name)), as: UTF8.self)
        return configuration
    }
}
