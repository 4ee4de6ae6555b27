import Foundation
import SesameCore
import SesameSQL
import Synchronization
import Testing

/// Proxy-granting tickets (issue 13, points 6, 9 and 11): callbacks must be registered and https,
/// a proxy ticket goes only to a service that accepts proxying from the PGT's service, and a PGT
/// ends with the session it came from.
@Suite struct CASProxyTests {
    /// Records what would have been sent to a callback, and says it was delivered.
    final class Callbacks: ProxyCallback {
        let delivered = Mutex<[(callback: String, pgt: String)]>([])
        func deliver(callback: String, pgtID: String, pgtIOU: String) async -> Bool {
            delivered.withLock { $0.append((callback, pgtID)) }
            return true
        }
        var lastPGT: String? { delivered.withLock { $0.last?.pgt } }
    }

    struct Setup {
        let tickets: CASTickets
        let sessions: SessionService
        let user: User
        let portal: CASService
    }

    /// alice, a signed-in session, `portal` (may ask for PGTs at https://portal.example.test/pgt/)
    /// and `backend` with the given proxy policy.
    func setUp(_ store: SQLStore, backendAllows: [String]) async throws -> Setup {
        let user = makeUser("alice")
        try await store.insert(user)
        let portal = try CASServiceRules.make(
            name: "portal", pattern: "https://portal.example.test/", attributes: [], proxyCallbackPattern: "https://portal.example.test/pgt/"
        )
        try await store.insert(portal)
        try await store.insert(try CASServiceRules.make(name: "backend", pattern: "https://backend.example.test/", attributes: [], allowedProxies: backendAllows))
        let tickets = CASTickets(store: store, users: store, sealer: DataKey(bytes: Array(repeating: 7, count: 32))!.sealer)
        return Setup(tickets: tickets, sessions: SessionService(store: store, settings: SessionSettings()), user: user, portal: portal)
    }

    /// Signs alice in, gets a portal ticket and validates it with `callback`: the PGT, or the error.
    func proxyGrantingTicket(_ setup: Setup, callback: String, allowInsecure: Bool = false) async throws -> (pgt: String?, cookie: String) {
        let (cookie, session) = try await setup.sessions.start(userID: setup.user.id)
        let st = try await setup.tickets.issue(
            for: "https://portal.example.test/", service: setup.portal, user: setup.user, session: session, fromNewLogin: false, renew: false
        )
        let validation = try await setup.tickets.validate(ticket: st, service: "https://portal.example.test/", renew: false)
        let callbacks = Callbacks()
        _ = try await setup.tickets.grantProxyTicket(callback: callback, for: validation, allowInsecure: allowInsecure, deliver: callbacks)
        return (callbacks.lastPGT, cookie)
    }

    @Test func aProxyTicketGoesOnlyToAServiceThatAllowsTheProxy() async throws {
        try await withStore { store, _ in
            let closed = try await setUp(store, backendAllows: [])
            let pgt = try await proxyGrantingTicket(closed, callback: "https://portal.example.test/pgt/cb").pgt
            await #expect(throws: CASError.unauthorizedServiceProxy("the target service does not accept proxy tickets from this proxy")) {
                _ = try await closed.tickets.proxyTicket(pgt: pgt, targetService: "https://backend.example.test/api")
            }
            var backend = try #require(try await store.casServices().first { $0.name == "backend" })
            backend.allowedProxies = ["portal"]
            try await store.update(backend)
            let pt = try await closed.tickets.proxyTicket(pgt: pgt, targetService: "https://backend.example.test/api")
            #expect(pt.hasPrefix("PT-"))
            await #expect(throws: CASError.self, "the portal does not allow proxying to itself") {
                _ = try await closed.tickets.proxyTicket(pgt: pgt, targetService: "https://portal.example.test/x")
            }
        }
    }

    @Test func aPlainHTTPCallbackIsRefusedForThatReasonUnlessTheTestSwitchIsOn() async throws {
        try await withStore { store, _ in
            let setup = try await setUp(store, backendAllows: [])
            var portal = setup.portal
            portal.proxyCallbackPattern = "http://127.0.0.1:9/pgt/"
            try await store.update(portal)
            await #expect(throws: CASError.invalidProxyCallback("the proxy callback must use https")) {
                _ = try await proxyGrantingTicket(setup, callback: "http://127.0.0.1:9/pgt/cb")
            }
            #expect(try await proxyGrantingTicket(setup, callback: "http://127.0.0.1:9/pgt/cb", allowInsecure: true).pgt != nil)
        }
    }

    @Test func aCallbackOutsideThePatternIsRefused() async throws {
        try await withStore { store, _ in
            let setup = try await setUp(store, backendAllows: [])
            for callback in ["https://portal.example.test/pgtx", "https://portal.example.test.evil.test/pgt/", "https://portal.example.test@evil.test/pgt/"] {
                await #expect(throws: CASError.invalidProxyCallback("the proxy callback is not registered for this service"), "\(callback)") {
                    _ = try await proxyGrantingTicket(setup, callback: callback)
                }
            }
        }
    }

    @Test func signingOutEndsTheSessionsProxyGrantingTickets() async throws {
        try await withStore { store, _ in
            let setup = try await setUp(store, backendAllows: ["portal"])
            let (pgt, cookie) = try await proxyGrantingTicket(setup, callback: "https://portal.example.test/pgt/cb")
            #expect(try await setup.tickets.proxyTicket(pgt: pgt, targetService: "https://backend.example.test/").hasPrefix("PT-"))
            try await setup.sessions.end(cookieValue: cookie)
            await #expect(throws: CASError.self) { _ = try await setup.tickets.proxyTicket(pgt: pgt, targetService: "https://backend.example.test/") }

            let (second, _) = try await proxyGrantingTicket(setup, callback: "https://portal.example.test/pgt/cb")
            try await AccountService(users: store, sessions: store, hasher: fastHasher).setDisabled(username: "alice", true)
            await #expect(throws: CASError.self, "disabling ends them too") {
                _ = try await setup.tickets.proxyTicket(pgt: second, targetService: "https://backend.example.test/")
            }
        }
    }
}
