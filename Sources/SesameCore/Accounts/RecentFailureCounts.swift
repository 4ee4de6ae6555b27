import Foundation
import Synchronization

/// Failure counts read from the throttle store in the last second, by key. Client authentication
/// is checked against its throttle on every call to the token, introspection and revocation
/// endpoints, and that read was a database query per request. A count this instance writes is
/// remembered at once; one written by another instance is seen within `maxAge`.
public final class RecentFailureCounts: Sendable {
    private struct Entry {
        var count: FailureCount?
        var readAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let maxAge: TimeInterval
    /// Addresses are the keys, so the map is bounded: when full it starts again from empty.
    private let capacity: Int

    public init(maxAge: TimeInterval = 1, capacity: Int = 4096) {
        self.maxAge = maxAge
        self.capacity = capacity
    }

    public func failures(key: String, now: Date, from store: any ThrottleStore) async throws -> FailureCount? {
        if let entry = entries.withLock({ $0[key] }), entry.readAt <= now, now.timeIntervalSince(entry.readAt) < maxAge {
            return entry.count
        }
        let count = try await store.failures(key: key)
        remember(count, key: key, at: now)
        return count
    }

    public func remember(_ count: FailureCount?, key: String, at now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(count: count, readAt: now)
        }
    }
}
