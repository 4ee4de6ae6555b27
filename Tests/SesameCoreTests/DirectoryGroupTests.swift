import Foundation
import Testing

@testable import SesameCore

/// Groups found every configured way, nesting followed with a cycle and a depth cap, AD's
/// IN_CHAIN and primary group, and the rules that turn them into Sesame groups and roles.
@Suite struct DirectoryGroupTests {
    static let userDN = "uid=carol,ou=people,dc=corp,dc=test"

    func openLDAPWorld(_ edit: (inout DirectoryConfiguration) -> Void = { _ in }) -> DirectoryWorld {
        let world = DirectoryWorld(profile: .openLDAP, edit)
        world.directory.add(Self.userDN, password: "carol-password", [
            "objectClass": ["inetOrgPerson"], "uid": ["carol"], "cn": ["Carol"], "entryUUID": ["c0c0c0c0-0000-4000-8000-000000000001"],
        ])
        return world
    }

    func group(_ world: DirectoryWorld, _ cn: String, members: [String], ou: String = "groups") {
        world.directory.add("cn=\(cn),ou=\(ou),dc=corp,dc=test", ["objectClass": ["groupOfNames"], "cn": [cn], "member": members])
    }

    func groups(_ world: DirectoryWorld, login: String = "carol") async throws -> [String] {
        let entry = try #require(try await world.directory.search(DirectoryAuthenticator.userQuery(world.configuration, login: login), limit: 2).value.first)
        world.directory.clearCalls()
        return try await DirectoryGroupResolver(configuration: world.configuration, gateway: world.gateway).groups(of: entry, login: login).map { $0.name ?? $0.dn }
    }

    @Test func nestedGroupsAreExpandedBreadthFirstAndACycleEnds() async throws {
        let world = openLDAPWorld()
        let dn = { (cn: String) in "cn=\(cn),ou=groups,dc=corp,dc=test" }
        group(world, "staff", members: [Self.userDN])
        group(world, "engineering", members: [dn("staff")])
        // A cycle: everyone holds engineering, engineering (through staff) holds... everyone holds staff.
        group(world, "everyone", members: [dn("engineering")])
        world.directory.add(dn("staff"), ["objectClass": ["groupOfNames"], "cn": ["staff"], "member": [Self.userDN, "CN=Everyone, OU=Groups, DC=corp, DC=test"]])
        #expect(try await groups(world) == ["staff", "engineering", "everyone"])
        // Each group asked for its parents once: the cycle back to staff is not followed again.
        let searches = world.directory.calls.filter { if case .search = $0 { true } else { false } }
        #expect(searches.count == 1 + 1 + 3, "direct search, memberUid search, one parent search per group")
    }

    @Test func theDepthCapStopsALongChain() async throws {
        let world = openLDAPWorld { $0.groups = { var g = DirectoryProfile.openLDAP.groups; g.maxDepth = 3; return g }() }
        var member = Self.userDN
        for level in 0..<8 {
            group(world, "level\(level)", members: [member])
            member = "cn=level\(level),ou=groups,dc=corp,dc=test"
        }
        #expect(try await groups(world) == ["level0", "level1", "level2", "level3"], "the direct group and three levels above it")
        let defaults = openLDAPWorld()
        var top = Self.userDN
        for level in 0..<15 {
            group(defaults, "level\(level)", members: [top])
            top = "cn=level\(level),ou=groups,dc=corp,dc=test"
        }
        #expect(try await groups(defaults).count == 1 + DirectoryGroupSettings.defaultMaxDepth)
    }

    @Test func memberOfAndPosixGroupsCount() async throws {
        let world = openLDAPWorld { $0.groups = { var g = DirectoryProfile.openLDAP.groups; g.nesting = .off; return g }() }
        world.directory.add(Self.userDN, password: "carol-password", [
            "objectClass": ["inetOrgPerson"], "uid": ["carol"], "entryUUID": ["c0c0c0c0-0000-4000-8000-000000000001"],
            "memberOf": ["cn=Readers\\, EMEA,ou=groups,dc=corp,dc=test"],
        ])
        world.directory.add("cn=devs,ou=posix,dc=corp,dc=test", ["objectClass": ["posixGroup"], "cn": ["devs"], "memberUid": ["carol"]])
        world.directory.add("cn=ops,ou=posix,dc=corp,dc=test", ["objectClass": ["posixGroup"], "cn": ["ops"], "memberUid": ["dave"]])
        #expect(try await groups(world) == ["Readers, EMEA", "devs"])
    }

    @Test func activeDirectoryAsksForEveryGroupInOneInChainSearch() async throws {
        var world = DirectoryWorld(profile: .activeDirectory)
        world.gateway = InChainDirectory(world.directory)
        let user = "CN=Dan,CN=Users,DC=corp,DC=test"
        world.directory.add(user, password: "Dan-password1", [
            "objectCategory": ["person"], "objectClass": ["user"], "sAMAccountName": ["dan"], "userAccountControl": ["512"],
            "memberOf": ["CN=Helpdesk,CN=Users,DC=corp,DC=test"],
        ], binary: ["objectGUID": [Array(repeating: 0x11, count: 16)]])
        world.directory.add("CN=Helpdesk,CN=Users,DC=corp,DC=test", ["objectClass": ["group"], "cn": ["Helpdesk"], "member": [user]])
        world.directory.add("CN=IT,CN=Users,DC=corp,DC=test", ["objectClass": ["group"], "cn": ["IT"], "member": ["CN=Helpdesk,CN=Users,DC=corp,DC=test"]])
        world.directory.add("CN=Staff,CN=Users,DC=corp,DC=test", ["objectClass": ["group"], "cn": ["Staff"], "member": ["CN=IT,CN=Users,DC=corp,DC=test"]])
        #expect(Set(try await groups(world, login: "dan")) == ["Helpdesk", "IT", "Staff"])
        let searches = world.directory.calls.compactMap { call -> DirectoryQuery? in if case .search(let query, _) = call { query } else { nil } }
        #expect(searches.count == 1, "one IN_CHAIN search; no walk level by level")
        #expect(searches.first?.filter == "(member:1.2.840.113556.1.4.1941:={dn})")
        #expect(searches.first?.values == ["dn": user], "the user's DN goes in as a value, escaped by the gateway")
        #expect(searches.first?.base == "dc=corp,dc=test")
    }

    @Test func theADPrimaryGroupIsFoundFromTheUsersSID() async throws {
        // S-1-5-21-1004336348-1177238915-682003330-1105, whose domain's 513 is Domain Users.
        func sid(_ subs: [UInt32]) -> [UInt8] {
            [1, UInt8(subs.count), 0, 0, 0, 0, 0, 5] + subs.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8 & 0xff), UInt8($0 >> 16 & 0xff), UInt8($0 >> 24)] }
        }
        let domain: [UInt32] = [21, 1_004_336_348, 1_177_238_915, 682_003_330]
        #expect(DirectoryBinaryID.sidString(sid(domain + [1105])) == "S-1-5-21-1004336348-1177238915-682003330-1105")
        #expect(DirectoryBinaryID.sibling(of: sid(domain + [1105]), rid: 513) == sid(domain + [513]))

        var world = DirectoryWorld(profile: .activeDirectory)
        world.gateway = InChainDirectory(world.directory)
        world.directory.add("CN=Erin,CN=Users,DC=corp,DC=test", password: "Erin-password1", [
            "objectCategory": ["person"], "objectClass": ["user"], "sAMAccountName": ["erin"], "primaryGroupID": ["513"], "userAccountControl": ["512"],
        ], binary: ["objectGUID": [Array(repeating: 0x22, count: 16)], "objectSid": [sid(domain + [1105])]])
        world.directory.add("CN=Domain Users,CN=Users,DC=corp,DC=test", ["objectClass": ["group"], "cn": ["Domain Users"]], binary: ["objectSid": [sid(domain + [513])]])
        world.directory.add("CN=Other Users,CN=Users,DC=corp,DC=test", ["objectClass": ["group"], "cn": ["Other Users"]], binary: ["objectSid": [sid(domain + [514])]])
        #expect(try await groups(world, login: "erin") == ["Domain Users"])
        let filters = world.directory.calls.compactMap { call -> String? in if case .search(let query, _) = call { query.filter } else { nil } }
        #expect(filters.last == "(objectSid=\\01\\05\\00\\00\\00\\00\\00\\05\\15\\00\\00\\00\\dc\\f4\\dc\\3b\\83\\3d\\2b\\46\\82\\8b\\a6\\28\\01\\02\\00\\00)")
    }

    @Test func rulesTurnDirectoryGroupsIntoRolesAndGroupsAtEachSignIn() async throws {
        let world = openLDAPWorld {
            $0.groupRules = [
                DirectoryGroupRule(match: "cn=staff,ou=groups,dc=corp,dc=test", groups: ["Employees"]),
                DirectoryGroupRule(match: "ENGINEERING", roles: ["wiki:editor", "mfa-required"]),
                DirectoryGroupRule(match: "nobody-has-this", roles: ["admin"]),
            ]
        }
        group(world, "staff", members: [Self.userDN])
        group(world, "engineering", members: ["CN=Staff,OU=Groups,DC=corp,DC=test"])
        var user = try await world.service().signIn(login: "carol", password: "carol-password", clientAddress: nil)
        #expect(user.groups == ["employees"] && user.roles == ["mfa-required", "wiki:editor"])
        // Locally given memberships stay apart and survive the next sign-in's replacement.
        user.roles.append("local-role")
        try await world.stores.update(user)
        world.directory.remove("cn=engineering,ou=groups,dc=corp,dc=test")
        user = try await world.service().signIn(login: "carol", password: "carol-password", clientAddress: nil)
        #expect(user.groups == ["employees"] && user.roles == ["local-role"], "the directory role went with its group")
        #expect(try await world.stores.directoryMemberships(userID: user.id).roles.isEmpty)
    }

    @Test func dnsCompareNormalized() {
        #expect(DirectoryDN.normalized("CN=Staff, OU=Groups ,DC=corp") == "cn=staff,ou=groups,dc=corp")
        #expect(DirectoryDN.normalized("cn=a\\,b,dc=x") != DirectoryDN.normalized("cn=a,b,dc=x"))
        #expect(DirectoryDN.firstValue("CN=Sales\\2C EMEA,DC=x", attribute: "cn") == "Sales, EMEA")
        #expect(DirectoryDN.firstValue("OU=Sales,DC=x", attribute: "cn") == nil)
    }
}
