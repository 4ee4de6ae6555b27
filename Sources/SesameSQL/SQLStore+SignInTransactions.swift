import Foundation
import SesameCore

extension SQLStore: SignInTransactionStore {
    public func insert(_ transaction: SignInTransaction) async throws {
        _ = try await write { db in
            try await db.query(
                """
                INSERT INTO sign_in_transactions (id_digest, user_id, browser_digest, auth_methods, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [.text(transaction.idDigest), .text(transaction.userID), .text(transaction.browserDigest),
                 .text(Self.json(transaction.methods)), transaction.createdAt.sql, transaction.expiresAt.sql]
            )
        }
    }

    public func signInTransaction(idDigest: String) async throws -> SignInTransaction? {
        try await read { db in
            try await db.query("SELECT * FROM sign_in_transactions WHERE id_digest = ?", [.text(idDigest)]).first.map(Self.signInTransaction)
        }
    }

    public func takeSignInTransaction(idDigest: String) async throws -> SignInTransaction? {
        try await write { db in
            try await db.query("DELETE FROM sign_in_transactions WHERE id_digest = ? RETURNING *", [.text(idDigest)]).first.map(Self.signInTransaction)
        }
    }

    public func deleteSignInTransactions(expiredBefore: Date) async throws {
        _ = try await write { try await $0.query("DELETE FROM sign_in_transactions WHERE expires_at < ?", [expiredBefore.sql]) }
    }

    @Sendable static func signInTransaction(_ row: SQLRow) -> SignInTransaction {
        SignInTransaction(
            idDigest: row.text("id_digest") ?? "", userID: row.text("user_id") ?? "", browserDigest: row.text("browser_digest") ?? "",
            methods: list(row.text("auth_methods")), createdAt: row.date("created_at"), expiresAt: row.date("expires_at")
        )
    }
}
