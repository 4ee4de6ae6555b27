import Foundation

/// An application registered to use Sesame over CAS.
public struct CASService: Sendable, Equatable {
    public var id: String
    public var name: String
    /// A pattern starting with `^` is a regular expression that must match the whole service URL;
    /// anything else is a URL whose scheme, host and port the service URL must have exactly, and
    /// whose path it must start with at a `/` boundary (see `CASServiceURL.covers`).
    public var pattern: String
    /// Attributes released in CAS 3 responses; empty releases the default set.
    public var attributes: [String]
    public var proxyCallbackPattern: String?
    /// Where single log-out requests go; the service URL itself when nil.
    public var logoutURL: String?
    public var requireTwoFactor: Bool
    /// Only people with one of these roles or in one of these groups get tickets for this service.
    public var requiredRoles: [String] = []
    public var requiredGroups: [String] = []
    /// Names of the services whose proxy-granting tickets may get proxy tickets for this one;
    /// empty: no proxying to it.
    public var allowedProxies: [String] = []
    public var createdAt: Date

    public init(id: String, name: String, pattern: String, attributes: [String] = [], proxyCallbackPattern: String? = nil,
                logoutURL: String? = nil, requireTwoFactor: Bool = false, createdAt: Date) {
        self.id = id
        self.name = name
        self.pattern = pattern
        self.attributes = attributes
        self.proxyCallbackPattern = proxyCallbackPattern
        self.logoutURL = logoutURL
        self.requireTwoFactor = requireTwoFactor
        self.createdAt = createdAt
    }

    public static let defaultAttributes = ["email", "name", "groups", "roles"]
    /// Everything a service may ask to be released.
    public static let knownAttributes = ["email", "name", "groups", "roles", "permissions"]
    public var releasedAttributes: [String] { attributes.isEmpty ? Self.defaultAttributes : attributes }

    public func matches(_ url: String) -> Bool { Self.match(pattern, url) }

    /// Used for service patterns and proxy callback patterns alike. Whatever the pattern, the URL
    /// must be a plain http(s) URL without user info (`CASServiceURL`).
    static func match(_ pattern: String, _ url: String) -> Bool {
        guard let parsed = CASServiceURL(url) else { return false }
        if pattern.hasPrefix("^") {
            let anchored = pattern.hasSuffix("$") ? pattern : pattern + "$"
            guard let regex = try? NSRegularExpression(pattern: anchored) else { return false }
            let range = NSRange(url.startIndex..., in: url)
            return regex.firstMatch(in: url, options: [.anchored], range: range)?.range == range
        }
        return CASServiceURL(pattern)?.covers(parsed) ?? false
    }
}

/// Why a CAS request failed, with the protocol's own codes (CAS 3.0 §2.5.3).
public struct CASError: Error, Equatable, Sendable {
    public let code: String
    public let message: String

    public static func invalidRequest(_ message: String) -> Self { .init(code: "INVALID_REQUEST", message: message) }
    public static func invalidTicketSpec(_ message: String) -> Self { .init(code: "INVALID_TICKET_SPEC", message: message) }
    public static func invalidTicket(_ message: String) -> Self { .init(code: "INVALID_TICKET", message: message) }
    public static func invalidService(_ message: String) -> Self { .init(code: "INVALID_SERVICE", message: message) }
    public static func unauthorizedServiceProxy(_ message: String) -> Self { .init(code: "UNAUTHORIZED_SERVICE_PROXY", message: message) }
    public static func invalidProxyCallback(_ message: String) -> Self { .init(code: "INVALID_PROXY_CALLBACK", message: message) }
    public static func internalError(_ message: String) -> Self { .init(code: "INTERNAL_ERROR", message: message) }
}

/// An issued CAS ticket, known by its digest.
public struct CASTicketRecord: Sendable, Equatable {
    public var digest: String
    public var kind: String
    public var service: String
    public var serviceID: String
    public var userID: String
    public var sessionID: String?
    public var fromNewLogin: Bool
    public var renew: Bool
    public var authTime: Date
    public var authMethods: [String]
    public var createdAt: Date
    public var expiresAt: Date
    /// The ticket itself, sealed with the data key: single log-out must name it to the service.
    public var sealedTicket: [UInt8]
    /// For proxy tickets and proxy-granting tickets: the callback URLs of the proxy chain, newest first.
    public var proxies: [String] = []

    public init(digest: String, kind: String, service: String, serviceID: String, userID: String, sessionID: String?, fromNewLogin: Bool,
                renew: Bool, authTime: Date, authMethods: [String], createdAt: Date, expiresAt: Date, sealedTicket: [UInt8]) {
        self.digest = digest
        self.kind = kind
        self.service = service
        self.serviceID = serviceID
        self.userID = userID
        self.sessionID = sessionID
        self.fromNewLogin = fromNewLogin
        self.renew = renew
        self.authTime = authTime
        self.authMethods = authMethods
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.sealedTicket = sealedTicket
    }
}

public protocol CASStore: Sendable {
    func insert(_ service: CASService) async throws
    func casServices() async throws -> [CASService]
    func update(_ service: CASService) async throws
    func deleteCASService(id: String) async throws -> Bool
    func insert(_ ticket: CASTicketRecord) async throws
    /// Marks the ticket used, atomically: of two concurrent validations exactly one gets it.
    func consumeCASTicket(digest: String, at: Date) async throws -> Consumption<CASTicketRecord>
    /// A ticket by digest without using it up (proxy-granting tickets are used many times).
    func casTicket(digest: String) async throws -> CASTicketRecord?
    /// Service tickets handed out in a Sesame session, for single log-out.
    func casTickets(sessionID: String) async throws -> [CASTicketRecord]
}
