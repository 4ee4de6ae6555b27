import Foundation


import SesameCore

extension SQLStore: SigningKeyStore {
    public func signingKeys() async throws -> [StoredSigningKey] {
        try await read { db in
            try await db.query("SELECT * FROM signing_keys ORDER BY created_at").map { row in
                return StoredSigningKey(
                    kid: row.text("kid") ?? "", algorithm: row.text("algorithm") ?? "", publicJWK: row.text("public_jwk") ?? "",
                    sealedPrivateKey: row.column("sealed_private_key")?.bytes ?? [], createdAt: row.date("created_at"),
                    supersededAt: row.column("superseded_at")?.double.map(Date.init(timeIntervalSince1970:))
                )
            }
        }
    }

    public func insert(_ key: StoredSigningKey) async throws {
        try await transaction { try await Self.insertKey(key, $0) }
    }

    public func rotate(to newKeys: [StoredSigningKey], at: Date) async throws {
        try await transaction { db in
            for key in newKeys {
                _ = try await db.query(
                    "UPDATE signing_keys SET superseded_at = ? WHERE algorithm = ? AND superseded_at IS NULL", [at.sql, .text(key.algorithm)]
                )
                try await Self.insertKey(key, db)
            }
        }
    }

    private static func insertKey(_ key: StoredSigningKey, _ db: any SQLConnection) async throws {
        _ = try await db.query(
            "INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_key, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(key.kid), .text(key.algorithm), .text(key.publicJWK), .blob(key.sealedPrivateKey), key.createdAt.sql]
        )
    }
}
