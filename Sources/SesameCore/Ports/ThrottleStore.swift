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

public protocol ThrottleStore: Sendable {
    func failures(key: String) async throws -> FailureCount?
    /// Atomically adds one failure at `at`, starting again from one when the previous failure is
    /// older than `forgetBefore`, and returns the new count.
    @discardableResult
    func recordFailure(key: String, at: Date, forgetBefore: Date) async throws -> FailureCount
    func reset(key: String) async throws
}
