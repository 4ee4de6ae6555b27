import Foundation
import Testing

@testable import SesameCore

/// Directory sign-in through `SignInService` with a fake directory: who is refused before any
/// bind, what each Active Directory code and password-policy answer becomes, that an unknown
/// login looks like a wrong password, and that an unreachable directory never falls back.
@Suite struct DirectoryAuthenticatorTests {
    static let guid: [UInt8] = [0xd2, 0xef, 0x2c, 0xf9, 0x60, 0x1d, 0xd3, 0x11, 0xa4, 0x0f, 0x00, 0xc0, 0x4f, 0xb5, 0xcd, 0x6b]
    /// Python's `uuid.UUID(bytes_le=...)` of the bytes above: the same mixed-endian layout.
    static let guidString = "f92cefd2-1d60-11d3-a40f-00c04fb5cd6b"
    static let aliceDN = "CN=Alice Smith,OU=People,DC=corp,DC=test"

    /// An AD world with Alice, enabled, password "Correct-horse1".
    func adWorld(_ extra: [String: [String]] = [:], _ edit: (inout DirectoryConfiguration) -> Void = { _ in }) -> DirectoryWorld {
        let world = DirectoryWorld(profile: .activeDirectory, edit)
        var attributes: [String: [String]] = [
            "objectClass": ["top", "person", "user"], "objectCategory": ["person"], "sAMAccountName": ["alice"],
            "userPrincipalName": ["alice@corp.test"], "mail": ["alice@corp.test"], "displayName": ["Alice Smith"], "userAccountControl": ["512"],
            "accountExpires": ["9223372036854775807"], "pwdLastSet": ["133000000000000000"],
        ]
        for (key, value) in extra { attributes[key] = value }
        world.directory.add(Self.aliceDN, password: "Correct-horse1", attributes, binary: ["objectGUID": [Self.guid]])
        return world
    }

    func signIn(_ world: DirectoryWorld, _ login: String = "alice", _ password: String = "Correct-horse1", service: SignInService? = nil) async throws -> User {
        try await (service ?? world.service()).signIn(login: login, password: password, clientAddress: "192.0.2.9")
    }

    func refusal(_ world: DirectoryWorld, _ login: String = "alice", _ password: String = "Correct-horse1") async -> SignInError? {
        do {
            _ = try await signIn(world, login, password)
            return nil
        } catch let error as SignInError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    func lastFailure(_ world: DirectoryWorld) async throws -> String? {
        try await world.events().last { $0.kind == .signInFailed }?.detail
    }

    @Test func theProfilesGiveTheDocumentedUserFilters() {
        let ad = adWorld().configuration
        #expect(ad.effectiveUserFilter == "(&(objectCategory=person)(objectClass=user)(|(sAMAccountName={login})(userPrincipalName={login})))")
        let openLDAP = DirectoryWorld(profile: .openLDAP).configuration
        #expect(openLDAP.effectiveUserFilter == "(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))")
        #expect(DirectoryWorld(profile: .generic).configuration.effectiveUserFilter == "(&(objectClass=person)(uid={login}))")
    }

    @Test func aDirectoryUserSignsInAndGetsASesameUserWithoutAPassword() async throws {
        let world = adWorld()
        let user = try await signIn(world)
        #expect(user.username == "alice" && user.email == "alice@corp.test" && user.name == "Alice Smith")
        #expect(user.passwordHash == nil, "the directory's password is never stored")
        let link = try #require(try await world.stores.link(userID: user.id))
        #expect(link.immutableID == Self.guidString && link.directory == "corp" && link.dn == Self.aliceDN)
        // The UPN signs the same person in: one Sesame user, found again by the immutable id.
        #expect(try await signIn(world, "alice@corp.test").id == user.id)
        #expect(try await world.stores.users().count == 1)
        let success = try #require(try await world.events().last { $0.kind == .signInSucceeded })
        #expect(success.detail == "authenticator=directory:corp directory=corp server=ldaps://dc1.test:636")
        #expect(world.directory.calls.contains(.bind(dn: Self.aliceDN, passwordPolicy: true)))
    }

    @Test func objectGUIDBecomesTheCanonicalUUIDString() {
        #expect(DirectoryBinaryID.guidString(Self.guid) == Self.guidString)
        #expect(DirectoryBinaryID.guidString(Array(0...15)) == "03020100-0504-0706-0809-0a0b0c0d0e0f")
        #expect(DirectoryBinaryID.guidString(Array(0...14)) == nil)
    }

    @Test func aRenamedEntryKeepsItsUserAndItsFieldsAreRefreshed() async throws {
        let world = adWorld()
        let first = try await signIn(world)
        world.directory.remove(Self.aliceDN)
        let moved = "CN=Alice Jones,OU=Staff,DC=corp,DC=test"
        world.directory.add(moved, password: "Correct-horse1", [
            "objectCategory": ["person"], "objectClass": ["user"], "sAMAccountName": ["ajones"], "mail": ["ajones@corp.test"],
            "displayName": ["Alice Jones"], "userAccountControl": ["512"],
        ], binary: ["objectGUID": [Self.guid]])
        let again = try await signIn(world, "ajones")
        #expect(again.id == first.id)
        #expect(again.username == "ajones" && again.email == "ajones@corp.test" && again.name == "Alice Jones")
        #expect(try await world.stores.link(userID: first.id)?.dn == moved)
    }

    @Test func anEmptyPasswordIsRefusedBeforeTheDirectoryIsAsked() async throws {
        let world = adWorld()
        #expect(await refusal(world, "alice", "") == .invalidCredentials)
        #expect(world.directory.calls.isEmpty, "no search and, above all, no (anonymous) bind")
        #expect(try await lastFailure(world) == "reason=empty_password directory=corp")
    }

    @Test func aWrongPasswordAndAnUnknownLoginLookAlike() async throws {
        let world = adWorld()
        world.directory.edit {
            $0.wrongPasswordAnswers[Self.aliceDN.lowercased()] = DirectoryBindResult(
                resultCode: 49, diagnosticMessage: "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563")
        }
        #expect(await refusal(world, "alice", "wrong") == .invalidCredentials)
        let knownShape = world.directory.callShape
        world.directory.clearCalls()
        #expect(await refusal(world, "nobody", "wrong") == .invalidCredentials)
        #expect(world.directory.callShape == knownShape)
        #expect(knownShape == ["search(limit 2)", "bind(policy true)"], "one search and one bind, whoever it is")
        guard case .bind(let dummy, _) = world.directory.calls.last else { Issue.record("no bind"); return }
        #expect(dummy.hasSuffix(",dc=corp,dc=test") && dummy != Self.aliceDN)
        let failures = try await world.events().filter { $0.kind == .signInFailed }.map(\.detail)
        #expect(failures[0]?.hasPrefix("reason=wrong_password directory=corp") == true)
        #expect(failures[1] == "reason=unknown_user")
    }

    /// Whatever the order of `authenticators`, a refusal walks the rest as an unknown login would:
    /// the same searches, binds and hashes either way.
    @Test func aRefusalCostsWhatAnUnknownLoginCostsWithLocalPasswordsToo() async throws {
        let world = adWorld()
        let work = CountingWork()
        let hasher = PasswordHasher(parameters: ScryptParameters(logN: 4, r: 1, p: 1))
        let now = FixedClock().date
        try await world.stores.insert(User(id: "local-lou", username: "lou", email: nil, name: nil, passwordHash: try hasher.hash("lou-password"), createdAt: now, updatedAt: now))
        let local = LocalPasswordAuthenticator(users: world.stores, hasher: hasher, work: work)
        for order in [[world.authenticator, local] as [any PrimaryAuthenticator], [local, world.authenticator]] {
            var costs: [[String]] = []
            for (login, password) in [("alice", "wrong"), ("lou", "wrong"), ("nobody", "wrong")] {
                world.directory.clearCalls()
                work.reset()
                #expect(await refusalBy(world.service(order), login, password) == .invalidCredentials)
                costs.append(world.directory.callShape + Array(repeating: "hash", count: work.runs))
            }
            #expect(costs[0] == costs[2] && costs[1] == costs[2], "\(order.map(\.name)): \(costs)")
            #expect(costs[2].sorted() == ["bind(policy true)", "hash", "search(limit 2)"])
        }
    }

    func refusalBy(_ service: SignInService, _ login: String, _ password: String) async -> SignInError? {
        do {
            _ = try await service.signIn(login: login, password: password, clientAddress: nil)
            return nil
        } catch {
            return error as? SignInError
        }
    }

    @Test func twoEntriesForOneLoginAreRefusedAsAmbiguous() async throws {
        let world = adWorld()
        world.directory.add("CN=Other Alice,DC=corp,DC=test", password: "Correct-horse1", [
            "objectCategory": ["person"], "objectClass": ["user"], "sAMAccountName": ["x"], "userPrincipalName": ["alice"],
        ], binary: ["objectGUID": [Array(repeating: 7, count: 16)]])
        #expect(await refusal(world) == .invalidCredentials)
        #expect(!world.directory.calls.contains { if case .bind = $0 { true } else { false } }, "neither entry is bound as")
        #expect(try await lastFailure(world)?.hasPrefix("reason=ambiguous_login directory=corp") == true)
        #expect(try await world.stores.users().isEmpty)
    }

    /// Each AD sub-code a DC puts in a refused bind, as the person reads it and the audit records it.
    @Test(arguments: [
        ("525", SignInError.Code.invalidCredentials, "wrong_password"),
        ("52e", .invalidCredentials, "wrong_password"),
        ("530", .accountRefused, "time_restricted"),
        ("531", .accountRefused, "workstation_restricted"),
        ("532", .passwordChangeRequired, "password_expired"),
        ("533", .accountRefused, "account_disabled"),
        ("701", .accountRefused, "account_expired"),
        ("773", .passwordChangeRequired, "must_change_password"),
        ("775", .accountRefused, "account_locked"),
        ("6ff", .invalidCredentials, "directory_refused"),
    ])
    func activeDirectoryBindCodes(code: String, expected: SignInError.Code, reason: String) async throws {
        let world = adWorld()
        world.directory.edit {
            $0.bindAnswers[Self.aliceDN.lowercased()] = DirectoryBindResult(
                resultCode: 49, diagnosticMessage: "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data \(code), v4563")
        }
        let error = try #require(await refusal(world))
        #expect(error.code == expected)
        if expected != .invalidCredentials {
            #expect(error.directory == "corp")
            #expect(error.message == DirectoryRefusal.activeDirectory(code: code).message && error.message?.isEmpty == false)
        }
        #expect(try await lastFailure(world) == "reason=\(reason) directory=corp server=ldaps://dc1.test:636 result=49 data=\(code)")
        #expect(try await world.stores.users().isEmpty, "nobody refused gets a Sesame user")
    }

    @Test func theEntrysOwnStateRefusesAfterTheRightPassword() async throws {
        let now = FixedClock().date
        let pastFileTime = Int64(now.timeIntervalSince1970 - 60) * 10_000_000 + DirectoryAccountState.fileTimeEpochOffset
        let futureFileTime = Int64(now.timeIntervalSince1970 + 86_400) * 10_000_000 + DirectoryAccountState.fileTimeEpochOffset
        let cases: [([String: [String]], SignInError.Code?, String?)] = [
            (["userAccountControl": ["514"]], .accountRefused, "account_disabled"),  // 512 | ACCOUNTDISABLE
            (["accountExpires": [String(pastFileTime)]], .accountRefused, "account_expired"),
            (["accountExpires": [String(futureFileTime)]], nil, nil),
            (["accountExpires": ["0"]], nil, nil),
            (["pwdLastSet": ["0"]], .passwordChangeRequired, "must_change_password"),
            // A lock the DC no longer enforces (the bind succeeded) is over.
            (["lockoutTime": ["133000000000000000"]], nil, nil),
        ]
        for (attributes, code, reason) in cases {
            let world = adWorld(attributes)
            let error = await refusal(world)
            #expect(error?.code == code, "\(attributes)")
            if let reason { #expect(try await lastFailure(world) == "reason=\(reason) directory=corp server=ldaps://dc1.test:636 state=entry") }
        }
    }

    @Test func aDisabledEntryWithAWrongPasswordIsJustAWrongPassword() async throws {
        let world = adWorld(["userAccountControl": ["514"]])
        #expect(await refusal(world, "alice", "wrong") == .invalidCredentials, "the state is not told to someone without the password")
    }

    @Test func aLockedEntryIsToldSoWhenTheDCSaysNothingMore() async throws {
        let world = adWorld(["lockoutTime": ["133000000000000000"]])
        #expect(await refusal(world, "alice", "wrong")?.code == .accountRefused)
        #expect(try await lastFailure(world)?.hasPrefix("reason=account_locked") == true)
    }

    @Test func openLDAPPasswordPolicyAnswers() async throws {
        let dn = "uid=bob,ou=people,dc=corp,dc=test"
        func world(_ answer: DirectoryBindResult) -> DirectoryWorld {
            let world = DirectoryWorld(profile: .openLDAP)
            world.directory.add(dn, password: "bob-password", [
                "objectClass": ["inetOrgPerson"], "uid": ["bob"], "mail": ["bob@corp.test"], "cn": ["Bob"], "entryUUID": ["5A2B4C6D-0000-4000-8000-00000000B0B0"],
            ])
            world.directory.edit { $0.bindAnswers[dn] = answer }
            return world
        }
        let expired = world(DirectoryBindResult(resultCode: 49, passwordPolicy: .init(error: .passwordExpired)))
        #expect(await refusal(expired, "bob", "bob-password")?.code == .passwordChangeRequired)
        let locked = world(DirectoryBindResult(resultCode: 49, passwordPolicy: .init(error: .accountLocked)))
        #expect(await refusal(locked, "bob", "bob-password")?.code == .accountRefused)
        let reset = world(DirectoryBindResult(resultCode: 0, passwordPolicy: .init(error: .changeAfterReset)))
        let resetError = await refusal(reset, "bob", "bob-password")
        #expect(resetError?.code == .passwordChangeRequired && resetError?.directory == "corp")

        let warned = world(DirectoryBindResult(resultCode: 0, passwordPolicy: .init(warning: .secondsBeforeExpiration(3 * 86_400 + 5))))
        let result = try await warned.service().signInResult(login: "bob", password: "bob-password", clientAddress: nil)
        #expect(result.notice?.kind == .passwordExpiresSoon(seconds: 3 * 86_400 + 5))
        #expect(result.notice?.message == "Your password expires in 3 days. Change it soon.")
        #expect(try await warned.stores.link(userID: result.user.id)?.immutableID == "5a2b4c6d-0000-4000-8000-00000000b0b0")
        let grace = world(DirectoryBindResult(resultCode: 0, passwordPolicy: .init(warning: .graceLoginsRemaining(2))))
        let graced = try await grace.service().signInResult(login: "bob", password: "bob-password", clientAddress: nil)
        #expect(graced.notice?.kind == .graceLoginsLeft(2))
        #expect(graced.notice?.message.contains("2 more times") == true)
    }

    @Test func aPasswordChangeRequiredIsNotCountedAsAFailure() async throws {
        let world = adWorld()
        world.directory.edit { $0.bindAnswers[Self.aliceDN.lowercased()] = DirectoryBindResult(resultCode: 49, diagnosticMessage: "data 773,") }
        for _ in 0..<8 { #expect(await refusal(world)?.code == .passwordChangeRequired) }
        #expect(try await world.stores.failures(key: ThrottleKey.login("alice")) == nil)
    }

    @Test func anUnreachableDirectoryIsATypedErrorAndNeverFallsBackToALocalPassword() async throws {
        let world = adWorld()
        let hasher = PasswordHasher(parameters: ScryptParameters(logN: 10, r: 8, p: 1))
        let local = User(id: "local-alice", username: "alice", email: nil, name: nil, passwordHash: try hasher.hash("Correct-horse1"), createdAt: FixedClock().date, updatedAt: FixedClock().date)
        try await world.stores.insert(local)
        world.directory.edit { $0.unreachable = true }
        let service = world.service([world.authenticator, LocalPasswordAuthenticator(users: world.stores, hasher: hasher)])
        await #expect(throws: SignInError.directoryUnavailable("corp")) {
            _ = try await service.signIn(login: "alice", password: "Correct-horse1", clientAddress: nil)
        }
        #expect(try await world.stores.failures(key: ThrottleKey.account(local.id)) == nil, "no failure of the person's")
        #expect(try await lastFailure(world) == "reason=directory_unavailable directory=corp")
        #expect(!(try await world.events()).contains { $0.kind == .signInSucceeded })
    }

    @Test func aDirectoryEntryWhoseUsernameIsALocalAccountsIsRefused() async throws {
        let world = adWorld()
        let local = User(id: "local-alice", username: "alice", email: nil, name: nil, passwordHash: "x", createdAt: FixedClock().date, updatedAt: FixedClock().date)
        try await world.stores.insert(local)
        let error = await refusal(world)
        #expect(error?.code == .accountRefused && error?.message?.contains("already uses this username") == true)
        #expect(try await lastFailure(world) == "reason=account_clash directory=corp field=username")
        #expect(try await world.stores.link(userID: local.id) == nil, "never merged into the local account")
    }

    @Test func aSesameDisabledDirectoryUserIsRefused() async throws {
        let world = adWorld()
        var user = try await signIn(world)
        user.disabled = true
        try await world.stores.update(user)
        #expect(await refusal(world) == .invalidCredentials)
        #expect(try await lastFailure(world) == "reason=disabled")
    }

    @Test func hostileLoginsAndDiagnosticsAreBounded() async throws {
        let world = adWorld()
        #expect(await refusal(world, "alice\u{0}x", "pw") == .invalidCredentials)
        #expect(await refusal(world, String(repeating: "a", count: 300), "pw") == .invalidCredentials)
        #expect(world.directory.calls.isEmpty, "a login no entry can have is not sent to the directory")
        #expect(DirectoryRefusal.activeDirectoryCode(in: "comment: AcceptSecurityContext error, data 775, v4563") == "775")
        #expect(DirectoryRefusal.activeDirectoryCode(in: "data ") == nil)
        #expect(DirectoryRefusal.activeDirectoryCode(in: "data zz, data 533") == "533")
        #expect(DirectoryRefusal.activeDirectoryCode(in: "data 123456789") == nil)
        #expect(DirectoryRefusal.activeDirectoryCode(in: String(repeating: "x", count: 2000) + "data 775") == nil, "only the first 1024 bytes are read")
    }

    @Test func aDisabledConfigurationIsNotAsked() async throws {
        let world = adWorld { $0.enabled = false }
        #expect(await refusal(world) == .invalidCredentials)
        #expect(world.directory.calls.isEmpty)
    }
}
