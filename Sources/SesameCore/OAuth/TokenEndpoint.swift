import Foundation

/// The token endpoint: authenticate the client, pick the grant, audit the outcome.
public struct TokenEndpoint: Sendable {
    private let authenticator: ClientAuthenticator
    private let grants: [any TokenGrant]
    private let audit: AuditTrail
    /// Failed client authentications per client address; nil turns throttling off.
    private let throttle: (any ThrottleStore)?
    private let clock: any WallClock
    private let recentFailures = RecentFailureCounts()

    /// Per client address: a client that knows its secret never fails, so a few dozen failures
    /// are guessing. Successes do not reset it (a guesser could interleave its own client).
    public static let clientAuthenticationPolicy = LockoutPolicy(threshold: 20, maxDelay: 5 * 60, forgetAfter: 15 * 60)

    public init(
        authenticator: ClientAuthenticator, grants: [any TokenGrant], audit: AuditTrail, throttle: (any ThrottleStore)? = nil,
        clock: any WallClock = SystemClock()
    ) {
        self.authenticator = authenticator
        self.grants = grants
        self.audit = audit
        self.throttle = throttle
        self.clock = clock
    }

    public func handle(_ request: TokenRequest) async throws -> IssuedTokens {
        let client = try await authenticate(request.credentials, address: request.clientAddress)
        guard let name = request["grant_type"] else { throw OAuthError.invalidRequest("grant_type is required") }
        guard let type = GrantType(rawValue: name), let grant = grants.first(where: { $0.grantType == type }) else {
            throw OAuthError.unsupportedGrantType(name)
        }
        guard client.allows(type) else { throw OAuthError.unauthorizedClient("this client may not use \(name)") }
        let issued: IssuedTokens
        do {
            issued = try await grant.handle(request, client: client)
        } catch let error as OAuthError {
            // A replayed code or refresh token revoked its whole grant: the one event here a
            // security team wants to hear about.
            let reuse = error.reason == .replayRevokedGrant
            await audit.record(
                reuse ? .tokenReuseDetected : .tokenRefused, clientID: client.id, clientAddress: request.clientAddress,
                detail: "grant=\(name) error=\(error.code)" + (error.detail.map { " \($0)" } ?? "")
            )
            throw error
        }
        await audit.record(.tokenIssued, clientID: client.id, clientAddress: request.clientAddress, detail: "grant=\(name) scope=\(issued.scope)")
        return issued
    }

    /// A claimed client id as the audit log keeps it: bounded, printable ASCII only.
    static func auditable(_ claimed: String?) -> String {
        guard let claimed, !claimed.isEmpty else { return "unknown" }
        guard claimed.utf8.count <= ClientAuthenticator.maxClientIDLength, claimed.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return "invalid"
        }
        return claimed
    }

    /// Client authentication, with failures written to the audit trail and counted per client
    /// address. A throttled attempt is answered at once: no lookup, no digest, no audit row. The
    /// count is read through `RecentFailureCounts`: another instance's failures count here within
    /// a second.
    public func authenticate(_ credentials: ClientCredentials, address: String?) async throws -> Client {
        let policy = Self.clientAuthenticationPolicy
        let key = address.map { "client-" + ThrottleKey.address($0) }
        let now = clock.now()
        if let throttle, let key, let until = policy.retryAt(try await recentFailures.failures(key: key, now: now, from: throttle), now: now) {
            var error = OAuthError(code: "invalid_client", description: "too many failed client authentications from this address; try again later", status: 429)
            error.retryAfter = Int(until.timeIntervalSince(now).rounded(.up))
            throw error
        }
        do {
            return try await authenticator.authenticate(credentials)
        } catch let error as OAuthError {
            if let throttle, let key {
                let count = try await throttle.recordFailure(key: key, at: now, forgetBefore: now.addingTimeInterval(-policy.forgetAfter))
                recentFailures.remember(count, key: key, at: now)
            }
            await audit.record(
                .clientAuthenticationFailed, clientID: Self.auditable(credentials.claimedID), clientAddress: address,
                detail: String((error.detail ?? error.errorDescription).prefix(300))
            )
            throw error
        }
    }
}
