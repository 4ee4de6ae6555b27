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

    public func countAttempt(key: String, at: Date, forgetBefore: Date) async throws -> CountedAttempt {
        try await write { db in
            // One statement, so concurrent attempts for one key are all counted, each seeing the
            // ones before it (SET reads the row as it was before this update).
            let row = try await db.query(
                """
                INSERT INTO sign_in_failures (key, failures, last_failure_at) VALUES (?1, 1, ?2)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN sign_in_failures.last_failure_at < ?3 THEN 1 ELSE sign_in_failures.failures + 1 END,
                    previous_failure_at = CASE WHEN sign_in_failures.last_failure_at < ?3 THEN NULL ELSE sign_in_failures.last_failure_at END,
                    last_failure_at = ?2
                RETURNING failures, last_failure_at, previous_failure_at
                """,
                [.text(key), at.sql, forgetBefore.sql]
            ).first
            return CountedAttempt(
                count: FailureCount(failures: row?.int("failures") ?? 1, lastFailureAt: row?.date("last_failure_at") ?? at),
                previousFailureAt: row?.column("previous_failure_at")?.double.map(Date.init(timeIntervalSince1970:))
            )
        }
    }

    public func uncountAttempt(key: String) async throws {
        _ = try await write { db in
            try await db.query(
                """
                UPDATE sign_in_failures SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
                    last_failure_at = COALESCE(previous_failure_at, last_failure_at), previous_failure_at = NULL
                WHERE key = ?
                """,
                [.text(key)]
            )
        }
    }

    public func markFailure(key: String, at: Date) async throws {
        _ = try await write { db in
            try await db.query("UPDATE sign_in_failures SET last_failure_at = ?1 WHERE key = ?2 AND last_failure_at < ?1", [at.sql, .text(key)])
        }
    }

    public func reset(key: String) async throws {
        _ = try await write { try await $0.query("DELETE FROM sign_in_failures WHERE key = ?", [.text(key)]) }
    }

    public func purgeFailures(before date: Date) async throws -> Int {
        try await write { db in
            try await db.query("DELETE FROM sign_in_failures WHERE last_failure_at < ? RETURNING key", [date.sql]).count
        }
    }
}
