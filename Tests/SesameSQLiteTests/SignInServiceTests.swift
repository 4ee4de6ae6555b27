import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite
import Synchronization

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
            #expect(try await store.failures(key: ThrottleKey.account(try await store.user(username: "alice")!.id))?.failures == 1)
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

    /// 64 wrong passwords at once against a limit of five: each is counted before its hash, so
    /// those past the limit are refused without one.
    @Test func parallelWrongPasswordsAreHashedNoMoreThanTheLimit() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            let work = CountingWork(hold: .milliseconds(20))
            let signIn = SignInService(users: store, throttle: store, hasher: fastHasher, work: work, clock: clock)
            let outcomes = await withTaskGroup(of: SignInError.Code?.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        do {
                            _ = try await signIn.signIn(login: "alice", password: "wrong", clientAddress: "192.0.2.10")
                            return nil
                        } catch {
                            return (error as? SignInError)?.code
                        }
                    }
                }
                return await group.reduce(into: [SignInError.Code?]()) { $0.append($1) }
            }
            #expect(work.runs <= LockoutPolicy.account.threshold, "hashed \(work.runs) of 64")
            #expect(outcomes.filter { $0 == .invalidCredentials }.count == work.runs)
            #expect(outcomes.filter { $0 == .throttled }.count == 64 - work.runs)
            // Refused attempts are not counted as failures: the lockout is what five failures make.
            #expect(try await store.failures(key: ThrottleKey.account(try await store.user(username: "alice")!.id))?.failures == work.runs)
        }
    }

    @Test func aThrottledAttemptCostsNoHashAndAnUnknownUserOneDummyHash() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            let work = CountingWork()
            let signIn = SignInService(users: store, throttle: store, hasher: fastHasher, work: work, clock: clock)
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "ghost", password: "x", clientAddress: nil) }
            #expect(work.runs == 1, "an unknown user costs one (dummy) hash, as a known one does")
            for _ in 1...5 {
                await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "alice", password: "bad", clientAddress: nil) }
            }
            #expect(work.runs == 6)
            await #expect(throws: SignInError.throttled(until: clock.now().addingTimeInterval(1))) {
                try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil)
            }
            #expect(work.runs == 6, "a throttled attempt costs no hash")
        }
    }

    /// Successes at an address are no failures: an office behind one address keeps signing in.
    @Test func successesDoNotCountAgainstTheAddress() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            var signIn = service(store, clock)
            signIn.addressPolicy = LockoutPolicy(threshold: 3, forgetAfter: 15 * 60)
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: "bob", password: "x", clientAddress: "198.51.100.9") }
            for _ in 1...10 {
                clock.advance(1)
                #expect(try await signIn.signIn(login: "alice", password: "right-password", clientAddress: "198.51.100.9").username == "alice")
            }
            let count = try #require(try await store.failures(key: ThrottleKey.address("198.51.100.9")))
            #expect(count.failures == 1)
            #expect(count.lastFailureAt == Date(timeIntervalSince1970: 1_800_000_000), "the quiet time still runs from the failure")
        }
    }

    /// A 60 KB username is neither kept as a throttle key nor anywhere else: what it leaves in the
    /// database (its throttle rows and audit event) stays under a kilobyte.
    @Test func aHugeUsernameLeavesOnlyBoundedRows() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let audit = AuditTrail(store: store, clock: clock)
            var signIn = service(store, clock)
            signIn.audit = audit
            let huge = String(repeating: "x", count: 60_000)
            await #expect(throws: SignInError.invalidCredentials) { try await signIn.signIn(login: huge, password: "p", clientAddress: "203.0.113.9") }
            #expect(try await audit.flush() == 1)
            var stored = 0
            try await StoreDump.export(store, dataKeyID: "k") { line in
                if line.contains(#""table":"sign_in_failures""#) || line.contains(#""table":"audit_events""#) { stored += line.utf8.count }
            }
            #expect(stored > 0 && stored < 1024, "\(stored) bytes")
            #expect(try await store.failures(key: ThrottleKey.login(huge.uppercased()))?.failures == 1, "still throttled under its own name")
        }
    }

    /// Wrong second-step codes lock the account for passwords too, until the delay has passed.
    @Test func anAccountLockedForWrongCodesRefusesPasswords() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await addAlice(store, clock)
            let alice = try #require(try await store.user(username: "alice"))
            for _ in 1...5 { try await store.recordFailure(key: ThrottleKey.secondFactor(alice.id), at: clock.now(), forgetBefore: clock.now().addingTimeInterval(-60)) }
            let signIn = service(store, clock)
            await #expect(throws: SignInError.throttled(until: clock.now().addingTimeInterval(1))) {
                try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil)
            }
            clock.advance(1)
            #expect(try await signIn.signIn(login: "alice", password: "right-password", clientAddress: nil).username == "alice")
            #expect(try await store.failures(key: ThrottleKey.secondFactor(alice.id))?.failures == 5, "a right password does not reset it")
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
            #expect(PasswordScheme(hash: upgraded.passwordHash ?? "") == .scrypt)
            #expect(upgraded.groups == ["staff"])
            #expect(upgraded.roles == ["reader"])
            _ = try await signIn.signIn(login: "legacy", password: PythonMadeHashes.password, clientAddress: nil)
        }
    }
}

/// Counts the work handed out (every password hash goes through it), holding each a little so
/// that parallel attempts overlap.
final class CountingWork: BlockingWork {
    private let count = Mutex(0)
    let hold: Duration

    init(hold: Duration = .zero) { self.hold = hold }

    var runs: Int { count.withLock { $0 } }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        count.withLock { $0 += 1 }
        if hold > .zero { try await Task.sleep(for: hold) }
        return try work()
    }
}

enum PythonMadeHashes {
    static let password = "correct horse battery staple"
    static let bcrypt2y = "$2y$05$KRIzP7RubIDjOpkysx8ECO2AbwJbAqqEmmlGZyw02LA/XUITjHKH6"
    static let passlibPBKDF2 = "$pbkdf2-sha256$1000$PIcQgvAeI8RYC.F8b805Zw$9BWS7tfHMTI/9CkMXD3ABdk4XHT.uPZ4278Kg6e.tvI"
    static let djangoPBKDF2 = "pbkdf2_sha256$1000$gqEUH6ppCuhd$3i4Gf9mik0aAt+eMbzAGkYaluIL0q8t6g8arE9+kK5s="
}
