import Foundation
import SesameCore
import SesameSQL
import SesameSQLite
import Synchronization
import Testing

/// The sign-in service's walk over its primary authenticators, and people without a local
/// password, on the real SQLite store.
@Suite struct PrimaryAuthenticatorTests {
    /// Records which authenticators were asked, in order.
    final class Asked: Sendable {
        private let names = Mutex<[String]>([])
        var list: [String] { names.withLock { $0 } }
        func add(_ name: String) { names.withLock { $0.append(name) } }
    }

    /// Passes, answers with the stored account, refuses, or fails to answer, as told.
    struct Scripted: PrimaryAuthenticator {
        enum Act: Sendable { case pass, answer, refuse(SignInFailureReason), unreachable }
        struct Unreachable: Error {}
        let name: String
        let act: Act
        let asked: Asked

        func authenticate(_ credentials: SignInCredentials, account: User?) async throws -> User? {
            asked.add(name)
            switch act {
            case .pass: return nil
            case .answer: return account
            case .refuse(let reason): throw SignInFailure(reason)
            case .unreachable: throw Unreachable()
            }
        }
    }

    func signIn(_ store: SQLStore, _ clock: ManualClock, _ authenticators: [any PrimaryAuthenticator]) -> SignInService {
        var service = SignInService(users: store, throttle: store, authenticators: authenticators, clock: clock)
        service.audit = AuditTrail(store: store, clock: clock)
        return service
    }

    func accounts(_ store: SQLStore, _ clock: ManualClock) -> AccountService {
        AccountService(users: store, sessions: store, hasher: fastHasher, clock: clock)
    }

    func reasons(_ store: SQLStore, _ service: SignInService) async throws -> [String] {
        try await service.audit?.flush()
        return try await store.auditEvents(AuditQuery(type: "sign_in.failed")).map { $0.event.detail ?? "" }
    }

    @Test func theFirstToAnswerWinsAndLaterOnesAreNotAsked() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            let asked = Asked()
            let service = signIn(store, clock, [
                Scripted(name: "first", act: .pass, asked: asked),
                Scripted(name: "second", act: .answer, asked: asked),
                Scripted(name: "third", act: .refuse(.wrongPassword), asked: asked),
            ])
            #expect(try await service.signIn(login: "ann", password: "anything", clientAddress: nil).username == "ann")
            #expect(asked.list == ["first", "second"])
            try await service.audit?.flush()
            #expect(try await store.auditEvents(AuditQuery(type: "sign_in.succeeded")).map(\.event.detail) == ["authenticator=second"])
        }
    }

    @Test func aRefusalStopsTheWalkAndIsCountedWithItsReason() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let ann = try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            let asked = Asked()
            let service = signIn(store, clock, [
                Scripted(name: "refuses", act: .refuse(.wrongPassword), asked: asked),
                Scripted(name: "would-answer", act: .answer, asked: asked),
            ])
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: "x", clientAddress: "192.0.2.5") }
            #expect(asked.list == ["refuses"])
            #expect(try await reasons(store, service) == ["reason=wrong_password"])
            #expect(try await store.failures(key: ThrottleKey.account(ann.id))?.failures == 1)
            #expect(try await store.failures(key: ThrottleKey.address("192.0.2.5"))?.failures == 1)
        }
    }

    @Test func whenNoneAnswersTheReasonSaysWhetherThePersonExists() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            let service = signIn(store, clock, [Scripted(name: "passes", act: .pass, asked: Asked())])
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: "x", clientAddress: nil) }
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ghost", password: "x", clientAddress: nil) }
            #expect(try await reasons(store, service) == ["reason=no_password", "reason=unknown_user"])
        }
    }

    /// The lockout is the service's, not each authenticator's: past it, none is asked.
    @Test func aLockedAccountAsksNoAuthenticator() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            let asked = Asked()
            let service = signIn(store, clock, [Scripted(name: "refuses", act: .refuse(.wrongPassword), asked: asked)])
            for _ in 1...5 {
                await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: "x", clientAddress: nil) }
            }
            await #expect(throws: SignInError.throttled(until: clock.now().addingTimeInterval(1))) {
                try await service.signIn(login: "ann", password: "x", clientAddress: nil)
            }
            #expect(asked.list.count == 5)
        }
    }

    /// A disabled person stays out whichever authenticator vouches for them.
    @Test func aDisabledPersonIsRefusedEvenWhenAnAuthenticatorAnswers() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            try await accounts(store, clock).setDisabled(username: "ann", true)
            let service = signIn(store, clock, [Scripted(name: "answers", act: .answer, asked: Asked())])
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: "x", clientAddress: nil) }
            #expect(try await reasons(store, service) == ["reason=disabled"])
        }
    }

    /// An authenticator that cannot answer (a directory that is down) is no failure of the person's.
    @Test func anUnreachableAuthenticatorLeavesNoFailureCounted() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let ann = try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            let service = signIn(store, clock, [Scripted(name: "down", act: .unreachable, asked: Asked())])
            await #expect(throws: Scripted.Unreachable.self) { try await service.signIn(login: "ann", password: "x", clientAddress: "192.0.2.6") }
            #expect(try await store.failures(key: ThrottleKey.account(ann.id))?.failures ?? 0 == 0)
            #expect(try await store.failures(key: ThrottleKey.address("192.0.2.6"))?.failures ?? 0 == 0)
        }
    }

    /// A person without a local password is refused by the local authenticator at the cost of
    /// one hash, as a wrong password is, and any password is refused.
    @Test func noLocalPasswordCostsOneHashAndSignsNobodyIn() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await accounts(store, clock).addUser(username: "ann", email: nil, name: nil, password: nil)
            try await accounts(store, clock).addUser(username: "bob", email: nil, name: nil, password: "bob-password")
            let work = CountingWork()
            let service = signIn(store, clock, [LocalPasswordAuthenticator(users: store, hasher: fastHasher, work: work)])
            for password in ["", "x", "bob-password"] {
                await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: password, clientAddress: nil) }
            }
            #expect(work.runs == 3, "one hash each")
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "bob", password: "wrong", clientAddress: nil) }
            #expect(work.runs == 4, "as much as a wrong password")
            #expect(try await reasons(store, service) == ["reason=no_password", "reason=no_password", "reason=no_password", "reason=wrong_password"])
        }
    }

    /// The test-only authenticator after the local one: a person without a local password signs in
    /// through it; one with a local password is still judged by that password alone.
    @Test func theTestAuthenticatorSignsInAPersonWithoutALocalPassword() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            try await accounts(store, clock).addUser(username: "ann", email: "ann@example.com", name: nil, password: nil)
            try await accounts(store, clock).addUser(username: "bob", email: nil, name: nil, password: "bob-password")
            let authenticators = try PrimaryAuthenticators.make(
                ["local", "test"], users: store, hasher: fastHasher, work: InlineWork(),
                environment: ["SESAME_TESTING": "1", "SESAME_TEST_AUTHENTICATOR_LOGIN": "ANN", "SESAME_TEST_AUTHENTICATOR_PASSWORD": "from-the-test"]
            )
            let service = signIn(store, clock, authenticators)
            #expect(try await service.signIn(login: "ann", password: "from-the-test", clientAddress: nil).username == "ann")
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: "from-the-tesT", clientAddress: nil) }
            #expect(try await service.signIn(login: "bob", password: "bob-password", clientAddress: nil).username == "bob")
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "bob", password: "from-the-test", clientAddress: nil) }
            #expect(try await store.user(username: "ann")?.passwordHash == nil, "signing in elsewhere stores no local password")
        }
    }

    /// Someone without a local password can be given one, and then signs in with it.
    @Test func aPersonWithoutAPasswordCanBeGivenOne() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let accounts = accounts(store, clock)
            try await accounts.addUser(username: "ann", email: nil, name: nil, password: nil)
            let service = SignInService(users: store, throttle: store, hasher: fastHasher, clock: clock)
            await #expect(throws: SignInError.invalidCredentials) { try await service.signIn(login: "ann", password: "new-password", clientAddress: nil) }
            try await accounts.setPassword(username: "ann", password: "new-password")
            #expect(try await service.signIn(login: "ann", password: "new-password", clientAddress: nil).username == "ann")
        }
    }
}
