import Foundation
import SesameAdmin
import SesameCore
import SesameModels

/// What the HTTP server needs to know beyond its dependencies.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The public base URL; cookies are `Secure` when it is https.
    public var issuer: URL
    /// Reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed.
    public var trustedProxies: [IPRange]
    /// Serve HTTPS directly: PEM files of the certificate chain and its private key. Nil serves
    /// plain HTTP (for loopback, or behind a proxy that terminates TLS).
    public var tls: (certificateChain: String, privateKey: String)?

    public init(host: String = "127.0.0.1", port: Int = 8080, issuer: URL, trustedProxies: [IPRange] = [],
                tls: (certificateChain: String, privateKey: String)? = nil) {
        self.tls = tls
        self.trustedProxies = trustedProxies
        self.host = host
        self.port = port
        self.issuer = issuer
    }

    public var secureCookies: Bool { issuer.scheme?.lowercased() == "https" }
}

/// Everything the routes call into, built once by whoever starts the server (the CLI or a test).
public struct ServerDependencies: Sendable {
    public var users: any UserStore
    public var health: any HealthCheck
    public var signIn: SignInService
    public var sessions: SessionService
    public var csrf: CSRFTokens
    /// The OpenID Connect / OAuth provider; nil serves accounts and sign-in only.
    public var oauth: OAuthDependencies?
    /// Two-step verification; nil signs in with passwords alone.
    public var twoFactor: TwoFactorDependencies?
    /// The CAS server; nil serves no /cas routes.
    public var cas: CASDependencies?
    /// Where sign-outs are recorded (sign-ins are recorded by `signIn`).
    public var audit: AuditTrail?
    /// The admin API; nil serves none. It needs `oauth` (its callers present access tokens).
    public var admin: AdminDependencies?
    /// LDAP directories and Active Directory: sign-in, the change-password page, `/healthz`.
    public var directories: DirectoryRuntime?
    /// How back-channel logout tokens are POSTed to apps.
    public var backChannelLogout: any BackChannelLogoutTransport = HTTPBackChannelLogoutTransport()

    public init(
        users: any UserStore, health: any HealthCheck, signIn: SignInService, sessions: SessionService, csrf: CSRFTokens,
        oauth: OAuthDependencies? = nil, twoFactor: TwoFactorDependencies? = nil, cas: CASDependencies? = nil, audit: AuditTrail? = nil
    ) {
        self.audit = audit
        self.cas = cas
        self.twoFactor = twoFactor
        self.users = users
        self.health = health
        self.signIn = signIn
        self.sessions = sessions
        self.csrf = csrf
        self.oauth = oauth
    }
}

/// What the two-step verification pages call into.
public struct TwoFactorDependencies: Sendable {
    public var service: TwoFactorService
    /// Sign-ins between the password and the second factor.
    public var transactions: SignInTransactions
    public var audit: AuditTrail

    public init(service: TwoFactorService, transactions: SignInTransactions, audit: AuditTrail) {
        self.service = service
        self.transactions = transactions
        self.audit = audit
    }
}
