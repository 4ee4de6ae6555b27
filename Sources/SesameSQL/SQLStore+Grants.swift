import Foundation

import SesameCore

extension SQLStore: AuthorizationCodeStore {
    public func insert(_ code: AuthorizationCodeRecord) async throws {
        _ = try await write { db in
            try await db.query(
                """
                INSERT INTO authorization_codes (digest, family_id, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
                    session_id, auth_time, created_at, expires_at, auth_methods) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(code.digest), .text(code.familyID), .text(code.clientID), .text(code.userID), .text(code.redirectURI),
                 .text(code.scope), code.nonce.sql, code.codeChallenge.sql, code.sessionID.sql, code.authTime.sql,
                 code.createdAt.sql, code.expiresAt.sql, .text(Self.json(code.authMethods))]
            )
        }
    }

    public func consumeCode(digest: String, at: Date) async throws -> Consumption<AuthorizationCodeRecord> {
        try await consume(table: "authorization_codes", digest: digest, at: at) { row in
            AuthorizationCodeRecord(
                digest: row.text("digest") ?? "", familyID: row.text("family_id") ?? "", clientID: row.text("client_id") ?? "",
                userID: row.text("user_id") ?? "", redirectURI: row.text("redirect_uri") ?? "", scope: row.text("scope") ?? "",
                nonce: row.text("nonce"), codeChallenge: row.text("code_challenge"), sessionID: row.text("session_id"),
                authTime: row.date("auth_time"), authMethods: Self.list(row.text("auth_methods")),
                createdAt: row.date("created_at"), expiresAt: row.date("expires_at")
            )
        }
    }

    /// One UPDATE that only succeeds on an unused row: of concurrent callers, exactly one wins.
    func consume<Record: Sendable>(
        table: String, digest: String, at: Date, _ decode: @escaping @Sendable (SQLRow) -> Record
    ) async throws -> Consumption<Record> {
        try await write { db in
            if let row = try await db.query(
                "UPDATE \(table) SET used_at = ? WHERE digest = ? AND used_at IS NULL RETURNING *", [at.sql, .text(digest)]
            ).first {
                return .consumed(decode(row))
            }
            if let row = try await db.query("SELECT * FROM \(table) WHERE digest = ?", [.text(digest)]).first {
                return .alreadyUsed(decode(row))
            }
            return .notFound
        }
    }
}

extension SQLStore: TokenStore {
    public func insert(_ token: RefreshTokenRecord) async throws {
        _ = try await write { db in try await Self.insert(token, on: db) }
    }

    static func insert(_ token: RefreshTokenRecord, on db: any SQLConnection) async throws {
        _ = try await db.query(
            """
            INSERT INTO refresh_tokens (digest, family_id, client_id, user_id, scope, session_id, auth_time, created_at, expires_at,
                auth_methods) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (digest) DO NOTHING
            """,
            [.text(token.digest), .text(token.familyID), .text(token.clientID), .text(token.userID), .text(token.scope),
             token.sessionID.sql, token.authTime.sql, token.createdAt.sql, token.expiresAt.sql,
             .text(Self.json(token.authMethods))]
        )
    }

    public func rotateRefreshToken(digest: String, at: Date, successor: RefreshTokenRecord) async throws -> RefreshRotation {
        if database.dialect.writableCTEs { return try await rotateInOneStatement(digest: digest, at: at, successor: successor) }
        return try await transaction { db in
            guard let row = try await db.query(
                "UPDATE refresh_tokens SET used_at = ? WHERE digest = ? AND used_at IS NULL RETURNING *", [at.sql, .text(digest)]
            ).first else { return try await Self.usedOrUnknown(digest, on: db) }
            let consumed = Self.refreshRecord(row)
            // revokeFamily marks every stored token of the family used, in one transaction with
            // this row; a token stored after that (a rotation racing it) is caught here.
            if try await !db.query("SELECT 1 FROM revoked_families WHERE family_id = ?", [.text(consumed.familyID)]).isEmpty {
                return .familyRevoked(consumed)
            }
            try await Self.insert(successor, on: db)
            return .rotated(consumed)
        }
    }

    /// The same rotation as one statement (each statement was a round trip, and each commit a
    /// durable flush, on PostgreSQL).
    private func rotateInOneStatement(digest: String, at: Date, successor s: RefreshTokenRecord) async throws -> RefreshRotation {
        try await write { db in
            let rows = try await db.query(
                """
                WITH consumed AS (
                    UPDATE refresh_tokens SET used_at = ?1 WHERE digest = ?2 AND used_at IS NULL RETURNING *
                ), revoked AS (
                    SELECT EXISTS (SELECT 1 FROM revoked_families f JOIN consumed c ON f.family_id = c.family_id) AS family_revoked
                ), stored AS (
                    INSERT INTO refresh_tokens (digest, family_id, client_id, user_id, scope, session_id, auth_time, created_at, expires_at,
                        auth_methods)
                    SELECT ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 FROM consumed, revoked WHERE NOT revoked.family_revoked
                    ON CONFLICT (digest) DO NOTHING RETURNING 1
                )
                SELECT consumed.*, revoked.family_revoked FROM consumed, revoked
                """,
                [at.sql, .text(digest), .text(s.digest), .text(s.familyID), .text(s.clientID), .text(s.userID), .text(s.scope),
                 s.sessionID.sql, s.authTime.sql, s.createdAt.sql, s.expiresAt.sql, .text(Self.json(s.authMethods))]
            )
            guard let row = rows.first else { return try await Self.usedOrUnknown(digest, on: db) }
            let consumed = Self.refreshRecord(row)
            return row.column("family_revoked")?.integer == 1 ? .familyRevoked(consumed) : .rotated(consumed)
        }
    }

    private static func usedOrUnknown(_ digest: String, on db: any SQLConnection) async throws -> RefreshRotation {
        let used = try await db.query("SELECT * FROM refresh_tokens WHERE digest = ?", [.text(digest)]).first
        return used.map { .alreadyUsed(refreshRecord($0)) } ?? .notFound
    }

    public func refreshToken(digest: String) async throws -> RefreshTokenRecord? {
        try await read { db in
            try await db.query("SELECT * FROM refresh_tokens WHERE digest = ?", [.text(digest)]).first.map(Self.refreshRecord)
        }
    }

    public func isRefreshTokenUsed(digest: String) async throws -> Bool {
        try await read { db in
            try await db.query("SELECT used_at FROM refresh_tokens WHERE digest = ?", [.text(digest)]).first?.column("used_at").map { $0 != .null } ?? false
        }
    }

    public func consumeRefreshToken(digest: String, at: Date) async throws -> Consumption<RefreshTokenRecord> {
        try await consume(table: "refresh_tokens", digest: digest, at: at, Self.refreshRecord)
    }

    public func isAccessTokenRevoked(jti: String, familyID: String?) async throws -> Bool {
        try await read { db in
            let rows = try await db.query(
                """
                SELECT 1 FROM revoked_access_tokens WHERE jti = ?1
                UNION ALL SELECT 1 FROM revoked_families WHERE family_id = ?2
                LIMIT 1
                """,
                [.text(jti), familyID.sql]
            )
            return !rows.isEmpty
        }
    }

    public func revokeAccessToken(jti: String, expiresAt: Date, at: Date) async throws {
        _ = try await write { db in
            try await db.query(
                "INSERT INTO revoked_access_tokens (jti, expires_at, revoked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [.text(jti), expiresAt.sql, at.sql]
            )
        }
    }

    public func revokeFamily(_ familyID: String, at: Date) async throws {
        try await transaction { db in
            _ = try await db.query("INSERT INTO revoked_families (family_id, revoked_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [.text(familyID), at.sql])
            _ = try await db.query("UPDATE refresh_tokens SET used_at = COALESCE(used_at, ?) WHERE family_id = ?", [at.sql, .text(familyID)])
        }
    }

    public func isFamilyRevoked(_ familyID: String) async throws -> Bool {
        try await read { db in
            !(try await db.query("SELECT 1 FROM revoked_families WHERE family_id = ?", [.text(familyID)])).isEmpty
        }
    }

    public func purgeExpiredGrants(before: Date) async throws {
        try await transaction { db in
            for table in ["authorization_codes", "refresh_tokens", "revoked_access_tokens", "assertion_jtis"] {
                _ = try await db.query("DELETE FROM \(table) WHERE expires_at < ?", [before.sql])
            }
            // A revoked family matters only while its refresh tokens could still be presented (30 days).
            _ = try await db.query("DELETE FROM revoked_families WHERE revoked_at < ?", [before.addingTimeInterval(-31 * 86400).sql])
            // Kept for single log-out while the session can live (7 days by default), then dropped.
            _ = try await db.query("DELETE FROM cas_tickets WHERE created_at < ?", [before.addingTimeInterval(-8 * 86400).sql])
            // Half-finished sign-ins live five minutes.
            _ = try await db.query("DELETE FROM sign_in_transactions WHERE expires_at < ?", [before.sql])
        }
    }

    @Sendable static func refreshRecord(_ row: SQLRow) -> RefreshTokenRecord {
        RefreshTokenRecord(
            digest: row.text("digest") ?? "", familyID: row.text("family_id") ?? "", clientID: row.text("client_id") ?? "",
            userID: row.text("user_id") ?? "", scope: row.text("scope") ?? "", sessionID: row.text("session_id"),
            authTime: row.date("auth_time"), authMethods: list(row.text("auth_methods")),
            createdAt: row.date("created_at"), expiresAt: row.date("expires_at"), usedAt: row.column("used_at")?.double.map(Date.init(timeIntervalSince1970:))
        )
    }
}
