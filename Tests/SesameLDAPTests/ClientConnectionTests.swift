import NIOCore
import SesameLDAP
import Synchronization
import Testing

/// How a connection matches answers to requests and fails, against a scripted server.
@Suite struct ClientConnectionTests {
    static let quick = LDAPConnectionSettings(connectTimeout: .seconds(2), operationTimeout: .milliseconds(400))

    @Test func anEmptyPasswordIsRefusedWithoutSendingAByte() async throws {
        let server = try await ClientFakeServer { message, reply in reply.send(.answer(message.messageID, .bindResponse(.success))) }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url)
        for _ in 0..<100 where server.connections == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.connections == 1)
        let error = await #expect(throws: LDAPClientError.self) { try await connection.bind(dn: "uid=alice,dc=example", password: "") }
        #expect(error?.kind == .emptyPassword)
        // The client refuses before it even connects.
        let client = LDAPClient(configuration: LDAPClientConfiguration(servers: [server.url]))
        let clientError = await #expect(throws: LDAPClientError.self) { try await client.bind(dn: "uid=alice,dc=example", password: "") }
        #expect(clientError?.kind == .emptyPassword)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.receivedBytes == 0)
        #expect(server.connections == 1)
        await connection.close()
    }

    @Test func messageIDsIncreaseAndAnswersFindTheirRequestsInAnyOrder() async throws {
        // The first request is answered only after the second.
        let held = Mutex<LDAPMessage?>(nil)
        let server = try await ClientFakeServer { message, reply in
            guard case .extendedRequest(_, let value) = message.operation else { return }
            if held.withLock({ $0 }) == nil {
                held.withLock { $0 = message }
                return
            }
            let first = held.withLock { $0! }
            guard case .extendedRequest(_, let firstValue) = first.operation else { return }
            reply.send(
                .answer(message.messageID, .extendedResponse(.success, value: value)),
                .answer(first.messageID, .extendedResponse(.success, value: firstValue)))
        }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url)
        async let one = connection.extended(name: "1.2.3.4", value: [1])
        try await Task.sleep(for: .milliseconds(100))
        async let two = connection.extended(name: "1.2.3.4", value: [2])
        let (a, b) = try await (one, two)
        #expect(a.value == [1])
        #expect(b.value == [2])
        #expect(server.receivedMessages.map(\.messageID) == [1, 2])
        _ = try? await connection.extended(name: "1.2.3.4", value: [3])
        #expect(server.receivedMessages.map(\.messageID) == [1, 2, 3])
        await connection.close()
    }

    @Test func aNoticeOfDisconnectionFailsEveryPendingRequestAndTheConnection() async throws {
        let server = try await ClientFakeServer { message, reply in
            guard case .bindRequest = message.operation else { return }  // the search stays pending
            reply.send(.answer(0, .extendedResponse(LDAPResult(code: .unavailable, diagnosticMessage: "shutting down"), name: LDAPOID.noticeOfDisconnection)))
        }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url)
        let request = LDAPSearchRequest(base: "dc=example", filter: try LDAPFilter.parse("(uid=*)"))
        let search = Task { try await connection.search(request) }
        try await Task.sleep(for: .milliseconds(100))
        let bindError = await #expect(throws: LDAPClientError.self) { try await connection.bind(dn: "uid=a", password: "b") }
        #expect(bindError?.kind == .noticeOfDisconnection)
        #expect(bindError?.result?.diagnosticMessage == "shutting down")
        #expect(bindError?.isServerFailure == true)
        let searchError = await #expect(throws: LDAPClientError.self) { try await search.value }
        #expect(searchError?.kind == .noticeOfDisconnection)
        #expect(!connection.isUsable)
        let later = await #expect(throws: LDAPClientError.self) { try await connection.whoAmI() }
        #expect(later?.kind == .connectionClosed)
    }

    @Test func anUnansweredOperationTimesOutAndTheConnectionIsNotReused() async throws {
        let server = try await ClientFakeServer { _, _ in }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url, settings: Self.quick)
        var error: LDAPClientError?
        let took = await elapsed {
            error = await #expect(throws: LDAPClientError.self) { try await connection.whoAmI() }
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.server == server.url.description)
        // The 400 ms time-out ended it, not the default of 10 s (generous: a loaded machine stretches clocks).
        #expect(took >= .milliseconds(400) && took < .seconds(5))
        #expect(!connection.isUsable)
        let later = await #expect(throws: LDAPClientError.self) { try await connection.whoAmI() }
        #expect(later?.kind == .connectionClosed)
    }

    @Test func aCancelledOperationEndsAtOnceAndTheConnectionIsNotReused() async throws {
        let server = try await ClientFakeServer { _, _ in }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url, settings: LDAPConnectionSettings(operationTimeout: .seconds(30)))
        let operation = Task { try await connection.whoAmI() }
        try await Task.sleep(for: .milliseconds(100))
        var error: LDAPClientError?
        let took = await elapsed {
            operation.cancel()
            error = await #expect(throws: LDAPClientError.self) { try await operation.value }
        }
        #expect(error?.kind == .cancelled)
        #expect(took < .seconds(5))
        #expect(!connection.isUsable)
    }

    @Test func referralsAreReturnedNotChased() async throws {
        let server = try await ClientFakeServer { message, reply in
            reply.send(
                .answer(message.messageID, .searchResultReference(["ldap://elsewhere.example/dc=b"])),
                .answer(message.messageID, .searchResultDone(LDAPResult(code: .referral, referral: ["ldap://other.example/dc=a"]))))
        }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url)
        let result = try await connection.search(LDAPSearchRequest(base: "dc=a", filter: try LDAPFilter.parse("(uid=x)")))
        #expect(result.result.code == .referral)
        #expect(result.result.referral == ["ldap://other.example/dc=a"])
        #expect(result.references == [["ldap://elsewhere.example/dc=b"]])
        #expect(server.connections == 1)
        await connection.close()
    }

    @Test func anAnswerToNoRequestIsAProtocolViolation() async throws {
        let server = try await ClientFakeServer { message, reply in
            reply.send(.answer(message.messageID + 7, .extendedResponse(.success)))
        }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url)
        let error = await #expect(throws: LDAPClientError.self) { try await connection.whoAmI() }
        #expect(error?.kind == .protocolViolation)
        #expect(!connection.isUsable)
    }

    @Test func aSearchReturningMoreEntriesThanAllowedIsCutOff() async throws {
        let server = try await ClientFakeServer { message, reply in
            let entry = LDAPSearchEntry(dn: "uid=x,dc=a", attributes: [])
            var messages = Array(repeating: LDAPMessage.answer(message.messageID, .searchResultEntry(entry)), count: 11)
            messages.append(.answer(message.messageID, .searchResultDone(.success)))
            reply.send(messages.flatMap { $0.encode() })
        }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url, settings: LDAPConnectionSettings(maxSearchEntries: 10))
        let error = await #expect(throws: LDAPClientError.self) {
            try await connection.search(LDAPSearchRequest(base: "dc=a", filter: try LDAPFilter.parse("(uid=*)")))
        }
        #expect(error?.kind == .protocolViolation)
    }

    @Test func aServerThatClosesFailsThePendingRequest() async throws {
        let server = try await ClientFakeServer { _, reply in reply.close() }
        defer { Task { await server.shutdown() } }
        let connection = try await LDAPConnection.connect(to: server.url)
        let error = await #expect(throws: LDAPClientError.self) { try await connection.whoAmI() }
        #expect(error?.kind == .connectionClosed)
        #expect(error?.isServerFailure == true)
    }

    @Test func connectingWhereNobodyListensFailsAtOnce() async throws {
        let port = try await ClientTestSlapd.freePort()
        // A time-out longer than any test run: a refusal must end the attempt, not the time-out
        // (asserted on the reason given, not on a clock, which a loaded machine would stretch).
        let error = await #expect(throws: LDAPClientError.self) {
            try await LDAPConnection.connect(
                to: LDAPURL(scheme: .ldap, host: "127.0.0.1", port: port), settings: LDAPConnectionSettings(connectTimeout: .seconds(3600)))
        }
        #expect(error?.kind == .connectFailed)
        #expect(error?.description.contains("refused") == true)
        #expect(error?.description.contains("time-out") == false)
    }
}
