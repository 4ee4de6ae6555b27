import Foundation

/// Failure counts read from the throttle store in the last second, by key. Client authentication
/// is checked against its throttle on every call to the token, introspection and revocation
/// endpoints, and that read was a database query per request. A count this instance writes is
/// remembered at once; one written by another instance is seen within `maxAge`.
public final class RecentFailureCounts: Sendable {
    /// Addresses are the keys, so the map is bounded.
    private let counts = RecentValues<String, FailureCount?>(capacity: 4096)
    private let maxAge: TimeInterval

    public init(maxAge: TimeInterval = 1) {
        self.maxAge = maxAge
    }

    public func failures(key: String, now: Date, from store: any ThrottleStore) async throws -> FailureCount? {
        if let count = counts.value(for: key, maxAge: maxAge, now: now) { return count }
        let count = try await store.failures(key: key)
        remember(count, key: key, at: now)
        return count
    }

    public func remember(_ count: FailureCount?, key: String, at now: Date) {
        counts.store(count, for: key, at: now)
    }
}
