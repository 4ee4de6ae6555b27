import Foundation
import SesameJOSE
import Synchronization

/// Where the cache gets Sesame's JWK Set: the JSON and how long it may be kept (`max-age`).
public protocol JWKSSource: Sendable {
    func fetch() async throws -> (json: String, maxAge: TimeInterval?)
}

/// Sesame's signing keys, cached. A token with an unknown `kid` (after a rotation) causes one
/// refetch, at most one fetch runs at a time (callers wait for it), keys are kept as long as the
/// server's cache headers say, and unknown kids cannot make it fetch more than once a few seconds.
public actor JWKSCache {
    private let source: any JWKSSource
    private let now: @Sendable () -> Date
    private let defaultMaxAge: TimeInterval
    private let minimumRefetchInterval: TimeInterval
    private var keys: [String: JWTVerificationKey] = [:]
    private var expiresAt = Date.distantPast
    private var lastFetch = Date.distantPast
    private var inFlight: Task<Void, any Error>?
    /// The current keys for callers that need no fetch: read without entering the actor, so a
    /// warm cache costs no executor hop per token.
    private nonisolated let snapshot = Mutex<(keys: [String: JWTVerificationKey], expiresAt: Date)>(([:], .distantPast))

    public init(source: any JWKSSource, defaultMaxAge: TimeInterval = 300, minimumRefetchInterval: TimeInterval = 5,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.source = source
        self.defaultMaxAge = defaultMaxAge
        self.minimumRefetchInterval = minimumRefetchInterval
        self.now = now
    }

    /// The key named `kid` if the cache holds it and is fresh.
    public nonisolated func cachedKey(kid: String) -> JWTVerificationKey? {
        let now = now()
        return snapshot.withLock { $0.expiresAt > now ? $0.keys[kid] : nil }
    }

    /// The key named `kid`, fetching the JWKS when the cache is stale or does not know it.
    public func key(kid: String) async throws -> JWTVerificationKey {
        if now() >= expiresAt { try await refresh() }
        if let key = keys[kid] { return key }
        if now().timeIntervalSince(lastFetch) >= minimumRefetchInterval {
            try await refresh()
            if let key = keys[kid] { return key }
        }
        throw TokenError.unknownKey(kid)
    }

    private func refresh() async throws {
        if let inFlight { return try await inFlight.value }
        let task = Task { [source] in
            let fetched = try await source.fetch()
            self.store(JWTVerificationKey.keys(fromJWKS: fetched.json), maxAge: fetched.maxAge)
        }
        inFlight = task
        defer { inFlight = nil }
        lastFetch = now()
        try await task.value
    }

    private func store(_ fetched: [JWTVerificationKey], maxAge: TimeInterval?) {
        keys = Dictionary(fetched.map { ($0.kid, $0) }, uniquingKeysWith: { first, _ in first })
        expiresAt = now().addingTimeInterval(maxAge ?? defaultMaxAge)
        let (keys, expiresAt) = (keys, expiresAt)
        snapshot.withLock { $0 = (keys, expiresAt) }
    }
}
