import Foundation
import Synchronization

/// Values kept with the time each was stored, for the caches in front of the store and the
/// signature checks (clients, failure counts, verified tokens). Their keys come from requests, so
/// the map is bounded: when full, it starts again from empty before taking a new key.
final class RecentValues<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var storedAt: Date
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value stored for `key` no longer than `maxAge` before `now` (and not after it).
    func value(for key: Key, maxAge: TimeInterval = .infinity, now: Date) -> Value? {
        guard let entry = entries.withLock({ $0[key] }), entry.storedAt <= now, now.timeIntervalSince(entry.storedAt) < maxAge else {
            return nil
        }
        return entry.value
    }

    func store(_ value: Value, for key: Key, at now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(value: value, storedAt: now)
        }
    }

    func remove(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
