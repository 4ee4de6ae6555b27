import Foundation

/// A successful validation: who, and what the service may know about them.
public struct CASValidation: Sendable {
    public let user: User
    public let record: CASTicketRecord
    public let attributes: [(name: String, values: [String])]
}

/// Service tickets: issued at /cas/login, validated once at the validate endpoints.
public struct CASTickets: Sendable {
    private let store: any CASStore
    private let users: any UserStore
    private let sealer: KeySealer
    private let clock: any WallClock
    private let random: any RandomSource
    public var serviceTicketLifetime: TimeInterval

    public init(store: any CASStore, users: any UserStore, sealer: KeySealer, serviceTicketLifetime: TimeInterval = 10,
                clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.store = store
        self.users = users
        self.sealer = sealer
        self.serviceTicketLifetime = serviceTicketLifetime
        self.clock = clock
        self.random = random
    }

    /// The registered service a URL belongs to, or nil: no ticket and no redirect for strangers.
    public func registeredService(for url: String) async throws -> CASService? {
        try await store.casServices().first { $0.matches(url) }
    }

    /// `ST-` and 256 random bits; stored as a digest, plus sealed for single log-out.
    public func issue(for url: String, service: CASService, user: User, session: SessionRecord, fromNewLogin: Bool, renew: Bool) async throws -> String {
        let ticket = CASTicketKind.serviceTicket.make(random)
        let now = clock.now()
        try await store.insert(CASTicketRecord(
            digest: TokenDigest.of(ticket), kind: CASTicketKind.serviceTicket.rawValue, service: url, serviceID: service.id, userID: user.id, sessionID: session.sid,
            fromNewLogin: fromNewLogin, renew: renew, authTime: session.authenticatedAt, authMethods: session.authMethods,
            createdAt: now, expiresAt: now.addingTimeInterval(serviceTicketLifetime),
            sealedTicket: try sealer.seal(Array(ticket.utf8), context: "cas-ticket")
        ))
        return ticket
    }

    /// CAS 3.0 §2.5: the ticket is used up whatever the outcome, so a failed guess cannot be retried.
    public func validate(ticket: String?, service: String?, renew: Bool, allowProxyTickets: Bool = false) async throws -> CASValidation {
        guard let ticket, !ticket.isEmpty, let service, !service.isEmpty else {
            throw CASError.invalidRequest("ticket and service are required")
        }
        guard CASTicketKind.serviceTicket.spells(ticket) || (allowProxyTickets && CASTicketKind.proxyTicket.spells(ticket)) else {
            throw CASError.invalidTicketSpec("ticket \(ticket) is not a \(allowProxyTickets ? "service or proxy" : "service") ticket")
        }
        let record: CASTicketRecord
        switch try await store.consumeCASTicket(digest: TokenDigest.of(ticket), at: clock.now()) {
        case .notFound, .alreadyUsed: throw CASError.invalidTicket("ticket \(ticket) not recognized")
        case .consumed(let consumed): record = consumed
        }
        guard record.expiresAt > clock.now() else { throw CASError.invalidTicket("ticket \(ticket) has expired") }
        guard record.service == service else { throw CASError.invalidService("ticket \(ticket) was issued for another service") }
        guard !renew || record.fromNewLogin else { throw CASError.invalidTicket("ticket \(ticket) did not come from a new sign-in (renew)") }
        // A ticket asked for with renew=true is meant for a validation that insists on it too.
        guard renew || !record.renew else { throw CASError.invalidTicket("ticket \(ticket) was issued with renew and must be validated with renew=true") }
        guard let user = try await users.user(id: record.userID), !user.disabled else {
            throw CASError.invalidTicket("ticket \(ticket) belongs to an account that is no longer active")
        }
        let registered = try await store.casServices().first { $0.id == record.serviceID }
        return CASValidation(user: user, record: record, attributes: attributes(of: user, record: record, service: registered))
    }

    /// CAS 3.0 §2.5.4: a proxy-granting ticket for a validated ticket, delivered first to the
    /// callback URL (which must match the service's proxy callback pattern, and be https unless
    /// `allowInsecure`, a test-only switch, lets loopback http through); returns the PGTIOU, or nil
    /// when the callback did not answer 200.
    public func grantProxyTicket(callback: String, for validation: CASValidation, allowInsecure: Bool, deliver: any ProxyCallback) async throws -> String? {
        guard let registered = try await store.casServices().first(where: { $0.id == validation.record.serviceID }),
            let pattern = registered.proxyCallbackPattern, CASService.match(pattern, callback), let url = CASServiceURL(callback)
        else { throw CASError.invalidProxyCallback("the proxy callback is not registered for this service") }
        guard url.scheme == "https" || (allowInsecure && ["127.0.0.1", "localhost", "[::1]"].contains(url.host)) else {
            throw CASError.invalidProxyCallback("the proxy callback must use https")
        }
        let pgt = CASTicketKind.proxyGrantingTicket.make(random)
        let iou = CASTicketKind.proxyGrantingTicketIOU.make(random)
        guard await deliver.deliver(callback: callback, pgtID: pgt, pgtIOU: iou) else { return nil }
        let now = clock.now()
        var record = validation.record
        record.digest = TokenDigest.of(pgt)
        // It keeps the session id, so that signing out of that session revokes it.
        record.kind = CASTicketKind.proxyGrantingTicket.rawValue
        record.createdAt = now
        record.expiresAt = now.addingTimeInterval(Self.proxyGrantingLifetime)
        record.sealedTicket = try sealer.seal(Array(pgt.utf8), context: "cas-ticket")
        record.proxies = [callback] + validation.record.proxies
        try await store.insert(record)
        return iou
    }

    static let proxyGrantingLifetime: TimeInterval = 2 * 3600

    /// CAS 3.0 §2.7: a proxy ticket for `targetService`, from a live proxy-granting ticket.
    public func proxyTicket(pgt: String?, targetService: String?) async throws -> String {
        guard let pgt, !pgt.isEmpty, let targetService, !targetService.isEmpty else {
            throw CASError.invalidRequest("pgt and targetService are required")
        }
        guard CASTicketKind.proxyGrantingTicket.spells(pgt), let granting = try await store.casTicket(digest: TokenDigest.of(pgt)),
            granting.kind == CASTicketKind.proxyGrantingTicket.rawValue,
            granting.expiresAt > clock.now()
        else { throw CASError.invalidTicket("pgt \(pgt) not recognized") }
        guard let target = try await registeredService(for: targetService) else {
            throw CASError.unauthorizedServiceProxy("the target service is not registered")
        }
        let proxying = try await store.casServices().first { $0.id == granting.serviceID }
        guard let proxying, target.allowedProxies.contains(proxying.name.lowercased()) else {
            throw CASError.unauthorizedServiceProxy("the target service does not accept proxy tickets from this proxy")
        }
        let ticket = CASTicketKind.proxyTicket.make(random)
        let now = clock.now()
        var record = granting
        record.digest = TokenDigest.of(ticket)
        record.kind = CASTicketKind.proxyTicket.rawValue
        record.service = targetService
        record.serviceID = target.id
        record.fromNewLogin = false
        record.renew = false
        record.createdAt = now
        record.expiresAt = now.addingTimeInterval(serviceTicketLifetime)
        record.sealedTicket = try sealer.seal(Array(ticket.utf8), context: "cas-ticket")
        try await store.insert(record)
        return ticket
    }

    func attributes(of user: User, record: CASTicketRecord, service: CASService?) -> [(name: String, values: [String])] {
        let released = service?.releasedAttributes ?? []
        var result: [(String, [String])] = []
        if released.contains("email"), let email = user.email { result.append(("email", [email])) }
        if released.contains("name") { result.append(("name", [user.name ?? user.username])) }
        let access = user.access(for: service?.name)
        if released.contains("groups") { result.append(("groups", access.groups)) }
        if released.contains("roles") { result.append(("roles", access.roles)) }
        if released.contains("permissions") { result.append(("permissions", access.permissions)) }
        let date = ISO8601DateFormatter().string(from: record.authTime)
        result += [
            ("authenticationDate", [date]), ("isFromNewLogin", [String(record.fromNewLogin)]),
            ("longTermAuthenticationRequestTokenUsed", ["false"]), ("authenticationMethod", record.authMethods),
        ]
        return result
    }

    /// The plain tickets handed out in a session, for single log-out messages.
    public func ticketsToLogOut(sessionID: String) async throws -> [(service: String, serviceID: String, ticket: String)] {
        try await store.casTickets(sessionID: sessionID).compactMap { record in
            guard let plain = try? sealer.open(record.sealedTicket, context: "cas-ticket") else { return nil }
            return (record.service, record.serviceID, String(decoding: plain, as: UTF8.self))
        }
    }

    public func services() async throws -> [CASService] { try await store.casServices() }
}

/// Delivers a proxy-granting ticket to a proxy callback URL (an HTTP GET in the server).
public protocol ProxyCallback: Sendable {
    func deliver(callback: String, pgtID: String, pgtIOU: String) async -> Bool
}
