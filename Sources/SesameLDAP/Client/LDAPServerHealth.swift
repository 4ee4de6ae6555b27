/// One server's health as the client sees it: after a failure the server is skipped for a while
/// that doubles with each further failure (from `initial` up to `maximum`), and a success resets it.
public struct LDAPServerHealth: Sendable, Equatable {
    public private(set) var consecutiveFailures = 0
    /// What last went wrong (for logs, `check()` and the health page); never holds a password.
    public private(set) var lastError: String?
    public private(set) var lastFailure: ContinuousClock.Instant?
    /// Until when the server is skipped.
    public private(set) var retryAt: ContinuousClock.Instant?

    public init() {}

    public func isAvailable(at now: ContinuousClock.Instant) -> Bool {
        guard let retryAt else { return true }
        return now >= retryAt
    }

    /// How long the server is skipped after the failure just recorded.
    public static func backoff(afterFailures failures: Int, initial: Duration, maximum: Duration) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = initial
        for _ in 1..<min(failures, 32) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    public mutating func recordFailure(_ error: String, at now: ContinuousClock.Instant, initial: Duration, maximum: Duration) {
        consecutiveFailures += 1
        lastError = String(error.prefix(500))
        lastFailure = now
        retryAt = now + Self.backoff(afterFailures: consecutiveFailures, initial: initial, maximum: maximum)
    }

    public mutating func recordSuccess() {
        consecutiveFailures = 0
        retryAt = nil
    }
}

/// A server's health at one moment, as `LDAPClient.status()` reports it.
public struct LDAPServerStatus: Sendable, Equatable {
    public var server: String
    public var health: LDAPServerHealth
    /// How long until the server is tried again (nil: it is in use).
    public var retryIn: Duration?
}
