import Foundation
import Testing

@testable import SesameCore

/// The pieces around sign-in: the password change a "must change" leads to, `directory test`'s
/// diagnosis, and how the `authenticators` setting names directories.
@Suite struct DirectoryToolsTests {
    static let dn = "CN=Alice,CN=Users,DC=corp,DC=test"

    func world() -> DirectoryWorld {
        let world = DirectoryWorld(profile: .activeDirectory) { $0.groupRules = [DirectoryGroupRule(match: "Staff", roles: ["employee"])] }
        world.directory.add(Self.dn, password: "Old-password1", [
            "objectCategory": ["person"], "objectClass": ["user"], "sAMAccountName": ["alice"], "userAccountControl": ["512"],
            "memberOf": ["CN=Staff,CN=Users,DC=corp,DC=test"],
        ], binary: ["objectGUID": [Array(repeating: 0x42, count: 16)]])
        return world
    }

    func changer(_ world: DirectoryWorld) -> DirectoryPasswordChanger {
        var changer = DirectoryPasswordChanger(configuration: world.configuration, gateway: world.gateway)
        changer.audit = world.audit
        changer.links = world.stores
        return changer
    }

    @Test func aMustChangeLeadsToAChangeAndThenTheNewPasswordSignsIn() async throws {
        let world = world()
        let before = try await world.service().signIn(login: "alice", password: "Old-password1", clientAddress: nil)
        // An administrator resets the password: the DC answers 773 to the right (temporary) one.
        world.directory.edit { $0.bindAnswers[Self.dn.lowercased()] = DirectoryBindResult(resultCode: 49, diagnosticMessage: "AcceptSecurityContext error, data 773, v4563") }
        await #expect(throws: SignInError.passwordChangeRequired("corp", message: DirectoryRefusal.mustChangePassword.message!)) {
            _ = try await world.service().signIn(login: "alice", password: "Old-password1", clientAddress: nil)
        }
        try await changer(world).change(login: "alice", old: "Old-password1", new: "New-password2", clientAddress: "192.0.2.1")
        #expect(world.directory.calls.contains(.changePassword(dn: Self.dn, method: .activeDirectory)), "AD changes unicodePwd")
        let user = try await world.service().signIn(login: "alice", password: "New-password2", clientAddress: nil)
        #expect(user.id == before.id && user.roles == ["employee"])
        let changed = try #require(try await world.events().last { $0.kind == .directoryPasswordChanged })
        #expect(changed.detail == "directory=corp server=ldaps://dc1.test:636" && changed.clientAddress == "192.0.2.1")
        #expect(changed.subject == user.id, "the Sesame user the entry is linked to")
        #expect(!(try await world.events()).contains { ($0.detail ?? "").contains("password2") || ($0.detail ?? "").contains("password1") })
    }

    @Test func theDirectorysRefusalOfANewPasswordIsExplained() async throws {
        let world = world()
        let cases: [(DirectoryBindResult, String)] = [
            (DirectoryBindResult(resultCode: 19, diagnosticMessage: "0000052D: Constraint violation"), "does not meet the password policy"),
            (DirectoryBindResult(resultCode: 19, passwordPolicy: .init(error: .passwordInHistory)), "was used before"),
            (DirectoryBindResult(resultCode: 19, passwordPolicy: .init(error: .passwordTooShort)), "too short"),
            (DirectoryBindResult(resultCode: 49, diagnosticMessage: "data 52e,"), DirectoryPasswordChanger.wrongCurrent),
            (DirectoryBindResult(resultCode: 49), DirectoryPasswordChanger.wrongCurrent),
            // OpenLDAP: the old password is right but expired without grace logins, so no bind, no change.
            (DirectoryBindResult(resultCode: 49, passwordPolicy: .init(error: .passwordExpired)), "Ask your administrator to reset it."),
        ]
        for (answer, message) in cases {
            world.directory.edit { $0.changeAnswer = answer }
            do {
                try await changer(world).change(login: "alice", old: "Old-password1", new: "New-password2", clientAddress: nil)
                Issue.record("accepted")
            } catch let refused as DirectoryPasswordChanger.Refused {
                #expect(refused.message.contains(message), "\(refused.message)")
            }
        }
        let failed = try await world.events().filter { $0.kind == .directoryPasswordChangeFailed }
        #expect(failed.count == 6 && failed[0].detail == "directory=corp server=ldaps://dc1.test:636 result=19")
        await #expect(throws: DirectoryPasswordChanger.Refused.self) {
            try await changer(world).change(login: "nobody", old: "x", new: "New-password2", clientAddress: nil)
        }
        world.directory.edit { $0.unreachable = true }
        await #expect(throws: SignInError.directoryUnavailable("corp")) {
            try await changer(world).change(login: "alice", old: "Old-password1", new: "New-password2", clientAddress: nil)
        }
    }

    @Test func openLDAPChangesWithPasswordModify() async throws {
        let world = DirectoryWorld(profile: .openLDAP)
        world.directory.add("uid=bo,dc=corp,dc=test", password: "old-one", ["objectClass": ["inetOrgPerson"], "uid": ["bo"], "entryUUID": ["b0"]])
        try await changer(world).change(login: "bo", old: "old-one", new: "new-one-2", clientAddress: nil)
        #expect(world.directory.calls.last == .changePassword(dn: "uid=bo,dc=corp,dc=test", method: .passwordModify))
    }

    @Test func theDiagnosisSaysWhichStepFailed() async throws {
        let world = world()
        var diagnosis = DirectoryDiagnosis(configuration: world.configuration, gateway: world.gateway, clock: FixedClock())
        diagnosis.audit = world.audit
        var steps = await diagnosis.run(login: "alice", password: "Old-password1")
        #expect(DirectoryDiagnosis.passed(steps))
        #expect(steps.map(\.step) == ["server ldaps://dc1.test:636", "search for 'alice'", "bind as \(Self.dn)", "groups"])
        #expect(steps[3].detail == "1 found: Staff; Sesame groups: none; roles: employee")

        world.directory.edit { $0.wrongPasswordAnswers[Self.dn.lowercased()] = DirectoryBindResult(resultCode: 49, diagnosticMessage: "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563") }
        steps = await diagnosis.run(login: "alice", password: "wrong")
        #expect(!DirectoryDiagnosis.passed(steps))
        #expect(steps.last?.detail == "invalid credentials (49), data 52e: wrong password")
        let tested = try await world.events().filter { $0.kind == .directoryTested }
        #expect(tested.map(\.detail) == ["passed", "failed=bind as \(Self.dn)"] && tested.allSatisfy { $0.subject == "directory:corp" && $0.actor == "cli" })

        steps = await DirectoryDiagnosis(configuration: world.configuration, gateway: world.gateway).run(login: "zed")
        #expect(steps.last?.ok == false && steps.last?.detail.hasPrefix("no entry under dc=corp,dc=test matches") == true, "\(steps)")

        world.directory.edit { $0.unreachable = true }
        steps = await DirectoryDiagnosis(configuration: world.configuration, gateway: world.gateway).run(login: "alice", password: "x")
        #expect(steps.count == 1 && steps[0].detail == "ldaps://dc1.test:636: connection refused", "nothing more is tried")
    }

    @Test func theAuthenticatorsSettingNamesDirectories() throws {
        let world = world()
        func config(_ name: String, position: Int, enabled: Bool = true) -> DirectoryConfiguration {
            var configuration = world.configuration
            configuration.name = name
            configuration.position = position
            configuration.enabled = enabled
            return configuration
        }
        let gateway = world.directory
        let context = DirectorySignIn(
            configurations: [config("b", position: 2), config("a", position: 2), config("first", position: 1), config("off", position: 0, enabled: false)],
            store: world.stores, users: world.stores, gateway: { _ in gateway }
        )
        func names(_ list: [String]) throws -> [String] {
            try PrimaryAuthenticators.make(list, users: world.stores, hasher: PasswordHasher(), work: InlineWork(), environment: [:], directories: context).map(\.name)
        }
        #expect(try names(["directories", "local"]) == ["directory:first", "directory:a", "directory:b", "local"])
        #expect(try names(["local", "directory:b"]) == ["local", "directory:b"])
        #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try names(["directory:nope"]) }
        #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try names(["directories", "directory:a"]) }
        let none = DirectorySignIn(configurations: [], store: world.stores, users: world.stores, gateway: { _ in gateway })
        #expect(throws: PrimaryAuthenticators.ConfigurationError.self) {
            try PrimaryAuthenticators.make(["directories"], users: world.stores, hasher: PasswordHasher(), work: InlineWork(), environment: [:], directories: none)
        }
        #expect(PrimaryAuthenticators.defaultNames(directories: []) == ["local"])
        #expect(PrimaryAuthenticators.defaultNames(directories: [config("off", position: 0, enabled: false)]) == ["local"])
        #expect(PrimaryAuthenticators.defaultNames(directories: context.configurations) == ["directories", "local"])
    }
}
