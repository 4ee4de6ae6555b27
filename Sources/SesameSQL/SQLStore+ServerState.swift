import Foundation
import SesameCore

extension SQLStore: ServerStateStore {
    public func recordServedIssuer(_ issuer: String, at: Date) async throws {
        _ = try await write { db in
            try await db.query(
                "INSERT INTO server_state (name, value, updated_at) VALUES ('issuer', ?1, ?2) ON CONFLICT (name) DO UPDATE SET value = ?1, updated_at = ?2",
                [.text(issuer), at.sql]
            )
        }
    }

    public func servedIssuer() async throws -> String? {
        try await read { db in
            try await db.query("SELECT value FROM server_state WHERE name = 'issuer'").first?.text("value")
        }
    }
}
