import Foundation
import Testing

@testable import SesameCore

/// What a directory configuration may be, how it is stored (never with its bind password), and
/// the management operations every door calls.
@Suite struct DirectoryConfigurationTests {
    func valid(_ edit: (inout DirectoryConfiguration) -> Void = { _ in }) -> DirectoryConfiguration {
        var configuration = DirectoryConfiguration(
            name: "corp", urls: ["ldaps://dc1.corp.test", "ldaps://dc2.corp.test:3269"], bindDN: "CN=svc,CN=Users,DC=corp,DC=test",
            bindPassword: "svc-secret", baseDN: "DC=corp,DC=test", profile: .activeDirectory
        )
        edit(&configuration)
        return configuration
    }

    func problem(_ edit: (inout DirectoryConfiguration) -> Void) -> String? {
        do {
            try valid(edit).validate()
            return nil
        } catch {
            return error.field
        }
    }

    @Test func aValidConfigurationPasses() throws {
        try valid().validate()
        try valid { $0.urls = ["ldap://ldap.corp.test:389"]; $0.startTLS = true; $0.profile = .openLDAP }.validate()
    }

    @Test func eachBoundIsChecked() {
        #expect(problem { $0.name = "has space" } == "name")
        #expect(problem { $0.name = String(repeating: "a", count: 101) } == "name")
        #expect(problem { $0.urls = [] } == "urls")
        #expect(problem { $0.urls = Array(repeating: "ldaps://a", count: 11) } == "urls")
        #expect(problem { $0.urls = ["https://dc1"] } == "urls")
        #expect(problem { $0.urls = ["ldaps://"] } == "urls")
        #expect(problem { $0.urls = ["ldaps://dc1/dc=x?cn"] } == "urls")
        #expect(problem { $0.urls = ["ldaps://user:pw@dc1"] } == "urls")
        #expect(problem { $0.urls = ["ldap://dc1"] } == "urls", "passwords never go in clear")
        #expect(problem { $0.startTLS = true } == "start_tls", "StartTLS on ldaps:// is a mistake")
        #expect(problem { $0.bindDN = "svc" } == "bind_dn")
        #expect(problem { $0.bindDN = "cn=svc\n,dc=x" } == "bind_dn")
        #expect(problem { $0.bindPassword = "" } == "bind_password")
        #expect(problem { $0.baseDN = String(repeating: "dc=x,", count: 300) } == "base_dn")
        #expect(problem { $0.userFilter = "(uid=alice)" } == "user_filter", "a filter without {login} would let anyone be anyone")
        #expect(problem { $0.userFilter = "(uid={login}" } == "user_filter")
        #expect(problem { $0.userFilter = "(uid={login}))(|(uid=*)" } == "user_filter")
        #expect(problem { $0.listFilter = "(uid={login})" } == "list_filter")
        #expect(problem { $0.loginAttributes = ["uid;binary"] } == "login_attributes")
        #expect(problem { $0.loginAttributes = [] } == "login_attributes")
        #expect(problem { $0.groups = DirectoryGroupSettings(memberOf: false, searchFilter: "(member=x)", nesting: .expand) } == "group_filter")
        #expect(problem { $0.groups = DirectoryGroupSettings(memberOf: true, nesting: .expand, maxDepth: 0) } == "group_max_depth")
        #expect(problem { $0.groupRules = [DirectoryGroupRule(match: "staff")] } == "group_rules")
        #expect(problem { $0.groupRules = [DirectoryGroupRule(match: "staff", roles: ["no spaces allowed"])] } == "group_rules")
        #expect(problem { $0.connectTimeout = 0 } == "connect_timeout")
        #expect(problem { $0.operationTimeout = 1000 } == "operation_timeout")
        #expect(problem { $0.poolSize = 0 } == "pool_size")
        #expect(problem { $0.caFile = "" } == "ca_file")
    }

    @Test func storedJSONNeverHoldsTheBindPasswordAndMissingSettingsTakeDefaults() throws {
        let configuration = valid { $0.groupRules = [DirectoryGroupRule(match: "Staff", roles: ["employee"])]; $0.userFilter = "(sAMAccountName={login})" }
        let json = try JSONEncoder().encode(configuration)
        #expect(!String(decoding: json, as: UTF8.self).contains("svc-secret"))
        var decoded = try JSONDecoder().decode(DirectoryConfiguration.self, from: json)
        #expect(decoded.bindPassword.isEmpty)
        decoded.bindPassword = configuration.bindPassword
        #expect(decoded == configuration)
        let minimal = #"{"name":"old","urls":["ldaps://x"],"baseDN":"dc=x","bindDN":"cn=s,dc=x"}"#
        let old = try JSONDecoder().decode(DirectoryConfiguration.self, from: Data(minimal.utf8))
        #expect(old.verifyCertificates && old.enabled && old.poolSize == 4 && old.profile == .generic && old.groupRules.isEmpty)
    }

    @Test func overridesWinOverTheProfileAndTheRestFollowsIt() {
        var configuration = valid { $0.loginAttributes = ["mail"] }
        #expect(configuration.effectiveUserFilter == "(&(objectCategory=person)(objectClass=user)(mail={login}))")
        #expect(configuration.effectiveListFilter == "(&(objectCategory=person)(objectClass=user))")
        #expect(configuration.effectiveAttributeMap.immutableID == "objectGUID" && configuration.effectiveGroups.nesting == .inChain)
        configuration.profile = .openLDAP
        #expect(configuration.effectiveUserFilter == "(&(objectClass=inetOrgPerson)(mail={login}))")
        #expect(configuration.effectiveAttributeMap.immutableID == "entryUUID" && configuration.effectiveGroups.nesting == .expand)
        #expect(configuration.effectiveGroups.searchFilter == "(|(member={dn})(uniqueMember={dn}))")
    }

    @Test func managementAddsUpdatesShowsAndRemovesWithOneAuditEventEach() async throws {
        let stores = MemoryStores()
        let audit = AuditTrail(store: stores, clock: FixedClock())
        var management = DirectoryManagement(store: stores)
        management.audit = audit
        management.actor = .apiClient(clientID: "ops")

        let shown = try await management.add(valid())
        #expect(shown.bindPassword.isEmpty && shown.name == "corp")
        await #expect(throws: DirectoryConfigurationError.duplicate("corp")) { try await management.add(valid()) }
        await #expect(throws: DirectoryConfigurationError.self) { try await management.add(valid { $0.name = "x y" }) }

        let updated = try await management.update(name: "corp") { $0.position = 5; $0.bindPassword = "new-secret" }
        #expect(updated.position == 5 && updated.bindPassword.isEmpty)
        #expect(try await stores.directory(name: "corp")?.bindPassword == "new-secret")
        // An update without a password keeps the stored one.
        try await management.update(name: "corp") { $0.enabled = false }
        #expect(try await stores.directory(name: "corp")?.bindPassword == "new-secret")
        await #expect(throws: DirectoryConfigurationError.self) { try await management.update(name: "corp") { $0.urls = ["ldap://x"] } }
        await #expect(throws: DirectoryConfigurationError.self) { try await management.update(name: "corp") { $0.name = "other" } }
        await #expect(throws: DirectoryConfigurationError.unknown("nope")) { try await management.show(name: "nope") }

        #expect(try await management.list().map(\.bindPassword) == [""])
        #expect(try await management.show(name: "corp").enabled == false)
        try await management.remove(name: "corp")
        #expect(try await management.list().isEmpty)

        try await audit.flush()
        let events = stores.events
        #expect(events.map(\.kind) == [.directoryCreated, .directoryUpdated, .directoryUpdated, .directoryDeleted])
        #expect(events.allSatisfy { $0.actor == "client:ops" && $0.subject == "directory:corp" })
        #expect(events.allSatisfy { !($0.detail ?? "").contains("secret") }, "the password's value is never recorded")
        #expect(events[1].detail?.contains(#""bind_password":{"after":"changed","before":"set"}"#) == true)
        #expect(events[1].detail?.contains(#""position":{"after":"5","before":"0"}"#) == true)
        #expect(DirectoryConfigurationError.unknown("x").management.kind == .notFound)
        #expect(DirectoryConfigurationError.duplicate("x").management.kind == .conflict)
    }
}
