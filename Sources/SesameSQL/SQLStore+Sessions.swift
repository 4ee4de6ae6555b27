import Foundation
import SesameCore

extension SQLStore: SessionStore {
    public func insert(_ session: SessionRecord) async throws {
        _ = try await write { db in
            try await db.query(
                "INSERT INTO sessions (id_digest, user_id, created_at, last_seen_at, authenticated_at, auth_methods) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(session.idDigest), .text(session.userID), session.createdAt.sql, session.lastSeenAt.sql,
                 session.authenticatedAt.sql, .text(Self.json(session.authMethods))]
            )
        }
    }

    public func session(idDigest: String) async throws -> SessionRecord? {
        try await read { db in
            try await db.query("SELECT * FROM sessions WHERE id_digest = ?", [.text(idDigest)]).first.map(Self.sessionRecord)
        }
    }

    public func sessions(userID: String) async throws -> [SessionRecord] {
        try await read { db in
            try await db.query("SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at DESC", [.text(userID)]).map(Self.sessionRecord)
        }
    }

    @Sendable static func sessionRecord(_ row: SQLRow) -> SessionRecord {
        SessionRecord(
            idDigest: row.text("id_digest") ?? "", userID: row.text("user_id") ?? "",
            createdAt: row.date("created_at"), lastSeenAt: row.date("last_seen_at"),
            authenticatedAt: row.date("authenticated_at"), authMethods: list(row.text("auth_methods"))
        )
    }

    public func touch(idDigest: String, at: Date) async throws {
        _ = try await write { try await $0.query("UPDATE sessions SET last_seen_at = ? WHERE id_digest = ?", [at.sql, .text(idDigest)]) }
    }

    public func delete(idDigest: String) async throws {
        _ = try await write { try await $0.query("DELETE FROM sessions WHERE id_digest = ?", [.text(idDigest)]) }
    }

    public func endSession(idDigest: String, at: Date, includingOfflineAccess: Bool) async throws {
        let sid = Self.sid(ofDigest: idDigest)
        try await transaction { db in
            _ = try await db.query("DELETE FROM sessions WHERE id_digest = ?", [.text(idDigest)])
            let rows = try await db.query("SELECT family_id, scope FROM refresh_tokens WHERE session_id = ?", [.text(sid)])
            let offline = rows.filter { ($0.text("scope") ?? "").split(separator: " ").contains("offline_access") }.compactMap { $0.text("family_id") }
            let families = Set(rows.compactMap { $0.text("family_id") }).subtracting(includingOfflineAccess ? [] : offline)
            try await Self.revokeFamilies(families, at: at, db)
            _ = try await db.query("DELETE FROM cas_tickets WHERE session_id = ? AND kind IN ('PGT', 'PT')", [.text(sid)])
            _ = try await db.query("DELETE FROM session_clients WHERE session_id = ?", [.text(sid)])
        }
    }

    public func deleteSessions(userID: String) async throws {
        // The port takes no time here; revoked_at only decides when the row may be purged.
        let at = Date()
        try await transaction { db in
            let sids = try await db.query("SELECT id_digest FROM sessions WHERE user_id = ?", [.text(userID)]).compactMap { $0.text("id_digest") }.map(Self.sid(ofDigest:))
            _ = try await db.query("DELETE FROM sessions WHERE user_id = ?", [.text(userID)])
            let families = try await db.query("SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ?", [.text(userID)]).compactMap { $0.text("family_id") }
            try await Self.revokeFamilies(Set(families), at: at, db)
            _ = try await db.query("DELETE FROM cas_tickets WHERE user_id = ? AND kind IN ('PGT', 'PT')", [.text(userID)])
            for sid in sids {
                _ = try await db.query("DELETE FROM session_clients WHERE session_id = ?", [.text(sid)])
            }
        }
    }

    /// As `revokeFamily` does for one: later refreshes and the family's access tokens are refused.
    private static func revokeFamilies(_ families: Set<String>, at: Date, _ db: any SQLConnection) async throws {
        for family in families.sorted() {
            _ = try await db.query("INSERT INTO revoked_families (family_id, revoked_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(family), at.sql])
            _ = try await db.query("UPDATE refresh_tokens SET used_at = COALESCE(used_at, ?) WHERE family_id = ?", [at.sql, .text(family)])
        }
    }

    private static func sid(ofDigest digest: String) -> String {
        SessionRecord(idDigest: digest, userID: "", createdAt: .distantPast, lastSeenAt: .distantPast, authenticatedAt: .distantPast).sid
    }

    public func recordClient(_ clientID: String, sessionID: String, at: Date) async throws {
        _ = try await write { db in
            try await db.query(
                "INSERT INTO session_clients (session_id, client_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [.text(sessionID), .text(clientID), at.sql]
            )
        }
    }

    public func clientIDs(sessionID: String) async throws -> [String] {
        try await read { db in
            try await db.query("SELECT client_id FROM session_clients WHERE session_id = ?", [.text(sessionID)]).compactMap { $0.text("client_id") }
        }
    }

    public func deleteExpired(createdBefore: Date, idleBefore: Date) async throws {
        _ = try await write { db in
            try await db.query("DELETE FROM sessions WHERE created_at < ? OR last_seen_at < ?", [createdBefore.sql, idleBefore.sql])
        }
        // No session older than the absolute lifetime is alive, so neither is its list of apps.
        _ = try await write { try await $0.query("DELETE FROM session_clients WHERE created_at < ?", [createdBefore.sql]) }
    }
}
