import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite

/// Sign-in rules on the real SQLite store with a hand-moved clock.
@Suite struct SignInServiceTests {
    func service(_ store: SQLStore, _ clock: ManualClock) -> SignInService {
        SignInService(users: store, throttle: store, hasher: fastHasher, clock: clock)
    }

    func addAlice(_ store: SQLStore, _ clock: ManualClock) async throws {
        try await AccountService(users: store, sessions: store, hasher: fastHasher, clock: clock)
            .addUser(username: "alice", email: "alice@example.com", name: "Alice", password: "right-password")
    }

    @Test func rightPasswordByUsernameOrEmail() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            let signIn = service(store, clock)
            #expect(try await signIn.signIn(login: "alice", password: "right-password", clientAddress: "192.0.2.1").username == "alice")
            #expect(try await signIn.signIn(login: "ALICE@example.com", password: "right-password", clientAddress: nil).username == "alice")
        }
    }

    @Test func wrongPasswordUnknownUserAndDisabledUserLookTheSame() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            let signIn = service(store, clock)
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "alice", password: "wrong", clientAddress: nil) }
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "nobody", password: "right-password", clientAddress: nil) }
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "", password: "", clientAddress: nil) }
            try await AccountService(users: store, sessions: store, hasher: fastHasher).setDisabled(username: "alice", true)
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil) }
        }
    }

    @Test func fiveFailuresLockTheAccountWithDoublingDelays() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            let signIn = service(store, clock)
            for _ in 1...5 {
                await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "alice", password: "bad", clientAddress: nil) }
            }
            // Locked for 1 s: even the right password is refused, without a hash.
            let lockedAt = clock.now()
            await #expect(throws: SignInError.throttled(until: lockedAt.addingTimeInterval(1))) {
                try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil)
            }
            clock.advance(1)
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "alice", password: "bad", clientAddress: nil) }
            clock.advance(1.5)
            await #expect(throws: SignInError.throttled(until: lockedAt.addingTimeInterval(1 + 2))) {
                try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil)
            }
            clock.advance(0.5)
            // A success resets the count.
            #expect(try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil).username == "alice")
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "alice", password: "bad", clientAddress: nil) }
            #expect(try await store.failures(key: "account:\(try await store.user(username: "alice")!.id)")?.failures == 1)
        }
    }

    @Test func unknownUsersAreThrottledToo() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let signIn = service(store, clock)
            for _ in 1...5 {
                await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "ghost", password: "x", clientAddress: nil) }
            }
            await #expect(throws: SignInError.throttled(until: clock.now().addingTimeInterval(1))) {
                try await signIn.signIn(login: "Ghost", password: "x", clientAddress: nil)
            }
        }
    }

    @Test func oneAddressGuessingManyAccountsIsThrottled() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            var signIn = service(store, clock)
            signIn.addressPolicy = LockoutPolicy(threshold: 3)
            for name in ["u1", "u2", "u3"] {
                await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: name, password: "x", clientAddress: "198.51.100.7") }
            }
            await #expect(throws: SignInError.throttled(until: clock.now().addingTimeInterval(1))) {
                try await signIn.signIn(login: "alice", password: "right-password", clientAddress: "198.51.100.7")
            }
            #expect(try await signIn.signIn(login: "alice", password: "right-password", clientAddress: "198.51.100.8").username == "alice")
        }
    }

    @Test(arguments: [PythonMadeHashes.bcrypt2y, PythonMadeHashes.djangoPBKDF2, PythonMadeHashes.passlibPBKDF2])
    func importedHashesAreUpgradedToScryptAtSignIn(hash: String) async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let file = try UsersFile(parsing: "legacy:\(hash):staff reader\n")
            _ = try await AccountService(users: store, sessions: store, hasher: fastHasher, clock: clock).importUsers(file)
            let signIn = service(store, clock)
            _ = try await signIn.signIn(login: "legacy", password: PythonMadeHashes.password, clientAddress: nil)
            let upgraded = try #require(try await store.user(username: "legacy"))
            #expect(PasswordScheme(hash: upgraded.passwordHash) == .scrypt)
            #expect(upgraded.groups == ["staff"])
            #expect(upgraded.roles == ["reader"])
            _ = try await signIn.signIn(login: "legacy", password: PythonMadeHashes.password, clientAddress: nil)
        }
    }
}

enum PythonMadeHashes {
    static let password = "correct horse battery staple"
    static let bcrypt2y = "$2y$05$KRIzP7RubIDjOpkysx8ECO2AbwJbAqqEmmlGZyw02LA/XUITjHKH6"
    static let passlibPBKDF2 = "$pbkdf2-sha256$1000$PIcQgvAeI8RYC.F8b805Zw$9BWS7tfHMTI/9CkMXD3ABdk4XHT.uPZ4278Kg6e.tvI"
    static let djangoPBKDF2 = "pbkdf2_sha256$1000$gqEUH6ppCuhd$3i4Gf9mik0aAt+eMbzAGkYaluIL0q8t6g8arE9+kK5s="
}
