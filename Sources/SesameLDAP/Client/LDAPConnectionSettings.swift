/// How one connection is made and how long it waits.
public struct LDAPConnectionSettings: Sendable, Hashable {
    /// For `ldap://` URLs: upgrade with StartTLS before anything else is sent (ignored for `ldaps://`).
    public var startTLS: Bool
    public var tls: LDAPTLSSettings
    /// TCP connect plus the TLS handshake.
    public var connectTimeout: Duration
    /// From sending a request to its final response (a search: to searchResultDone).
    public var operationTimeout: Duration
    /// The largest message accepted from the server.
    public var maxMessageBytes: Int
    /// The most entries (and references) one search, or one page, may return.
    public var maxSearchEntries: Int

    public init(
        startTLS: Bool = false,
        tls: LDAPTLSSettings = .system,
        connectTimeout: Duration = .seconds(5),
        operationTimeout: Duration = .seconds(10),
        maxMessageBytes: Int = 16 << 20,
        maxSearchEntries: Int = 100_000
    ) {
        self.startTLS = startTLS
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.maxMessageBytes = maxMessageBytes
        self.maxSearchEntries = maxSearchEntries
    }
}

