import SesameLDAP
import Testing

/// Operations against the real slapd of scripts/ldap-servers (read-only there) and, for changes,
/// against a slapd of the test's own.
@Suite(.enabled(if: ClientTestDirectory.current != nil, Comment(rawValue: ClientTestDirectory.missing)))
struct ClientOperationsTests {
    let directory = ClientTestDirectory.current!

    private func connect(_ url: LDAPURL? = nil) async throws -> LDAPConnection {
        try await LDAPConnection.connect(to: url ?? directory.url)
    }

    @Test func aBindIsAnAnswerEvenWhenThePasswordIsWrong() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let good = try await connection.bind(dn: directory.person("alice"), password: "alice-password")
        #expect(good.isSuccess)
        let bad = try await connection.bind(dn: directory.person("alice"), password: "not-her-password")
        #expect(bad.result.code == .invalidCredentials)
        #expect(!bad.isSuccess)
        // The connection stays usable after a refused bind.
        #expect(try await connection.bind(dn: directory.bindDN, password: directory.bindPassword).isSuccess)
    }

    @Test func searchReturnsEntriesWithTheirAttributesAndHonoursTheSizeLimit() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        _ = try await connection.bind(dn: directory.bindDN, password: directory.bindPassword)
        let found = try await connection.search(LDAPSearchRequest(
            base: directory.baseDN, filter: try LDAPFilter.parse(template: "(uid={login})", values: ["login": "alice"]),
            attributes: ["uid", "cn", "entryUUID"]))
        #expect(found.result.code == .success)
        #expect(found.entries.map(\.dn) == [directory.person("alice")])
        #expect(found.entries.first?.values("UID") == [Array("alice".utf8)])
        #expect(found.entries.first?.values("entryUUID").first?.count == 36)

        let limited = try await connection.search(LDAPSearchRequest(
            base: "ou=people,\(directory.baseDN)", sizeLimit: 2, filter: try LDAPFilter.parse("(objectClass=inetOrgPerson)"), attributes: ["1.1"]))
        #expect(limited.result.code == .sizeLimitExceeded)
        #expect(limited.entries.count == 2)
    }

    @Test func aSearchThatFailsThrowsWithTheServersResult() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        _ = try await connection.bind(dn: directory.bindDN, password: directory.bindPassword)
        let error = await #expect(throws: LDAPClientError.self) {
            try await connection.search(LDAPSearchRequest(base: "ou=nowhere,\(directory.baseDN)", filter: try LDAPFilter.parse("(uid=*)")))
        }
        #expect(error?.kind == .operationFailed)
        #expect(error?.result?.code == .noSuchObject)
        #expect(error?.isServerFailure == false)
        #expect(connection.isUsable)
    }

    @Test func pagedSearchWalksAllTwelveHundredUsersThatOneSearchCannotReturn() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        _ = try await connection.bind(dn: directory.bindDN, password: directory.bindPassword)
        let request = LDAPSearchRequest(base: directory.bulkBaseDN, scope: .singleLevel, filter: try LDAPFilter.parse("(uid=*)"), attributes: ["uid"])
        // Unpaged, the server stops at its limit of 500.
        let unpaged = try await connection.search(request)
        #expect(unpaged.result.code == .sizeLimitExceeded)
        #expect(unpaged.entries.count == 500)

        var pageSizes: [Int] = []
        var uids = Set<String>()
        try await connection.pagedSearch(request, pageSize: 450) { page in
            pageSizes.append(page.entries.count)
            for entry in page.entries { uids.insert(String(decoding: entry.values("uid").first ?? [], as: UTF8.self)) }
        }
        #expect(pageSizes == [450, 450, 300])
        #expect(uids.count == 1200)

        var total = 0
        for try await page in connection.pages(request, pageSize: 1000) { total += page.entries.count }
        #expect(total == 1200)
    }

    @Test func aPagedSearchStopsWhenItsBodyThrowsAndTheConnectionGoesOn() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        _ = try await connection.bind(dn: directory.bindDN, password: directory.bindPassword)
        let request = LDAPSearchRequest(base: directory.bulkBaseDN, scope: .singleLevel, filter: try LDAPFilter.parse("(uid=*)"), attributes: ["uid"])
        var pages = 0
        await #expect(throws: TestFailure.self) {
            try await connection.pagedSearch(request, pageSize: 100) { _ in
                pages += 1
                throw TestFailure("stop")
            }
        }
        #expect(pages == 1)
        #expect(connection.isUsable)
        #expect(try await connection.whoAmI() == "dn:\(directory.bindDN)")
    }

    @Test func whoAmINamesTheBoundIdentity() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        #expect(try await connection.whoAmI() == "")
        _ = try await connection.bind(dn: directory.person("alice"), password: "alice-password")
        #expect(try await connection.whoAmI() == "dn:\(directory.person("alice"))")
    }

    @Test func theBindReturnsThePasswordPolicyControl() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let expiring = try await connection.bind(dn: directory.person("expiring"), password: "expiring-password", controls: [LDAPPasswordPolicyControl.request])
        #expect(expiring.isSuccess)
        guard case .timeBeforeExpiration(let seconds) = expiring.passwordPolicy?.warning else {
            Issue.record("no expiry warning: \(String(describing: expiring.passwordPolicy))")
            return
        }
        #expect(seconds > 0 && seconds < 14 * 86_400)
        let locked = try await connection.bind(dn: directory.person("locked"), password: "locked-password", controls: [LDAPPasswordPolicyControl.request])
        #expect(locked.result.code == .invalidCredentials)
        #expect(locked.passwordPolicy?.error == .accountLocked)
    }

    @Test func modifyAndPasswordModifyChangeTheEntryAsItsOwner() async throws {
        let slapd = try await ClientTestSlapd()
        defer { slapd.stop() }
        let connection = try await connect(slapd.url)
        defer { Task { await connection.close() } }
        #expect(try await connection.bind(dn: ClientTestSlapd.aliceDN, password: "alice-password").isSuccess)

        let modified = try await connection.modify(dn: ClientTestSlapd.aliceDN, changes: [LDAPModification(.replace, type: "description", values: [Array("changed by the client".utf8)])])
        #expect(modified.result.code == .success)
        let read = try await connection.search(LDAPSearchRequest(base: ClientTestSlapd.aliceDN, scope: .baseObject, filter: try LDAPFilter.parse("(objectClass=*)"), attributes: ["description"]))
        #expect(read.entries.first?.values("description") == [Array("changed by the client".utf8)])
        let refused = try await connection.modify(dn: ClientTestSlapd.serviceDN, changes: [LDAPModification(.replace, type: "sn", values: [Array("x".utf8)])])
        #expect(refused.result.code == .insufficientAccessRights)

        let wrongOld = try await connection.passwordModify(old: "not-the-password", new: "alice-new-password")
        #expect(wrongOld.result.code != .success)
        let changed = try await connection.passwordModify(old: "alice-password", new: "alice-new-password")
        #expect(changed.result.code == .success)
        #expect(changed.generatedPassword == nil)

        let fresh = try await connect(slapd.url)
        defer { Task { await fresh.close() } }
        #expect(try await fresh.bind(dn: ClientTestSlapd.aliceDN, password: "alice-password").result.code == .invalidCredentials)
        #expect(try await fresh.bind(dn: ClientTestSlapd.aliceDN, password: "alice-new-password").isSuccess)
        // Without a new password the server makes one and says what it is.
        let generated = try await fresh.passwordModify(old: "alice-new-password", new: nil)
        let made = try #require(generated.generatedPassword)
        #expect(try await fresh.bind(dn: ClientTestSlapd.aliceDN, password: String(decoding: made, as: UTF8.self)).isSuccess)
    }
}
