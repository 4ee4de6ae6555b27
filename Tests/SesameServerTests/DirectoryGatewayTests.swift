import Foundation
import SesameCore
import SesameServer
import Testing

/// The real slapd of `scripts/ldap-servers` (scripts/test starts it and exports its addresses).
enum TestLDAP {
    static let environment = ProcessInfo.processInfo.environment
    static var available: Bool { environment["SESAME_TEST_LDAPS_URL"] != nil }
    static let skipped: Comment = "no OpenLDAP: run `eval \"$(scripts/ldap-servers start DIR)\"` (scripts/test does)"
    static func value(_ name: String) -> String { environment[name] ?? "" }
    static var base: String { value("SESAME_TEST_LDAP_BASE_DN") }

    static func configuration(name: String = "corp", urls: [String]? = nil, bindPassword: String? = nil, base: String? = nil) -> DirectoryConfiguration {
        DirectoryConfiguration(
            name: name, urls: urls ?? [value("SESAME_TEST_LDAPS_URL")], bindDN: value("SESAME_TEST_LDAP_BIND_DN"),
            bindPassword: bindPassword ?? value("SESAME_TEST_LDAP_BIND_PASSWORD"), baseDN: base ?? Self.base, profile: .openLDAP,
            caFile: value("SESAME_TEST_LDAP_CA"), connectTimeout: 2, operationTimeout: 3
        )
    }

    /// Runs an ldap-utils command as the directory's root, feeding it `input` (LDIF).
    static func admin(_ tool: String, _ input: String) async throws {
        let arguments = ["-x", "-H", value("SESAME_TEST_LDAP_URL"), "-D", value("SESAME_TEST_LDAP_ADMIN_DN"), "-w", value("SESAME_TEST_LDAP_ADMIN_PASSWORD")]
        let status = try await runTool("/usr/bin/" + tool, arguments, input: input).status
        guard status == 0 else { throw TestLDAPError(description: "\(tool) failed with \(status)") }
    }

    /// A person of this test alone (a password change leaves the shared accounts as they were); removed after `body`.
    static func withPerson<T>(reset: Bool = false, _ body: (_ uid: String, _ password: String) async throws -> T) async throws -> T {
        let uid = "l4-" + UUID().uuidString.prefix(8).lowercased()
        let password = uid + "-password"
        let dn = "uid=\(uid),ou=people,\(base)"
        var ldif = "dn: \(dn)\nobjectClass: inetOrgPerson\nuid: \(uid)\ncn: Person \(uid)\nsn: \(uid)\nmail: \(uid)@sesame.test\nuserPassword: \(password)\n"
        if reset { ldif += "pwdPolicySubentry: cn=mustchange,ou=policies,\(base)\n" }
        try await admin("ldapadd", ldif)
        if reset {
            // pwdReset is operational: set by a password change from the root, as an administrator's reset is.
            try await admin("ldapmodify", "dn: \(dn)\nchangetype: modify\nreplace: userPassword\nuserPassword: \(password)\n")
        }
        do {
            let result = try await body(uid, password)
            try? await admin("ldapdelete", dn)
            return result
        } catch {
            try? await admin("ldapdelete", dn)
            throw error
        }
    }
}

struct TestLDAPError: Error, CustomStringConvertible {
    let description: String
}

@Suite(.enabled(if: TestLDAP.available, TestLDAP.skipped)) struct DirectoryGatewayTests {
    let gateway = try! LDAPDirectoryGateway(TestLDAP.configuration())

    func query(_ login: String) -> DirectoryQuery {
        DirectoryQuery(base: TestLDAP.base, filter: "(&(objectClass=inetOrgPerson)(uid={login}))", values: ["login": login], attributes: ["uid", "entryUUID", "memberOf"])
    }

    @Test func searchesEscapeWhatIsTypedAndReturnEntriesAsTheCoreReadsThem() async throws {
        let alice = try await gateway.search(query("alice"), limit: 2)
        #expect(alice.server == TestLDAP.value("SESAME_TEST_LDAPS_URL"))
        let entry = try #require(alice.value.first)
        #expect(alice.value.count == 1 && entry.dn == "uid=alice,ou=people,\(TestLDAP.base)")
        #expect(entry.string("UID") == "alice", "attribute names are matched without case")
        #expect(entry.string("entryuuid")?.count == 36)
        #expect(entry.strings("memberOf").contains("cn=a,ou=groups,\(TestLDAP.base)"))
        // Filter metacharacters in a login are values, never filter syntax.
        #expect(try await gateway.search(query("*"), limit: 2).value.isEmpty)
        #expect(try await gateway.search(query("*)(uid=*))(|(uid=*"), limit: 2).value.isEmpty)
        #expect(try await gateway.search(query("filter(*)user"), limit: 2).value.map(\.dn) == ["uid=filter(*)user,ou=people,\(TestLDAP.base)"])
        // A limit caps what comes back (the core asks for 2 to see an ambiguous login).
        let twins = DirectoryQuery(base: TestLDAP.base, filter: "(mail={login})", values: ["login": "twins@sesame.test"], attributes: ["1.1"])
        #expect(try await gateway.search(twins, limit: 2).value.count == 2)
        #expect(try await gateway.search(twins, limit: 1).value.count == 1)
    }

    @Test func pagedSearchReadsEveryOneOf1200People() async throws {
        let everyone = DirectoryQuery(base: TestLDAP.value("SESAME_TEST_LDAP_BULK_BASE_DN"), filter: "(objectClass=inetOrgPerson)", attributes: ["uid"])
        var pages: [Int] = []
        var uids = Set<String>()
        try await gateway.pages(everyone, pageSize: 500) { page in
            pages.append(page.count)
            for entry in page { if let uid = entry.string("uid") { uids.insert(uid) } }
        }
        #expect(pages == [500, 500, 200])
        #expect(uids.count == 1200 && uids.contains("user0001") && uids.contains("user1200"))
    }

    @Test func bindsAnswerWithCodesAndThePasswordPolicy() async throws {
        let people = "ou=people,\(TestLDAP.base)"
        let ok = try await gateway.bind(dn: "uid=alice,\(people)", password: "alice-password", passwordPolicy: true)
        #expect(ok.value.resultCode == 0 && ok.server == TestLDAP.value("SESAME_TEST_LDAPS_URL"))
        #expect(ok.value.passwordPolicy?.warning == nil && ok.value.passwordPolicy?.error == nil)
        #expect(try await gateway.bind(dn: "uid=alice,\(people)", password: "wrong", passwordPolicy: true).value.resultCode == 49)
        let expiring = try await gateway.bind(dn: "uid=expiring,\(people)", password: "expiring-password", passwordPolicy: true).value
        guard case .secondsBeforeExpiration(let seconds)? = expiring.passwordPolicy?.warning else {
            Issue.record("no expiry warning: \(expiring)")
            return
        }
        #expect(expiring.resultCode == 0 && (4 * 86400...6 * 86400).contains(seconds))
        let locked = try await gateway.bind(dn: "uid=locked,\(people)", password: "locked-password", passwordPolicy: true).value
        #expect(locked.resultCode == 49 && locked.passwordPolicy?.error == .accountLocked)
        let expired = try await gateway.bind(dn: "uid=expired,\(people)", password: "expired-password", passwordPolicy: true).value
        #expect(expired.resultCode == 49 && expired.passwordPolicy?.error == .passwordExpired)
        // Without the control asked for, none comes back.
        #expect(try await gateway.bind(dn: "uid=expiring,\(people)", password: "expiring-password", passwordPolicy: false).value.passwordPolicy == nil)
    }

    @Test func passwordModifyChangesThePasswordAsItsOwner() async throws {
        try await TestLDAP.withPerson { uid, password in
            let dn = "uid=\(uid),ou=people,\(TestLDAP.base)"
            let wrongOld = try await gateway.changePassword(dn: dn, old: "not-it", new: "new-password-1", method: .passwordModify)
            #expect(wrongOld.value.resultCode == 49)
            let tooShort = try await gateway.changePassword(dn: dn, old: password, new: "short", method: .passwordModify)
            #expect(tooShort.value.resultCode != 0 && tooShort.value.passwordPolicy?.error == .passwordTooShort)
            let changed = try await gateway.changePassword(dn: dn, old: password, new: "a-new-password-1", method: .passwordModify)
            #expect(changed.value.resultCode == 0)
            #expect(try await gateway.bind(dn: dn, password: "a-new-password-1", passwordPolicy: false).value.resultCode == 0)
            #expect(try await gateway.bind(dn: dn, password: password, passwordPolicy: false).value.resultCode == 49)
        }
    }

    @Test func checkSaysWhichServerFailsAndWhy() async throws {
        #expect(await gateway.check() == [DirectoryServerHealth(server: TestLDAP.value("SESAME_TEST_LDAPS_URL"), problem: nil)])
        let wrong = try LDAPDirectoryGateway(TestLDAP.configuration(bindPassword: "not-the-service-password"))
        let health = await wrong.check()
        #expect(health.count == 1 && health[0].problem?.contains("(result 49)") == true)
        await wrong.shutdown()
    }

    @Test func aDirectoryNobodyAnswersForIsUnavailableNeverAnAnswer() async throws {
        let closed = try LDAPDirectoryGateway(TestLDAP.configuration(urls: ["ldaps://127.0.0.1:1"]))
        await #expect(throws: DirectoryUnavailable.self) { _ = try await closed.search(query("alice"), limit: 2) }
        await #expect(throws: DirectoryUnavailable.self) { _ = try await closed.bind(dn: "uid=alice", password: "x", passwordPolicy: true) }
        #expect(await closed.check().first?.problem != nil)
        await closed.shutdown()
        // The wrong CA: the certificate is checked, so nothing is sent and the directory is unavailable.
        var otherCA = TestLDAP.configuration()
        otherCA.caFile = TestLDAP.value("SESAME_TEST_LDAP_OTHER_CA")
        let untrusted = try LDAPDirectoryGateway(otherCA)
        await #expect(throws: DirectoryUnavailable.self) { _ = try await untrusted.bind(dn: "uid=alice,ou=people,\(TestLDAP.base)", password: "alice-password", passwordPolicy: true) }
        await untrusted.shutdown()
    }

    @Test func oneClientPerDirectoryReplacedWhenItsConfigurationChanges() async throws {
        let gateways = DirectoryGateways()
        let corp = TestLDAP.configuration()
        func identity(_ gateway: any DirectoryGateway) -> ObjectIdentifier? { (gateway as? LDAPDirectoryGateway).map(ObjectIdentifier.init) }
        let first = identity(gateways.gateway(for: corp))
        let again = identity(gateways.gateway(for: corp))
        #expect(first != nil && first == again, "the same configuration keeps its pool")
        var changed = corp
        changed.bindPassword = "another"
        let second = identity(gateways.gateway(for: changed))
        #expect(second != nil && second != first)
        var broken = corp
        broken.name = "broken"
        broken.urls = ["http://not-ldap"]
        await #expect(throws: DirectoryUnavailable.self) { _ = try await gateways.gateway(for: broken).search(query("alice"), limit: 1) }
        await gateways.shutdown()
    }

    @Test func unicodePwdIsTheQuotedPasswordInUTF16LittleEndian() {
        #expect(LDAPDirectoryGateway.unicodePwd("Ab1é") == [0x22, 0, 0x41, 0, 0x62, 0, 0x31, 0, 0xE9, 0, 0x22, 0])
    }
}
