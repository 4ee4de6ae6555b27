import Foundation
import Hummingbird
import SesameModels

/// How an app talks to Sesame.
public struct SesameAppSettings: Sendable {
    /// Sesame's issuer URL.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The app's own public base URL; the redirect URI is this plus `/callback`.
    public var appURL: String
    /// 32 or more random bytes that seal the app's cookies (the same on every instance of the app).
    public var cookieSecret: [UInt8]
    /// Reverse proxies whose `X-Forwarded-For` is believed for `fromIP` (addresses or CIDR blocks).
    public var trustedProxies: [String]
    /// How long a sign-in lasts in the app.
    public var sessionLifetime: TimeInterval
    public var scope: String

    public init(issuer: String, clientID: String, clientSecret: String, appURL: String, cookieSecret: [UInt8],
                trustedProxies: [String] = [], sessionLifetime: TimeInterval = 8 * 3600,
                scope: String = "openid profile email roles groups permissions") {
        precondition(cookieSecret.count >= 32, "the cookie secret must be at least 32 random bytes")
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.appURL = appURL.hasSuffix("/") ? String(appURL.dropLast()) : appURL
        self.cookieSecret = cookieSecret
        self.trustedProxies = trustedProxies
        self.sessionLifetime = sessionLifetime
        self.scope = scope
    }
}

/// Sesame sign-in for a Hummingbird app: `/login`, `/callback` and `/logout` routes, a sealed
/// session cookie, bearer tokens for APIs, and permission checks that send a person who is not
/// signed in to Sesame and back to the page they asked for.
///
/// ```swift
/// let sesame = try await SesameWeb.connect(settings)
/// let router = Router(context: SesameAppContext.self)
/// router.add(middleware: sesame.authentication)
/// sesame.addRoutes(to: router)
/// router.get("/") { _, context in "Hello \(context.sesameUser?.username ?? "")" }
///     .add(middleware: sesame.require(.signedIn))        // or on a whole group
/// router.group("/editors").add(middleware: sesame.require(.hasRole("editor")))
/// ```
public struct SesameWeb: Sendable {
    public let settings: SesameAppSettings
    public let flow: CodeFlow
    public let accessTokens: TokenVerifier
    /// Asks Sesame about a token instead of checking it here (RFC 7662), when the app prefers that.
    public let introspector: Introspector?
    let cookies: SealedCookie
    let trusted: [IPRange]
    let endSession: String?

    /// Cookie names carry the client id: browsers share cookies between apps on one host (ports
    /// do not separate them), and each app must keep its own.
    var sessionCookie: String { "sesame_session_" + settings.clientID.filter { $0.isLetter || $0.isNumber } }
    var pendingCookie: String { "sesame_pending_" + settings.clientID.filter { $0.isLetter || $0.isNumber } }

    public static func connect(_ settings: SesameAppSettings, http: SesameHTTP = SesameHTTP()) async throws -> SesameWeb {
        let metadata = try await DiscoveryDocument.discover(issuer: settings.issuer, http: http)
        let keys = JWKSCache(source: HTTPJWKSSource(url: metadata.jwks_uri, http: http))
        return SesameWeb(settings: settings, metadata: metadata, keys: keys, http: http)
    }

    public init(settings: SesameAppSettings, metadata: DiscoveryDocument, keys: JWKSCache, http: SesameHTTP = SesameHTTP()) {
        self.settings = settings
        flow = CodeFlow(
            metadata: metadata, clientID: settings.clientID, clientSecret: settings.clientSecret, redirectURI: settings.appURL + "/callback",
            scope: settings.scope, keys: keys, http: http
        )
        accessTokens = TokenVerifier(keys: keys, expectations: .accessToken(issuer: metadata.issuer, audience: settings.clientID))
        introspector = Introspector(
            endpoint: metadata.introspection_endpoint, clientID: settings.clientID, clientSecret: settings.clientSecret, http: http
        )
        cookies = SealedCookie(secret: settings.cookieSecret)
        trusted = settings.trustedProxies.map { entry in
            guard let range = IPRange(entry) else { preconditionFailure("trusted proxy '\(entry)' is not an address or CIDR block") }
            return range
        }
        endSession = metadata.end_session_endpoint
    }

    var secureCookies: Bool { settings.appURL.lowercased().hasPrefix("https://") }

    /// A session as the app keeps it.
    struct Session: Codable {
        var user: SesameUser
        var idToken: String?
        /// Sesame's session id (`sid`), for front-channel logout.
        var sid: String?
    }

    func session(from request: Request) -> Session? {
        cookies.open(request.cookies[sessionCookie]?.value, as: Session.self, name: sessionCookie)
    }

    /// The client's address: the peer, or what trusted proxies say they forwarded for.
    public func clientAddress(_ request: Request, peer: String?) -> String? {
        guard let peer, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        return IPRange.forwardedClient(request.headers[values: .init("X-Forwarded-For")!].joined(separator: ","), trusted: trusted) ?? peer
    }

    /// A local path to come back to (the check Sesame makes too); anything else becomes `/` (no
    /// open redirect). It sees `return_to` after percent-decoding, so `/%09/host` arrives as a tab.
    static func localPath(_ text: String?) -> String {
        guard let text, LocalPath.isLocal(text) else { return "/" }
        return text
    }
}
