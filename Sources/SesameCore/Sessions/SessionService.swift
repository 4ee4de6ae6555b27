import Foundation

public struct SessionSettings: Sendable, Equatable {
    /// A session unused for this long ends.
    public var idleTimeout: TimeInterval
    /// A session ends this long after sign-in, however much it is used.
    public var absoluteLifetime: TimeInterval

    public init(idleTimeout: TimeInterval = 8 * 3600, absoluteLifetime: TimeInterval = 7 * 24 * 3600) {
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
    }
}

/// Server-side browser sessions. The cookie carries 256 random bits; the store keeps their SHA-256.
public struct SessionService: Sendable {
    private let store: any SessionStore
    private let clock: any WallClock
    private let random: any RandomSource
    public let settings: SessionSettings

    /// Writing last-seen on every request would turn each page view into a write; a minute of
    /// slack on an idle timeout of hours is harmless.
    static let touchGranularity: TimeInterval = 60

    public init(store: any SessionStore, settings: SessionSettings, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.random = random
    }

    /// Starts a session and returns the cookie value, which is shown nowhere else.
    public func start(userID: String, authMethods: [String] = AMR.passwordOnly) async throws -> (cookieValue: String, session: SessionRecord) {
        let value = random.token(byteCount: 32)
        let now = clock.now()
        let record = SessionRecord(
            idDigest: TokenDigest.of(value), userID: userID, createdAt: now, lastSeenAt: now, authenticatedAt: now, authMethods: authMethods
        )
        try await store.insert(record)
        return (value, record)
    }

    /// The live session for a cookie value, or nil when there is none or it has expired.
    public func resume(cookieValue: String) async throws -> SessionRecord? {
        let digest = TokenDigest.of(cookieValue)
        guard var session = try await store.session(idDigest: digest) else { return nil }
        let now = clock.now()
        if isExpired(session, now: now) {
            try await store.delete(idDigest: digest)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= Self.touchGranularity {
            try await store.touch(idDigest: digest, at: now)
            session.lastSeenAt = now
        }
        return session
    }

    /// The one way these sessions end, telling `listeners` (see `SessionTermination`).
    public func termination(listeners: [any SessionTerminationListener] = [], audit: AuditTrail? = nil) -> SessionTermination {
        SessionTermination(store: store, listeners: listeners, audit: audit)
    }

    /// Ends the session behind a cookie, telling no listener (for tests and tools without a server).
    public func end(cookieValue: String) async throws {
        _ = try await termination().end(cookieValue: cookieValue, session: nil, reason: .signOut, at: clock.now())
    }

    /// A new sign-in replacing the browser's old session: the old one goes, what it handed out stays.
    public func discard(cookieValue: String) async throws {
        try await store.delete(idDigest: TokenDigest.of(cookieValue))
    }

    /// Notes that this session signed in to an OAuth client, so front-channel logout tells only it.
    public func recordClient(_ clientID: String, in session: SessionRecord) async throws {
        try await store.recordClient(clientID, sessionID: session.sid, at: clock.now())
    }

    /// The OAuth clients this session signed in to.
    public func clientIDs(of session: SessionRecord) async throws -> Set<String> {
        Set(try await store.clientIDs(sessionID: session.sid))
    }

    public func isExpired(_ session: SessionRecord, now: Date) -> Bool {
        now.timeIntervalSince(session.createdAt) >= settings.absoluteLifetime
            || now.timeIntervalSince(session.lastSeenAt) >= settings.idleTimeout
    }

    public func purgeExpired() async throws {
        let now = clock.now()
        try await store.deleteExpired(
            createdBefore: now.addingTimeInterval(-settings.absoluteLifetime),
            idleBefore: now.addingTimeInterval(-settings.idleTimeout)
        )
    }
}
