import Foundation

/// Lifetimes of what the OAuth endpoints hand out.
public struct TokenSettings: Sendable, Equatable {
    public var issuer: String
    public var accessTokenLifetime: TimeInterval
    public var idTokenLifetime: TimeInterval
    public var refreshTokenLifetime: TimeInterval
    /// RFC 9700 wants codes short-lived; a minute covers any honest redirect.
    public var codeLifetime: TimeInterval
    /// A used refresh token presented again within this many seconds is answered, not treated as
    /// theft. 0 (the default) turns it off.
    public var refreshGracePeriod: TimeInterval

    public init(
        issuer: String, accessTokenLifetime: TimeInterval = 600, idTokenLifetime: TimeInterval = 3600,
        refreshTokenLifetime: TimeInterval = 30 * 86400, codeLifetime: TimeInterval = 60, refreshGracePeriod: TimeInterval = 0
    ) {
        self.refreshGracePeriod = refreshGracePeriod
        self.issuer = issuer
        self.accessTokenLifetime = accessTokenLifetime
        self.idTokenLifetime = idTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.codeLifetime = codeLifetime
    }

    /// How long a superseded signing key stays published: until every token it signed expired.
    public var keyRetention: TimeInterval { max(accessTokenLifetime, idTokenLifetime) + 300 }
}
