import Foundation
import Logging
import SesameCore
import SesameModels

/// What a running Sesame is configured with, already typed. `sesame serve` fills it from the
/// settings table (flags, environment, config file); a test fills what it needs and keeps the rest.
public struct SesameConfiguration: Sendable {
    /// The public base URL; cookies are `Secure` when it is https.
    public var issuer: URL
    public var host: String
    public var port: Int
    public var sessions: SessionSettings
    public var accessTokenLifetime: TimeInterval
    /// 0 turns the refresh-token grace period off.
    public var refreshGracePeriod: TimeInterval
    public var trustedProxies: [IPRange]
    public var keyRefreshInterval: TimeInterval
    /// PEM files of the certificate chain and its key; nil serves plain HTTP.
    public var tls: (certificateChain: String, privateKey: String)?
    /// Where each audit event also goes as a JSON line; nil writes them to the store only.
    public var auditLines: (@Sendable (String) -> Void)?
    /// Primary authenticators in the order asked, and second factors beyond TOTP and recovery codes.
    public var authenticators: [String]
    public var secondFactors: [String]
    /// Where test-only authenticators and factors find their settings (`SESAME_TESTING`, ...).
    public var environment: [String: String]
    public var insecureProxyCallbackForTests: Bool
    /// How often directory configurations are re-read, and how often each enabled directory is
    /// synced (0: never, only by `sesame directory sync`).
    public var directoryRefreshInterval: TimeInterval = 30
    public var directoryCheckInterval: TimeInterval = 300
    public var hasher: PasswordHasher
    public var logLevel: Logger.Level

    public init(
        issuer: URL, host: String = "127.0.0.1", port: Int = 8080, sessions: SessionSettings = SessionSettings(),
        accessTokenLifetime: TimeInterval = 600, refreshGracePeriod: TimeInterval = 0, trustedProxies: [IPRange] = [],
        keyRefreshInterval: TimeInterval = 10, tls: (certificateChain: String, privateKey: String)? = nil,
        auditLines: (@Sendable (String) -> Void)? = nil, authenticators: [String] = PrimaryAuthenticators.defaultNames,
        secondFactors: [String] = [], environment: [String: String] = [:], insecureProxyCallbackForTests: Bool = false,
        hasher: PasswordHasher = PasswordHasher(), logLevel: Logger.Level = .info
    ) {
        self.issuer = issuer
        self.host = host
        self.port = port
        self.sessions = sessions
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshGracePeriod = refreshGracePeriod
        self.trustedProxies = trustedProxies
        self.keyRefreshInterval = keyRefreshInterval
        self.tls = tls
        self.auditLines = auditLines
        self.authenticators = authenticators
        self.secondFactors = secondFactors
        self.environment = environment
        self.insecureProxyCallbackForTests = insecureProxyCallbackForTests
        self.hasher = hasher
        self.logLevel = logLevel
    }

    var tokenSettings: TokenSettings {
        TokenSettings(issuer: issuer.absoluteString, accessTokenLifetime: accessTokenLifetime, refreshGracePeriod: refreshGracePeriod)
    }

    var serverSettings: ServerSettings {
        ServerSettings(host: host, port: port, issuer: issuer, trustedProxies: trustedProxies, tls: tls)
    }
}
