import Foundation

/// Consecutive failed sign-ins under one key (an account or a client address).
public struct FailureCount: Sendable, Equatable {
    public var failures: Int
    public var lastFailureAt: Date

    public init(failures: Int, lastFailureAt: Date) {
        self.failures = failures
        self.lastFailureAt = lastFailureAt
    }
}

/// An attempt counted as a failure before it is checked, so that parallel attempts each see the
/// ones before them: the count including it, and the failure that came before it.
public struct CountedAttempt: Sendable, Equatable {
    public var count: FailureCount
    /// The failure before this attempt; nil when there was none, or it was forgotten.
    public var previousFailureAt: Date?

    public init(count: FailureCount, previousFailureAt: Date?) {
        self.count = count
        self.previousFailureAt = previousFailureAt
    }

    /// The count as this attempt found it, which decides whether it may go ahead.
    public var before: FailureCount? {
        guard count.failures > 1, let previousFailureAt else { return nil }
        return FailureCount(failures: count.failures - 1, lastFailureAt: previousFailureAt)
    }
}

public protocol ThrottleStore: Sendable {
    func failures(key: String) async throws -> FailureCount?
    /// Atomically adds one failure at `at`, starting again from one when the previous failure is
    /// older than `forgetBefore`, and returns the new count with the time of the failure before.
    func countAttempt(key: String, at: Date, forgetBefore: Date) async throws -> CountedAttempt
    /// Takes back one counted attempt that succeeded, where a success must not reset the count
    /// (a client address), restoring the time of the failure before it.
    func uncountAttempt(key: String) async throws
    /// Moves the latest failure of `key` forward to `at`, never back: a counted attempt that
    /// turned out wrong once its (slow) check was done, so the delay runs from its end.
    func markFailure(key: String, at: Date) async throws
    func reset(key: String) async throws
    /// Deletes every count whose last failure is before `date`; returns how many.
    @discardableResult
    func purgeFailures(before date: Date) async throws -> Int
}

extension ThrottleStore {
    /// Atomically adds one failure (see `countAttempt`) and returns the new count.
    @discardableResult
    public func recordFailure(key: String, at: Date, forgetBefore: Date) async throws -> FailureCount {
        try await countAttempt(key: key, at: at, forgetBefore: forgetBefore).count
    }
}
