import Foundation
import SesameCore
import SesameSQL
import Testing

/// What every second factor gets from `SecondFactors`, shown with factors written for the test:
/// only enrolled ones are asked, an answer of no factor's form is refused with its own reason,
/// and an overlong answer is counted and refused without reaching any factor.
@Suite struct SecondFactorsTests {
    /// Accepts any answer for the people it is enrolled for; notes each answer it is shown.
    final class AcceptAnything: SecondFactor, @unchecked Sendable {
        let name = "accept_anything"
        let methods: [AMR] = [.swk]
        let enrolled: Set<String>
        private let lock = NSLock()
        private var seen: [String] = []
        init(enrolled: Set<String>) { self.enrolled = enrolled }
        var answersSeen: [String] { lock.withLock { seen } }
        func isEnrolled(for user: User) async throws -> Bool { enrolled.contains(user.username) }
        func challenge(for user: User) async throws -> SecondFactorChallenge {
            SecondFactorChallenge(factor: name, prompt: "anything", inputMode: .text, oneTimeCode: false)
        }
        func verify(_ answer: SecondFactorAnswer, for user: User, at now: Date) async throws -> SecondFactorVerdict? {
            lock.withLock { seen.append(answer.text) }
            return .accepted
        }
    }

    func with(_ body: (SQLStore, User, AuditTrail, ManualClock) async throws -> Void) async throws {
        try await withStore { store, _ in
            let user = makeUser("ada")
            try await store.insert(user)
            let clock = ManualClock()
            try await body(store, user, AuditTrail(store: store, clock: clock), clock)
        }
    }

    @Test func onlyEnrolledFactorsAreAskedAndTheirAMRComesFirstThenMFA() async throws {
        try await with { store, user, audit, clock in
            let other = AcceptAnything(enrolled: ["bob"]), mine = AcceptAnything(enrolled: ["ada"])
            let factors = SecondFactors([other, mine], throttle: store, clock: clock, audit: audit)
            #expect(try await factors.enrolled(for: user).map(\.name) == ["accept_anything"])
            #expect(try await factors.challenges(for: user).map(\.prompt) == ["anything"])
            let factor = try await factors.verify(" 12 34 ", for: user)
            #expect(other.answersSeen.isEmpty && mine.answersSeen == ["1234"], "white space removed, only the enrolled factor asked")
            #expect(SecondFactors.methods(after: ["pwd"], adding: factor.methods) == ["pwd", "swk", "mfa"])
            #expect(SecondFactors.methods(after: ["pwd", "mfa"], adding: [.otp]) == ["pwd", "mfa", "otp"], "each value once")
        }
    }

    /// A hostile answer of many kilobytes is no factor's: refused, counted and audited, unchecked.
    @Test func anOverlongAnswerIsCountedAndRefusedWithoutAskingAnyFactor() async throws {
        try await with { store, user, audit, clock in
            let factor = AcceptAnything(enrolled: ["ada"])
            let factors = SecondFactors([factor], throttle: store, clock: clock, audit: audit)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await factors.verify(String(repeating: "7", count: 10_000), for: user) }
            await #expect(throws: SignInError.invalidCredentials) {
                _ = try await factors.verify(String(repeating: "é", count: SecondFactorAnswer.limit + 1), for: user)
            }
            #expect(factor.answersSeen.isEmpty)
            try await audit.flush()
            let failed = try await store.auditEvents(AuditQuery(type: "two_factor.failed")).map { $0.event.detail ?? "" }
            #expect(failed == ["reason=wrong_answer failures=1", "reason=wrong_answer failures=2"])
            #expect(SecondFactorAnswer(String(repeating: "a", count: SecondFactorAnswer.limit))?.text.count == SecondFactorAnswer.limit)
        }
    }

    /// Without any enrolled factor no answer passes, and the attempt still counts.
    @Test func withNoEnrolledFactorEveryAnswerIsRefused() async throws {
        try await with { store, user, audit, clock in
            let factors = SecondFactors([AcceptAnything(enrolled: [])], throttle: store, clock: clock, audit: audit)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await factors.verify("123456", for: user) }
            let counted = try await store.failures(key: ThrottleKey.secondFactor(user.id))
            #expect(counted?.failures == 1)
        }
    }

    @Test func theTestFactorIsRefusedWithoutSesameTesting() throws {
        let ready = ["SESAME_TESTING": "1", "SESAME_TEST_SECOND_FACTOR_CODE": "c0de", "SESAME_TEST_SECOND_FACTOR_USERS": "ada, bob"]
        #expect(try ConfiguredSecondFactors.make([], environment: [:]).isEmpty)
        #expect(try ConfiguredSecondFactors.make(["test"], environment: ready).map(\.name) == ["test"])
        var untested = ready
        untested["SESAME_TESTING"] = nil
        #expect(throws: ConfiguredSecondFactors.ConfigurationError.self) { try ConfiguredSecondFactors.make(["test"], environment: untested) }
        var codeless = ready
        codeless["SESAME_TEST_SECOND_FACTOR_CODE"] = ""
        #expect(throws: ConfiguredSecondFactors.ConfigurationError.self) { try ConfiguredSecondFactors.make(["test"], environment: codeless) }
        #expect(throws: ConfiguredSecondFactors.ConfigurationError.self) { try ConfiguredSecondFactors.make(["test", "test"], environment: ready) }
        #expect(throws: ConfiguredSecondFactors.ConfigurationError.self) { try ConfiguredSecondFactors.make(["sms"], environment: ready) }
    }
}
