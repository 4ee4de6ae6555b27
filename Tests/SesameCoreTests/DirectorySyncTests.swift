import Foundation
import Testing

@testable import SesameCore

/// A sync pages through the directory, creates and refreshes users and their memberships, and
/// disables (ending sessions) the users whose entry is gone or disabled.
@Suite struct DirectorySyncTests {
    func person(_ world: DirectoryWorld, _ uid: String, id: Int, extra: [String: [String]] = [:]) {
        var attributes: [String: [String]] = [
            "objectClass": ["inetOrgPerson"], "uid": [uid], "cn": [uid.capitalized], "mail": ["\(uid)@corp.test"],
            "entryUUID": ["00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - String(id).count) + String(id)],
        ]
        for (key, value) in extra { attributes[key] = value }
        world.directory.add("uid=\(uid),ou=people,dc=corp,dc=test", password: "\(uid)-password", attributes)
    }

    func sync(_ world: DirectoryWorld) async throws -> DirectorySyncReport {
        var accounts = AccountService(users: world.stores, sessions: world.stores, hasher: PasswordHasher(), clock: FixedClock())
        accounts.audit = world.audit
        var sync = DirectorySync(
            configuration: world.configuration, gateway: world.gateway, users: world.stores, directories: world.stores, accounts: accounts,
            clock: FixedClock(), random: world.random
        )
        sync.audit = world.audit
        return try await sync.run()
    }

    func session(_ world: DirectoryWorld, for user: User, _ id: String) async throws {
        let at = FixedClock().date
        try await world.stores.insert(SessionRecord(idDigest: id, userID: user.id, createdAt: at, lastSeenAt: at, authenticatedAt: at))
    }

    @Test func aSyncCreatesUpdatesAndDisablesEndingSessions() async throws {
        let world = DirectoryWorld(profile: .openLDAP) { $0.groupRules = [DirectoryGroupRule(match: "staff", roles: ["employee"])] }
        for (index, uid) in ["ann", "ben", "cat", "dee"].enumerated() { person(world, uid, id: index) }
        world.directory.add("cn=staff,ou=groups,dc=corp,dc=test", ["objectClass": ["groupOfNames"], "cn": ["staff"], "member": ["uid=ann,ou=people,dc=corp,dc=test"]])
        var report = try await sync(world)
        #expect(report.created == 4 && report.updated == 0 && report.disabled == 0 && report.unchanged == 0)
        #expect(try await world.stores.user(username: "ann")?.roles == ["employee"])
        #expect(try await world.stores.user(username: "ben")?.passwordHash == nil)

        // Nothing changed: nothing to do.
        report = try await sync(world)
        #expect(report.unchanged == 4 && report.created == 0)

        let ben = try #require(try await world.stores.user(username: "ben"))
        let cat = try #require(try await world.stores.user(username: "cat"))
        try await session(world, for: ben, "ben-session")
        try await session(world, for: cat, "cat-session")
        world.directory.remove("uid=ben,ou=people,dc=corp,dc=test")
        person(world, "catherine", id: 2)  // cat renamed: same entryUUID
        world.directory.remove("uid=cat,ou=people,dc=corp,dc=test")
        person(world, "eve", id: 4)
        world.directory.add("cn=staff,ou=groups,dc=corp,dc=test", ["objectClass": ["groupOfNames"], "cn": ["staff"], "member": ["uid=dee,ou=people,dc=corp,dc=test"]])
        report = try await sync(world)
        #expect(report.created == 1, "eve")
        #expect(report.updated == 3, "catherine renamed; ann lost staff; dee gained it")
        #expect(report.disabled == 1, "ben is gone")
        #expect(report.unchanged == 0)

        #expect(try await world.stores.user(id: ben.id)?.disabled == true)
        #expect(try await world.stores.sessions(userID: ben.id).isEmpty, "ben's sessions ended")
        #expect(try await world.stores.user(id: cat.id)?.username == "catherine")
        #expect(try await world.stores.sessions(userID: cat.id).count == 1, "a rename ends nothing")
        let ann = try await world.stores.user(username: "ann")
        #expect(ann?.roles == [])
        #expect(try await world.stores.user(username: "dee")?.roles == ["employee"])

        let events = try await world.events()
        #expect(events.contains { $0.kind == .userDisabled && $0.subject == ben.id })
        #expect(events.contains { $0.kind == .sessionsRevoked && $0.subject == ben.id })
        #expect(events.last { $0.kind == .directorySynced }?.detail == "created=1 updated=3 disabled=1 unchanged=0 skipped=0")
        #expect(events.last { $0.kind == .directorySynced }?.subject == "directory:corp")

        // Already disabled: not counted again.
        #expect(try await sync(world).disabled == 0)
    }

    @Test func disabledAndExpiredADEntriesDisableTheirUsers() async throws {
        let world = DirectoryWorld(profile: .activeDirectory)
        func ad(_ name: String, _ uac: String, byte: UInt8) {
            world.directory.add("CN=\(name),CN=Users,DC=corp,DC=test", password: "P-\(name)", [
                "objectCategory": ["person"], "objectClass": ["user"], "sAMAccountName": [name], "userAccountControl": [uac],
            ], binary: ["objectGUID": [Array(repeating: byte, count: 16)]])
        }
        ad("fay", "512", byte: 1)
        ad("gus", "512", byte: 2)
        #expect(try await sync(world).created == 2)
        let gus = try #require(try await world.stores.user(username: "gus"))
        try await session(world, for: gus, "gus-session")
        ad("gus", "514", byte: 2)
        let report = try await sync(world)
        #expect(report.disabled == 1 && report.unchanged == 1)
        #expect(try await world.stores.user(id: gus.id)?.disabled == true)
        #expect(try await world.stores.sessions(userID: gus.id).isEmpty)
        // A disabled entry never seen before gets no user.
        ad("hal", "514", byte: 3)
        _ = try await sync(world)
        #expect(try await world.stores.user(username: "hal") == nil)
    }

    @Test func theListingIsPagedByAThousandWithTheProfilesListFilter() async throws {
        // memberOf only: no group search per person, so 2,345 people stay quick in the fake.
        let world = DirectoryWorld(profile: .openLDAP) { $0.groups = DirectoryGroupSettings(memberOf: true, nesting: .off) }
        for index in 0..<2_345 { person(world, "user\(index)", id: 100 + index) }
        let report = try await sync(world)
        #expect(report.created == 2_345)
        guard case .pages(let query, let size) = world.directory.calls.first else { Issue.record("no paged search"); return }
        #expect(size == 1000 && query.filter == "(objectClass=inetOrgPerson)" && query.values.isEmpty)
        #expect(query.attributes.contains("entryUUID") && query.attributes.contains("memberOf"))
    }

    @Test func anEmptyListingOrAnUnreachableDirectoryDisablesNobody() async throws {
        let world = DirectoryWorld(profile: .openLDAP)
        person(world, "ivy", id: 9)
        _ = try await sync(world)
        world.directory.remove("uid=ivy,ou=people,dc=corp,dc=test")
        #expect(try await sync(world).disabled == 0, "an empty listing is likelier a wrong base than everyone gone")
        person(world, "ivy", id: 9)
        person(world, "jo", id: 10)
        world.directory.edit { $0.unreachable = true }
        await #expect(throws: DirectoryUnavailable.self) { _ = try await sync(world) }
        #expect(try await world.stores.user(username: "ivy")?.disabled == false)
    }

    @Test func entriesThatCannotBeUsersAreSkipped() async throws {
        let world = DirectoryWorld(profile: .openLDAP)
        person(world, "kim", id: 11)
        world.directory.add("uid=no id,ou=people,dc=corp,dc=test", ["objectClass": ["inetOrgPerson"], "uid": ["noid"]])
        world.directory.add("uid=bad name,ou=people,dc=corp,dc=test", ["objectClass": ["inetOrgPerson"], "uid": ["bad name"], "entryUUID": ["00000000-0000-4000-8000-000000000099"]])
        let local = User(id: "local-lee", username: "lee", email: nil, name: nil, passwordHash: "x", createdAt: FixedClock().date, updatedAt: FixedClock().date)
        try await world.stores.insert(local)
        person(world, "lee", id: 12)
        var report = try await sync(world)
        #expect(report.created == 1 && report.skipped == 3)
        #expect(try await world.stores.user(username: "lee")?.id == "local-lee", "the local account is left alone")
        // kim's uid turns into one Sesame refuses: skipped, but present, so not disabled.
        person(world, "kim", id: 11, extra: ["uid": ["kim kim"]])
        report = try await sync(world)
        #expect(report.skipped == 4 && report.disabled == 0)
        #expect(try await world.stores.user(username: "kim")?.disabled == false)
    }
}
