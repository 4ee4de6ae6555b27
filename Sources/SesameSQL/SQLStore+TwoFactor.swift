import Foundation


import SesameCore

extension SQLStore: TwoFactorStore {
    public func twoFactor(userID: String) async throws -> TwoFactorRecord? {
        try await read { db in
            try await db.query("SELECT * FROM two_factor WHERE user_id = ?", [.text(userID)]).first.map { row in
                TwoFactorRecord(
                    userID: userID, sealedSecret: row.column("sealed_secret")?.bytes,
                    enabledAt: row.column("enabled_at")?.double.map(Date.init(timeIntervalSince1970:)),
                    lastUsedStep: row.column("last_used_step")?.integer.map { UInt64($0) },
                    pendingSealedSecret: row.column("pending_sealed_secret")?.bytes,
                    pendingCreatedAt: row.column("pending_created_at")?.double.map(Date.init(timeIntervalSince1970:)),
                    required: row.int("required") != 0
                )
            }
        }
    }

    public func savePendingSecret(userID: String, sealed: [UInt8], at: Date) async throws {
        _ = try await write { db in
            try await db.query(
                """
                INSERT INTO two_factor (user_id, pending_sealed_secret, pending_created_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (user_id) DO UPDATE SET pending_sealed_secret = ?2, pending_created_at = ?3
                """,
                [.text(userID), .blob(sealed), at.sql]
            )
        }
    }

    public func enableTwoFactor(userID: String, sealedSecret: [UInt8], usedStep: UInt64, recoveryDigests: [String], at: Date) async throws {
        try await transaction { db in
            _ = try await db.query(
                """
                UPDATE two_factor SET sealed_secret = ?, enabled_at = ?, last_used_step = ?, pending_sealed_secret = NULL,
                    pending_created_at = NULL WHERE user_id = ?
                """,
                [.blob(sealedSecret), at.sql, .integer(Int(usedStep)), .text(userID)]
            )
            try await Self.writeRecoveryCodes(userID: userID, digests: recoveryDigests, db)
        }
    }

    public func useStep(userID: String, step: UInt64) async throws -> Bool {
        try await write { db in
            let rows = try await db.query(
                """
                UPDATE two_factor SET last_used_step = ?1
                WHERE user_id = ?2 AND (last_used_step IS NULL OR last_used_step < ?1) RETURNING user_id
                """,
                [.integer(Int(step)), .text(userID)]
            )
            return !rows.isEmpty
        }
    }

    public func replaceRecoveryCodes(userID: String, digests: [String]) async throws {
        try await transaction { try await Self.writeRecoveryCodes(userID: userID, digests: digests, $0) }
    }

    public func consumeRecoveryCode(userID: String, digest: String) async throws -> Bool {
        try await write { db in
            !(try await db.query("DELETE FROM recovery_codes WHERE user_id = ? AND digest = ? RETURNING digest", [.text(userID), .text(digest)])).isEmpty
        }
    }

    public func recoveryCodesLeft(userID: String) async throws -> Int {
        try await read { db in
            try await db.query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?", [.text(userID)]).first?.int("n") ?? 0
        }
    }

    public func resetTwoFactor(userID: String) async throws {
        try await transaction { db in
            _ = try await db.query(
                """
                UPDATE two_factor SET sealed_secret = NULL, enabled_at = NULL, last_used_step = NULL, pending_sealed_secret = NULL,
                    pending_created_at = NULL WHERE user_id = ?
                """,
                [.text(userID)]
            )
            _ = try await db.query("DELETE FROM recovery_codes WHERE user_id = ?", [.text(userID)])
        }
    }

    public func setTwoFactorRequired(userID: String, _ required: Bool) async throws {
        _ = try await write { db in
            try await db.query(
                "INSERT INTO two_factor (user_id, required) VALUES (?1, ?2) ON CONFLICT (user_id) DO UPDATE SET required = ?2",
                [.text(userID), .integer(required ? 1 : 0)]
            )
        }
    }

    public func setTwoFactorRequired(role: String, _ required: Bool) async throws {
        _ = try await write { db in
            try await db.query(
                required ? "INSERT INTO two_factor_required_roles (role) VALUES (?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM two_factor_required_roles WHERE role = ?",
                [.text(role)]
            )
        }
    }

    public func rolesRequiringTwoFactor() async throws -> [String] {
        try await read { db in
            try await db.query("SELECT role FROM two_factor_required_roles ORDER BY role").compactMap { $0.text("role") }
        }
    }

    private static func writeRecoveryCodes(userID: String, digests: [String], _ db: any SQLConnection) async throws {
        _ = try await db.query("DELETE FROM recovery_codes WHERE user_id = ?", [.text(userID)])
        for digest in digests {
            _ = try await db.query("INSERT INTO recovery_codes (user_id, digest) VALUES (?, ?)", [.text(userID), .text(digest)])
        }
    }
}
