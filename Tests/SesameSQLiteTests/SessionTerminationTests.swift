import Foundation
import SesameCore
import SesameJOSE
import SesameSQL
import Synchronization
import Testing

/// Issue 14, point 4: one way to end a session. The store ends it, the termination is audited
/// once, each listener hears once per session, and back-channel logout tells only the apps the
/// session signed in to, with a logout token Sesame's keys verify.
@Suite struct SessionTerminationTests {
    /// Keeps what the audit trail writes.
    final class MemoryAudit: AuditStore {
        let events = Mutex<[AuditEvent]>([])
        func append(_ batch: [AuditEvent]) async throws { events.withLock { $0 += batch } }
        func auditChain(afterID: Int, limit: Int) async throws -> [ChainedAuditEvent] { [] }
        func auditChainAnchor() async throws -> AuditChainAnchor? { nil }
        func auditEvents(_ query: AuditQuery) async throws -> [ChainedAuditEvent] { [] }
        func written(_ trail: AuditTrail) async throws -> [AuditEvent] {
            try await trail.flush()
            return events.withLock { $0 }
        }
    }

    /// Counts what it is told, and offers one frame per session.
    final class Recorder: SessionTerminationListener {
        let told = Mutex<[EndedSession]>([])
        func frontChannelFrames(for session: EndedSession) async -> [String] { ["https://app.example.test/fc?sid=\(session.sid)"] }
        func sessionEnded(_ session: EndedSession) async { told.withLock { $0.append(session) } }
        var sessions: [EndedSession] { told.withLock { $0 } }
    }

    /// Answers each POST from a script of statuses (nil: a network failure), and keeps what was sent.
    final class ScriptedTransport: BackChannelLogoutTransport {
        struct Failure: Error {}
        let script: Mutex<[String: [Int?]]>
        let sent = Mutex<[(uri: String, body: String)]>([])
        init(_ script: [String: [Int?]] = [:]) { self.script = Mutex(script) }
        func post(form body: String, to uri: String, timeout: TimeInterval) async throws -> Int {
            sent.withLock { $0.append((uri, body)) }
            let next = script.withLock { script -> Int?? in
                guard var answers = script[uri], !answers.isEmpty else { return .some(200) }
                let first = answers.removeFirst()
                script[uri] = answers
                return .some(first)
            }
            guard let status = next ?? nil else { throw Failure() }
            return status
        }
        func posts(to uri: String) -> [String] { sent.withLock { $0.filter { $0.uri == uri }.map(\.body) } }
    }

    func client(_ name: String, backchannel: String? = nil, alg: String = "ES256") -> Client {
        var client = Client(
            id: "id-\(name)", name: name, secretDigest: nil, redirectURIs: ["https://\(name).example.test/cb"], grantTypes: [.authorizationCode],
            scopes: ["openid"], tokenEndpointAuthMethod: .none, idTokenSignedResponseAlg: alg, createdAt: Date()
        )
        client.backchannelLogoutURI = backchannel
        return client
    }

    func keys(_ store: SQLStore) async throws -> KeySetHolder {
        let ring = SigningKeyRing(store: store, sealer: DataKey(bytes: Array(repeating: 9, count: 32))!.sealer)
        try await ring.ensureKeys()
        return KeySetHolder(try await ring.load(publishFor: 3600))
    }

    @Test func eachListenerHearsOnceAndTheEndIsAuditedOnce() async throws {
        try await withStore { store, _ in
            let user = makeUser("alice")
            try await store.insert(user)
            let sessions = SessionService(store: store, settings: SessionSettings())
            let (cookie, session) = try await sessions.start(userID: user.id)
            try await sessions.recordClient("id-app", in: session)
            let audit = MemoryAudit()
            let trail = AuditTrail(store: audit)
            let (first, second) = (Recorder(), Recorder())
            let outcome = try await sessions.termination(listeners: [first, second], audit: trail).end(
                cookieValue: cookie, session: session, reason: .signOut, clientAddress: "192.0.2.1", at: Date()
            )
            await outcome.deliveriesFinished()
            #expect(first.sessions == [EndedSession(record: session, clientIDs: ["id-app"])])
            #expect(second.sessions.count == 1)
            #expect(outcome.frontChannelFrames.count == 2, "a frame from each listener")
            #expect(try await sessions.resume(cookieValue: cookie) == nil)
            #expect(try await store.clientIDs(sessionID: session.sid).isEmpty)
            let events = try await audit.written(trail)
            #expect(events.map(\.type) == ["session.ended"])
            #expect(events.first?.detail == "sign-out" && events.first?.subject == user.id && events.first?.clientAddress == "192.0.2.1")
        }
    }

    @Test func revokingEverySessionTellsEachListenerPerSessionAndAuditsOnce() async throws {
        try await withStore { store, _ in
            let user = makeUser("alice")
            try await store.insert(user)
            let sessions = SessionService(store: store, settings: SessionSettings())
            let (_, one) = try await sessions.start(userID: user.id)
            let (_, two) = try await sessions.start(userID: user.id)
            try await sessions.recordClient("id-app", in: two)
            let audit = MemoryAudit()
            let trail = AuditTrail(store: audit)
            let recorder = Recorder()
            let outcome = try await sessions.termination(listeners: [recorder], audit: trail).revokeAll(userID: user.id, actor: "admin:ops")
            await outcome.deliveriesFinished()
            #expect(Set(recorder.sessions.map(\.sid)) == [one.sid, two.sid] && recorder.sessions.count == 2)
            #expect(recorder.sessions.first { $0.sid == two.sid }?.clientIDs == ["id-app"])
            #expect(outcome.frontChannelFrames.isEmpty, "no browser to load frames in")
            #expect(try await store.sessions(userID: user.id).isEmpty)
            let events = try await audit.written(trail)
            #expect(events.map(\.type) == ["sessions.revoked"] && events.first?.actor == "admin:ops")
        }
    }

    @Test func anUnknownCookieEndsQuietly() async throws {
        try await withStore { store, _ in
            let audit = MemoryAudit()
            let trail = AuditTrail(store: audit)
            let recorder = Recorder()
            let sessions = SessionService(store: store, settings: SessionSettings())
            let outcome = try await sessions.termination(listeners: [recorder], audit: trail).end(
                cookieValue: "not-a-session", session: nil, reason: .signOut, at: Date()
            )
            await outcome.deliveriesFinished()
            #expect(recorder.sessions.isEmpty && outcome.frontChannelFrames.isEmpty)
            #expect(try await audit.written(trail).isEmpty)
        }
    }

    @Test func backChannelGoesOnlyToTheAppsTheSessionSignedInToWithRetriesAndEachResultAudited() async throws {
        try await withStore { store, _ in
            let user = makeUser("alice")
            try await store.insert(user)
            for c in [
                client("steady", backchannel: "https://steady.example.test/bc"),
                client("flaky", backchannel: "https://flaky.example.test/bc"),
                client("down", backchannel: "https://down.example.test/bc"),
                client("refuses", backchannel: "https://refuses.example.test/bc"),
                client("elsewhere", backchannel: "https://elsewhere.example.test/bc"),
                client("frontonly"),
            ] { try await store.insert(c) }
            let sessions = SessionService(store: store, settings: SessionSettings())
            let (cookie, session) = try await sessions.start(userID: user.id)
            for name in ["steady", "flaky", "down", "refuses", "frontonly"] { try await sessions.recordClient("id-\(name)", in: session) }
            let transport = ScriptedTransport([
                "https://flaky.example.test/bc": [nil, 503, 200],
                "https://down.example.test/bc": [nil, nil, nil, nil],
                "https://refuses.example.test/bc": [400, 200],
            ])
            let audit = MemoryAudit()
            let trail = AuditTrail(store: audit)
            let backChannel = BackChannelLogout(
                clients: store, tokens: BackChannelLogoutToken(issuer: "https://sesame.example.test", keys: try await keys(store)),
                transport: transport, audit: trail, attempts: 3, retryDelay: .milliseconds(1)
            )
            let outcome = try await sessions.termination(listeners: [backChannel], audit: trail).end(
                cookieValue: cookie, session: session, reason: .signOut, at: Date()
            )
            await outcome.deliveriesFinished()
            #expect(transport.posts(to: "https://steady.example.test/bc").count == 1)
            #expect(transport.posts(to: "https://flaky.example.test/bc").count == 3, "two failures, then delivered")
            #expect(transport.posts(to: "https://down.example.test/bc").count == 3, "three attempts, no more")
            #expect(transport.posts(to: "https://refuses.example.test/bc").count == 1, "a 400 is the app's answer: not retried")
            #expect(transport.posts(to: "https://elsewhere.example.test/bc").isEmpty, "never signed in to by this session")
            #expect(transport.sent.withLock { $0.allSatisfy { $0.body.hasPrefix("logout_token=") } })
            let results = try await audit.written(trail).filter { $0.type.hasPrefix("backchannel_logout.") }
            func result(_ name: String) -> String? { results.first { $0.clientID == "id-\(name)" }?.type }
            #expect(results.count == 4)
            #expect(result("steady") == "backchannel_logout.delivered" && result("flaky") == "backchannel_logout.delivered")
            #expect(result("down") == "backchannel_logout.failed" && result("refuses") == "backchannel_logout.failed")
            #expect(results.allSatisfy { $0.subject == user.id && ($0.detail ?? "").contains("sid=\(session.sid)") })
        }
    }

    @Test func theLogoutTokenCarriesTheBackChannelClaimsAndNoNonce() async throws {
        try await withStore { store, _ in
            let holder = try await keys(store)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let tokens = BackChannelLogoutToken(issuer: "https://sesame.example.test", keys: holder, clock: ManualClock(now))
            let record = SessionRecord(idDigest: "digest", userID: "user-1", createdAt: now, lastSeenAt: now, authenticatedAt: now)
            for alg in ["ES256", "RS256"] {
                let text = try tokens.make(for: client("app", alg: alg), session: EndedSession(record: record, clientIDs: ["id-app"]))
                let token = try #require(VerifiedJWT.verify(text, keys: holder.current.verificationKeys))
                #expect(token.header["typ"]?.string == "logout+jwt" && token.header["alg"]?.string == alg)
                #expect(token.string("iss") == "https://sesame.example.test" && token.audiences == ["id-app"])
                #expect(token.string("sub") == "user-1" && token.string("sid") == record.sid)
                #expect(token.number("iat") == 1_800_000_000 && token.number("exp") == 1_800_000_120)
                #expect((token.string("jti") ?? "").count >= 16)
                #expect(token.claims["events"]?.object?[BackChannelLogoutToken.event]?.object == [:])
                #expect(token.claims["nonce"] == nil)
            }
        }
    }

    @Test func theBackChannelURIIsHTTPSOrLoopbackAndRoundTrips() async throws {
        try await withStore { store, _ in
            let service = ClientManagement(store: store)
            let (added, _) = try await service.add(name: "web", {
                var r = ClientRegistration(redirectURIs: ["https://web.example.test/cb"])
                r.backchannelLogoutURI = "https://web.example.test/backchannel-logout"
                return r
            }())
            #expect(try await store.client(id: added.id)?.backchannelLogoutURI == "https://web.example.test/backchannel-logout")
            for bad in [
                "http://web.example.test/bc", "https://web.example.test/bc#frag", "https://user@web.example.test/bc", "ftp://web.example.test/bc",
                "/relative", "https://web.example.test/" + String(repeating: "a", count: 2100), "https://web.example.test/a b",
            ] {
                var r = ClientRegistration()
                r.backchannelLogoutURI = bad
                await #expect(throws: ClientError.self, "\(bad.prefix(60))") { try await service.update(name: "web", r) }
            }
            var loopback = ClientRegistration()
            loopback.backchannelLogoutURI = "http://127.0.0.1:8123/bc"
            #expect(try await service.update(name: "web", loopback).0.backchannelLogoutURI == "http://127.0.0.1:8123/bc")
            var removal = ClientRegistration()
            removal.backchannelLogoutURI = ""
            _ = try await service.update(name: "web", removal)
            #expect(try await store.client(id: added.id)?.backchannelLogoutURI == nil)
        }
    }
}
