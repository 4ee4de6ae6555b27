import Foundation

/// Keeps looked-up clients for a moment, so the token endpoint does not read and decode the same
/// client on every request. A change made with `sesame client` (another process) is seen within
/// `lifetime`; writes through this store drop the cached entry at once.
public final class ClientCache: ClientStore {
    private let store: any ClientStore
    private let lifetime: TimeInterval
    private let clock: any WallClock
    /// Unknown ids must not grow it without bound.
    private let entries = RecentValues<String, Client?>(capacity: 10_001)

    public init(store: any ClientStore, lifetime: TimeInterval = 2, clock: any WallClock = SystemClock()) {
        self.store = store
        self.lifetime = lifetime
        self.clock = clock
    }

    public func client(id: String) async throws -> Client? {
        let now = clock.now()
        if let hit = entries.value(for: id, maxAge: lifetime, now: now) { return hit }
        let client = try await store.client(id: id)
        entries.store(client, for: id, at: now)
        return client
    }

    public func insert(_ client: Client) async throws {
        try await store.insert(client)
        forget(client.id)
    }

    public func client(name: String) async throws -> Client? { try await store.client(name: name) }
    public func clients() async throws -> [Client] { try await store.clients() }

    public func update(_ client: Client) async throws {
        try await store.update(client)
        forget(client.id)
    }

    public func delete(clientID: String) async throws -> Bool {
        defer { forget(clientID) }
        return try await store.delete(clientID: clientID)
    }

    private func forget(_ id: String) { entries.remove(id) }
}
