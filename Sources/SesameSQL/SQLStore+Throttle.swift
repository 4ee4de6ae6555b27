import Foundation

import SesameCore

extension SQLStore: ThrottleStore {
    public func failures(key: String) async throws -> FailureCount? {
        try await read { db in
            try await db.query("SELECT failures, last_failure_at FROM sign_in_failures WHERE key = ?", [.text(key)]).first.map {
                FailureCount(failures: $0.int("failures"), lastFailureAt: $0.date("last_failure_at"))
            }
        }
    }

    public func recordFailure(key: String, at: Date, forgetBefore: Date) async throws -> FailureCount {
        try await write { db in
            // One statement, so concurrent failures for one key are all counted.
            let row = try await db.query(
                """
                INSERT INTO sign_in_failures (key, failures, last_failure_at) VALUES (?1, 1, ?2)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN sign_in_failures.last_failure_at < ?3 THEN 1 ELSE sign_in_failures.failures + 1 END,
                    last_failure_at = ?2
                RETURNING failures, last_failure_at
                """,
                [.text(key), at.sql, forgetBefore.sql]
            ).first
            return FailureCount(failures: row?.int("failures") ?? 1, lastFailureAt: row?.date("last_failure_at") ?? at)
        }
    }

    public func reset(key: String) async throws {
        _ = try await write { try await $0.query("DELETE FROM sign_in_failures WHERE key = ?", [.text(key)]) }
    }
}
