/// A directory as the client uses it: servers in order of preference, how to reach them, and the
/// service account its pooled connections bind as.
public struct LDAPClientConfiguration: Sendable, Hashable {
    /// Tried in this order; later ones only when earlier ones fail.
    public var servers: [LDAPURL]
    public var connection: LDAPConnectionSettings
    /// The service account's DN; nil binds nobody (anonymous searches).
    public var bindDN: String?
    public var bindPassword: String?
    /// Pooled service-account connections per server.
    public var poolSize: Int
    /// How long an operation waits for a pooled connection when all are busy.
    public var poolWait: Duration
    /// Idle pooled connections older than this are closed instead of reused (servers and firewalls
    /// drop idle connections: Active Directory after 15 minutes).
    public var maxIdle: Duration
    /// Backoff for a failed server: from `initialBackoff`, doubling, up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(
        servers: [LDAPURL],
        connection: LDAPConnectionSettings = .init(),
        bindDN: String? = nil,
        bindPassword: String? = nil,
        poolSize: Int = 4,
        poolWait: Duration = .seconds(5),
        maxIdle: Duration = .seconds(300),
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(60)
    ) {
        self.servers = servers
        self.connection = connection
        self.bindDN = bindDN
        self.bindPassword = bindPassword
        self.poolSize = max(1, poolSize)
        self.poolWait = poolWait
        self.maxIdle = maxIdle
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}

extension LDAPClientConfiguration: CustomStringConvertible {
    /// Never shows the bind password.
    public var description: String {
        "LDAPClientConfiguration(servers: \(servers.map(\.description)), bindDN: \(bindDN ?? "none"), bindPassword: \(bindPassword == nil ? "none" : "redacted"), poolSize: \(poolSize))"
    }
}

/// An answer and the server (its URL) that gave it.
public struct LDAPAnswer<Value: Sendable>: Sendable {
    public var value: Value
    public var server: String

    public init(_ value: Value, server: String) {
        self.value = value
        self.server = server
    }
}

/// How a user's bind on a connection of its own went: refused (with the server's answer, e.g.
/// 49 with AD's `data 52e`), or bound and then used by the caller.
public enum LDAPUserSession<Value: Sendable>: Sendable {
    case refused(LDAPBindResponse)
    case bound(LDAPBindResponse, Value)

    public var bindResponse: LDAPBindResponse {
        switch self {
        case .refused(let response), .bound(let response, _): response
        }
    }
}

/// The outcome of checking one server (connect, TLS, service bind).
public struct LDAPServerCheck: Sendable, Equatable {
    public var server: String
    /// nil when the server answered and the service account could bind; otherwise what failed.
    public var problem: String?

    public init(server: String, problem: String?) {
        self.server = server
        self.problem = problem
    }
}
