import SesameLDAP
import Testing

/// Servers in order with failover and backoff, against slapd processes of the test's own (so that
/// stopping one never stalls the shared servers).
@Suite(.enabled(if: ClientTestSlapd.available, Comment(rawValue: ClientTestDirectory.missing)))
struct ClientFailoverTests {
    static let settings = LDAPConnectionSettings(connectTimeout: .seconds(1), operationTimeout: .seconds(2))

    private func client(_ servers: [LDAPURL], poolSize: Int = 4, poolWait: Duration = .seconds(5)) -> LDAPClient {
        LDAPClient(configuration: LDAPClientConfiguration(
            servers: servers, connection: Self.settings, bindDN: ClientTestSlapd.serviceDN,
            bindPassword: ClientTestSlapd.servicePassword, poolSize: poolSize, poolWait: poolWait))
    }

    private let alice = LDAPSearchRequest(base: ClientTestSlapd.suffix, filter: try! LDAPFilter.parse("(uid=alice)"), attributes: ["uid"])

    @Test func aHungFirstServerFailsOverToTheSecondWithinTheTimeOut() async throws {
        let first = try await ClientTestSlapd()
        let second = try await ClientTestSlapd()
        defer { first.stop(); second.stop() }
        let client = client([first.url, second.url])
        defer { Task { await client.shutdown() } }
        #expect(try await client.search(alice).server == first.url.description)

        try await first.pause()
        var answer: LDAPAnswer<LDAPSearchResult>?
        let took = try await elapsed { answer = try await client.search(alice) }
        #expect(answer?.server == second.url.description)
        #expect(answer?.value.entries.count == 1)
        // One operation time-out (2 s) on the hung server, then the second server at once.
        #expect(took >= .seconds(2) && took < .seconds(6))
        let status = await client.status()
        #expect(status[0].health.consecutiveFailures == 1)
        #expect(status[0].health.lastError?.contains("time-out") == true)
        #expect(status[1].health.consecutiveFailures == 0)
        // The pooled connection that timed out is gone, not kept for later.
        #expect(await client.poolCounts()[0].open == 0)

        // Later operations and user binds skip the hung server without waiting.
        let quick = try await elapsed {
            #expect(try await client.search(alice).server == second.url.description)
            let bind = try await client.bind(dn: ClientTestSlapd.aliceDN, password: "alice-password")
            #expect(bind.value.isSuccess)
            #expect(bind.server == second.url.description)
        }
        #expect(quick < .seconds(2))

        // Once it runs again, a background probe (after the backoff) brings it back.
        first.resume()
        var back = false
        for _ in 0..<40 where !back {
            try await Task.sleep(for: .milliseconds(250))
            back = try await client.search(alice).server == first.url.description
        }
        #expect(back)
        #expect(await client.status()[0].health.consecutiveFailures == 0)
    }

    @Test func aHungServerTimesOutWithinItsTimeOutsAndTheConnectionIsDiscarded() async throws {
        let slapd = try await ClientTestSlapd()
        defer { slapd.stop() }
        let settings = LDAPConnectionSettings(tls: .ca(file: slapd.caFile), connectTimeout: .milliseconds(800), operationTimeout: .milliseconds(800))
        let connection = try await LDAPConnection.connect(to: slapd.url, settings: settings)
        try await slapd.pause()
        defer { slapd.resume() }
        // The kernel still accepts connections for a stopped process: the TLS handshake and the
        // operation are what must time out.
        var bindError: LDAPClientError?
        let bindTook = await elapsed {
            bindError = await #expect(throws: LDAPClientError.self) { try await connection.bind(dn: ClientTestSlapd.aliceDN, password: "alice-password") }
        }
        #expect(bindError?.kind == .timedOut)
        // Upper bounds leave room for a loaded CI machine; without the time-out this would hang.
        #expect(bindTook >= .milliseconds(800) && bindTook < .seconds(5))
        #expect(!connection.isUsable)
        var handshakeError: LDAPClientError?
        let handshakeTook = await elapsed {
            handshakeError = await #expect(throws: LDAPClientError.self) { try await LDAPConnection.connect(to: slapd.ldapsURL, settings: settings) }
        }
        #expect(handshakeError?.kind == .timedOut)
        #expect(handshakeTook < .seconds(5))
    }

    @Test func aPooledConnectionTheServerClosedWhileIdleIsReplacedWithoutBlamingTheServer() async throws {
        let slapd = try await ClientTestSlapd(globalConfig: "idletimeout 3")
        defer { slapd.stop() }
        let client = client([slapd.url])
        defer { Task { await client.shutdown() } }
        #expect(try await client.search(alice).value.entries.count == 1)
        #expect(await client.poolCounts()[0].open == 1)
        try await Task.sleep(for: .seconds(6))  // slapd drops connections idle for 3 s
        #expect(try await client.search(alice).value.entries.count == 1)
        // The replacement is bound as the service account again.
        #expect(try await client.withConnection { try await $0.whoAmI() }.value == "dn:\(ClientTestSlapd.serviceDN)")
        #expect(await client.status()[0].health.consecutiveFailures == 0)
        #expect(await client.poolCounts()[0].open == 1)
    }

    @Test func aServerRefusingConnectionsFailsOverAtOnceWithBackoffRecorded() async throws {
        let second = try await ClientTestSlapd()
        defer { second.stop() }
        let closed = LDAPURL(scheme: .ldap, host: "127.0.0.1", port: try await ClientTestSlapd.freePort())
        // Long time-outs: a refused connection must not wait for any of them.
        let client = LDAPClient(configuration: LDAPClientConfiguration(
            servers: [closed, second.url], connection: LDAPConnectionSettings(connectTimeout: .seconds(20), operationTimeout: .seconds(20)),
            bindDN: ClientTestSlapd.serviceDN, bindPassword: ClientTestSlapd.servicePassword))
        defer { Task { await client.shutdown() } }
        var answer: LDAPAnswer<LDAPSearchResult>?
        let took = try await elapsed { answer = try await client.search(alice) }
        #expect(answer?.server == second.url.description)
        #expect(took < .seconds(5))
        let status = await client.status()
        #expect(status[0].health.consecutiveFailures == 1)
        let firstFailure = try #require(status[0].health.lastFailure)
        #expect(status[0].health.retryAt == firstFailure + .seconds(1))
        #expect(status[0].retryIn != nil)
        // Still refusing when probed after the backoff: the backoff doubles.
        try await Task.sleep(for: .milliseconds(1100))
        _ = try await client.search(alice)
        try await Task.sleep(for: .milliseconds(200))
        let later = await client.status()[0].health
        #expect(later.consecutiveFailures == 2)
        let failedAt = try #require(later.lastFailure)
        #expect(later.retryAt == failedAt + .seconds(2))
    }

    @Test func aWrongPasswordIsAnAnswerAndNeverFailsOver() async throws {
        let first = try await ClientTestSlapd()
        let second = try await ClientTestSlapd()
        defer { first.stop(); second.stop() }
        let client = client([first.url, second.url])
        defer { Task { await client.shutdown() } }
        let answer = try await client.bind(dn: ClientTestSlapd.aliceDN, password: "wrong-password")
        #expect(answer.value.result.code == .invalidCredentials)
        #expect(answer.server == first.url.description)
        #expect(await client.status().allSatisfy { $0.health.consecutiveFailures == 0 })
        // Nor does a search that the server refuses.
        let missing = LDAPSearchRequest(base: "ou=missing,\(ClientTestSlapd.suffix)", filter: try LDAPFilter.parse("(uid=*)"))
        let error = await #expect(throws: LDAPClientError.self) { try await client.search(missing) }
        #expect(error?.result?.code == .noSuchObject)
        #expect(await client.status().allSatisfy { $0.health.consecutiveFailures == 0 })
    }

    @Test func everyServerDownIsOneTypedError() async throws {
        let a = LDAPURL(scheme: .ldap, host: "127.0.0.1", port: try await ClientTestSlapd.freePort())
        let b = LDAPURL(scheme: .ldap, host: "127.0.0.1", port: try await ClientTestSlapd.freePort())
        let client = client([a, b])
        let error = await #expect(throws: LDAPClientError.self) { try await client.search(alice) }
        #expect(error?.kind == .allServersFailed)
        #expect(error?.message.contains(a.description) == true)
        #expect(error?.message.contains(b.description) == true)
        // Both in backoff: they are still tried (rather than refused outright) and still fail.
        let again = await #expect(throws: LDAPClientError.self) { try await client.bind(dn: "uid=a", password: "b") }
        #expect(again?.kind == .allServersFailed)
    }

    @Test func pooledConnectionsAreReusedAndUserBindsUseTheirOwn() async throws {
        let slapd = try await ClientTestSlapd()
        defer { slapd.stop() }
        let client = client([slapd.url])
        defer { Task { await client.shutdown() } }
        for _ in 0..<5 { _ = try await client.search(alice) }
        #expect(await client.poolCounts()[0].open == 1)
        #expect(try await client.withConnection { try await $0.whoAmI() }.value == "dn:\(ClientTestSlapd.serviceDN)")

        let bound = try await client.bind(dn: ClientTestSlapd.aliceDN, password: "alice-password")
        #expect(bound.value.isSuccess)
        let session = try await client.withUserConnection(dn: ClientTestSlapd.aliceDN, password: "alice-password") { try await $0.whoAmI() }
        guard case .bound(_, let identity) = session.value else { Issue.record("not bound"); return }
        #expect(identity == "dn:\(ClientTestSlapd.aliceDN)")
        let refused = try await client.withUserConnection(dn: ClientTestSlapd.aliceDN, password: "wrong") { _ in Issue.record("ran after a refused bind") }
        #expect(refused.value.bindResponse.result.code == .invalidCredentials)

        // The pooled connection still acts as the service account, and is the same one.
        #expect(try await client.withConnection { try await $0.whoAmI() }.value == "dn:\(ClientTestSlapd.serviceDN)")
        #expect(await client.poolCounts()[0].open == 1)

        // Concurrent operations open at most poolSize connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 { group.addTask { _ = try await client.search(alice) } }
            try await group.waitForAll()
        }
        let counts = await client.poolCounts()[0]
        #expect(counts.open <= 4 && counts.open >= 1)
        #expect(counts.idle == counts.open)
    }

    @Test func whenEveryPooledConnectionIsBusyTheWaitIsBounded() async throws {
        let slapd = try await ClientTestSlapd()
        defer { slapd.stop() }
        let client = client([slapd.url], poolSize: 1, poolWait: .milliseconds(200))
        defer { Task { await client.shutdown() } }
        async let holder = client.withConnection { _ in try await Task.sleep(for: .seconds(1)) }
        try await Task.sleep(for: .milliseconds(100))
        let error = await #expect(throws: LDAPClientError.self) { try await client.search(alice) }
        #expect(error?.kind == .poolExhausted)
        _ = try await holder
        // Once released, the connection serves the next operation.
        #expect(try await client.search(alice).value.entries.count == 1)
        // A busy pool is not a failed server.
        #expect(await client.status()[0].health.consecutiveFailures == 0)
    }

    @Test func aWrongServicePasswordIsNotAServerFailure() async throws {
        let slapd = try await ClientTestSlapd()
        defer { slapd.stop() }
        let client = LDAPClient(configuration: LDAPClientConfiguration(
            servers: [slapd.url], connection: Self.settings, bindDN: ClientTestSlapd.serviceDN, bindPassword: "wrong"))
        let error = await #expect(throws: LDAPClientError.self) { try await client.search(alice) }
        #expect(error?.kind == .operationFailed)
        #expect(error?.result?.code == .invalidCredentials)
        let checks = await client.check()
        #expect(checks.count == 1)
        #expect(checks[0].problem?.contains("service account") == true)
    }

    @Test func checkReportsEachServerAndShutdownEndsTheClient() async throws {
        let slapd = try await ClientTestSlapd()
        defer { slapd.stop() }
        let closed = LDAPURL(scheme: .ldap, host: "127.0.0.1", port: try await ClientTestSlapd.freePort())
        let client = client([slapd.url, closed])
        let checks = await client.check()
        #expect(checks.map(\.server) == [slapd.url.description, closed.description])
        #expect(checks[0].problem == nil)
        #expect(checks[1].problem?.contains("connect") == true)
        _ = try await client.search(alice)
        await client.shutdown()
        #expect(await client.poolCounts()[0].open == 0)
        let error = await #expect(throws: LDAPClientError.self) { try await client.search(alice) }
        #expect(error?.kind == .shutDown)
    }
}
