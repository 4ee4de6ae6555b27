import SesameLDAP
import Testing

/// LDAPS and StartTLS against real slapd with certificates made by openssl: verification is on by
/// default, a wrong CA or a certificate for another host is refused.
@Suite(.enabled(if: ClientTestDirectory.current != nil, Comment(rawValue: ClientTestDirectory.missing)))
struct ClientTLSTests {
    let directory = ClientTestDirectory.current!

    private func bindsAlice(_ url: LDAPURL, _ settings: LDAPConnectionSettings) async throws -> Bool {
        let connection = try await LDAPConnection.connect(to: url, settings: settings)
        defer { Task { await connection.close() } }
        return try await connection.bind(dn: directory.person("alice"), password: "alice-password").isSuccess
    }

    private func refusal(_ url: LDAPURL, _ settings: LDAPConnectionSettings) async -> LDAPClientError? {
        await #expect(throws: LDAPClientError.self) { try await LDAPConnection.connect(to: url, settings: settings) }
    }

    @Test func ldapsAndStartTLSWorkWithTheRightCA() async throws {
        #expect(try await bindsAlice(directory.ldapsURL, LDAPConnectionSettings(tls: .ca(file: directory.caFile))))
        #expect(try await bindsAlice(directory.url, LDAPConnectionSettings(startTLS: true, tls: .ca(file: directory.caFile))))
        let viaHostName = LDAPURL(scheme: .ldaps, host: "localhost", port: directory.ldapsURL.port)
        #expect(try await bindsAlice(viaHostName, LDAPConnectionSettings(tls: .ca(file: directory.caFile))))
    }

    @Test func theClientBindsAndSearchesOverLDAPSAndStartTLS() async throws {
        for (url, startTLS) in [(directory.ldapsURL, false), (directory.url, true)] {
            let client = directory.client([url], settings: LDAPConnectionSettings(startTLS: startTLS, tls: .ca(file: directory.caFile)))
            let bind = try await client.bind(dn: directory.person("alice"), password: "alice-password")
            #expect(bind.value.isSuccess)
            let found = try await client.search(LDAPSearchRequest(base: directory.baseDN, filter: try LDAPFilter.parse("(uid=alice)"), attributes: ["uid"]))
            #expect(found.value.entries.count == 1)
            await client.shutdown()
            // With the wrong CA nothing gets through, and no password is sent in the clear instead.
            let wrong = directory.client([url], settings: LDAPConnectionSettings(startTLS: startTLS, tls: .ca(file: directory.otherCAFile)))
            let error = await #expect(throws: LDAPClientError.self) { try await wrong.bind(dn: directory.person("alice"), password: "alice-password") }
            #expect(error?.message.contains("TLS") == true)
        }
    }

    @Test func aCertificateFromAnotherCAIsRefused() async throws {
        let other = LDAPConnectionSettings(tls: .ca(file: directory.otherCAFile))
        #expect(await refusal(directory.ldapsURL, other)?.kind == .tls)
        #expect(await refusal(directory.url, LDAPConnectionSettings(startTLS: true, tls: .ca(file: directory.otherCAFile)))?.kind == .tls)
        // The system's trust store does not know the test CA either: verification is on by default.
        #expect(await refusal(directory.ldapsURL, LDAPConnectionSettings())?.kind == .tls)
        // Only an explicit opt-out (tests) skips the checks.
        #expect(try await bindsAlice(directory.ldapsURL, LDAPConnectionSettings(tls: .insecureNoVerification)))
    }

    @Test func aCertificateForAnotherHostNameIsRefusedEvenIfItNamesTheAddress() async throws {
        // Names the address but not "localhost": a URL naming localhost must be refused, although
        // the connection goes to 127.0.0.1 (NIOSSL's own check would accept the IP SAN here).
        let slapd = try await ClientTestSlapd(subjectAltName: "DNS:elsewhere.test,IP:127.0.0.1")
        defer { slapd.stop() }
        let settings = LDAPConnectionSettings(tls: .ca(file: slapd.caFile))
        let byName = LDAPURL(scheme: .ldaps, host: "localhost", port: slapd.ldapsURL.port)
        let refused = await refusal(byName, settings)
        #expect(refused?.kind == .tls)
        #expect(refused?.message.contains("localhost") == true)
        let startTLSByName = LDAPURL(scheme: .ldap, host: "localhost", port: slapd.url.port)
        #expect(await refusal(startTLSByName, LDAPConnectionSettings(startTLS: true, tls: .ca(file: slapd.caFile)))?.kind == .tls)
        let connection = try await LDAPConnection.connect(to: slapd.ldapsURL, settings: settings)
        #expect(try await connection.whoAmI() == "")
        await connection.close()
    }

    @Test func anAddressMustBeAnIPSubjectAltName() async throws {
        let slapd = try await ClientTestSlapd(subjectAltName: "DNS:localhost")
        defer { slapd.stop() }
        let settings = LDAPConnectionSettings(tls: .ca(file: slapd.caFile))
        #expect(await refusal(slapd.ldapsURL, settings)?.kind == .tls)
        let byName = LDAPURL(scheme: .ldaps, host: "localhost", port: slapd.ldapsURL.port)
        let connection = try await LDAPConnection.connect(to: byName, settings: settings)
        #expect(try await connection.whoAmI() == "")
        await connection.close()
    }
}

/// StartTLS failures that real servers do not produce, from a scripted server.
@Suite struct ClientStartTLSTests {
    @Test func bytesAfterTheStartTLSAnswerAreRefusedAndNoPasswordIsSent() async throws {
        // A man in the middle answering StartTLS and appending a plaintext "bind success".
        let server = try await ClientFakeServer { message, reply in
            guard case .extendedRequest(let name, _) = message.operation, name == LDAPOID.startTLS else { return }
            let answer = LDAPMessage.answer(message.messageID, .extendedResponse(.success, name: LDAPOID.startTLS))
            let injected = LDAPMessage.answer(message.messageID + 1, .bindResponse(.success))
            reply.send(answer.encode() + injected.encode())
        }
        defer { Task { await server.shutdown() } }
        let settings = LDAPConnectionSettings(startTLS: true, tls: .insecureNoVerification)
        let error = await #expect(throws: LDAPClientError.self) { try await LDAPConnection.connect(to: server.url, settings: settings) }
        #expect(error?.kind == .startTLSFailed)
        #expect(error?.message.contains("after its StartTLS answer") == true)

        // Through the client: the user's bind is never sent after the failed StartTLS.
        let client = LDAPClient(configuration: LDAPClientConfiguration(servers: [server.url], connection: settings))
        await #expect(throws: LDAPClientError.self) { try await client.bind(dn: "uid=alice", password: "secret") }
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.receivedMessages.allSatisfy { if case .extendedRequest(LDAPOID.startTLS, _) = $0.operation { true } else { false } })
        #expect(server.receivedMessages.count == 2)
    }

    @Test func aRefusedStartTLSFailsTheConnectionBeforeAnythingElseIsSent() async throws {
        let server = try await ClientFakeServer { message, reply in
            reply.send(.answer(message.messageID, .extendedResponse(LDAPResult(code: .protocolError, diagnosticMessage: "no TLS here"))))
        }
        defer { Task { await server.shutdown() } }
        let client = LDAPClient(configuration: LDAPClientConfiguration(servers: [server.url], connection: LDAPConnectionSettings(startTLS: true)))
        let error = await #expect(throws: LDAPClientError.self) { try await client.bind(dn: "uid=alice", password: "secret") }
        #expect(error?.kind == .allServersFailed)
        #expect(error?.message.contains("refused StartTLS") == true)
        #expect(server.receivedMessages.count == 1)
    }
}
