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

    public func deleteSessions(userID: String) async throws {
        _ = try await write { try await $0.query("DELETE FROM sessions WHERE user_id = ?", [.text(userID)]) }
    }

    public func deleteExpired(createdBefore: Date, idleBefore: Date) async throws {
        _ = try await write { db in
            try await db.query("DELETE FROM sessions WHERE created_at < ? OR last_seen_at < ?", [createdBefore.sql, idleBefore.sql])
        }
    }
}
