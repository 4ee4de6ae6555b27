import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import SesameSQL
import SesameServer
import Synchronization
import Testing

/// The second step through the real router: one sign-in transaction that any second factor can
/// finish, bound to the browser, for five minutes, spent once.
@Suite struct SignInTransactionRoutesTests {
    /// A factor written for this test only, plugged in beside TOTP and recovery codes without any
    /// change to the routes: alice answers "open-sesame".
    struct TappedWordFactor: SecondFactor {
        let name = "tapped_word"
        let methods: [AMR] = [.hwk]
        func isEnrolled(for user: User) async throws -> Bool { user.username == "alice" }
        func challenge(for user: User) async throws -> SecondFactorChallenge {
            SecondFactorChallenge(factor: name, prompt: "the word your key shows", inputMode: .text, oneTimeCode: false)
        }
        func verify(_ answer: SecondFactorAnswer, for user: User, at now: Date) async throws -> SecondFactorVerdict? {
            answer.text == "open-sesame" ? .accepted : .refused(.wrongAnswer)
        }
    }

    final class StepClock: WallClock {
        private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func now() -> Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    /// The shared test server with two-step verification, TOTP and recovery codes, and the
    /// factor above, on a clock the test moves.
    func withTwoStepServer(issuer: String = "http://127.0.0.1:8080", _ body: @Sendable (any TestClientProtocol, SQLStore, StepClock) async throws -> Void) async throws {
        let clock = StepClock()
        try await withServer(issuer: issuer, twoFactor: { store in
            let twoFactor = TwoFactorService(
                store: store, throttle: store, dataKey: DataKey(bytes: Array(repeating: 6, count: 32))!, issuer: "Sesame", clock: clock,
                additionalFactors: [TappedWordFactor()]
            )
            return TwoFactorDependencies(
                service: twoFactor, transactions: SignInTransactions(store: store, clock: clock), audit: AuditTrail(store: store, clock: clock)
            )
        }) { client, store in try await body(client, store, clock) }
    }

    /// Password, then the second step's page shows the factor's own prompt, and its answer posted.
    func answer(_ client: some TestClientProtocol, _ browser: inout Browser, _ text: String) async throws -> TestResponse {
        let page = try await browser.get(client, "/login/two-factor")
        return try await browser.post(client, "/login/two-factor", form: ["csrf_token": csrfToken(in: page.bodyText), "code": text])
    }

    func amr(_ browser: Browser, _ store: SQLStore, cookie: String = "sesame_session") async throws -> [String]? {
        guard let value = browser.cookies[cookie] else { return nil }
        return try await store.session(idDigest: TokenDigest.of(value))?.authMethods
    }

    @Test func aPluggedInFactorFinishesTheSignInAndAddsItsAMR() async throws {
        try await withTwoStepServer { client, store, _ in
            var browser = Browser()
            let password = try await browser.signIn(client, "alice", "right-password")
            #expect(password.status == .seeOther && password.headers[.location]?.hasPrefix("/login/two-factor") == true)
            #expect(browser.cookies["sesame_session"] == nil && browser.cookies["sesame_pending"] != nil)
            let page = try await browser.get(client, "/login/two-factor")
            #expect(page.bodyText.contains("<p>Enter the word your key shows.</p>"), "the page is made from the factor's challenge")
            #expect(page.bodyText.contains(#"inputmode="text""#) && !page.bodyText.contains("one-time-code"))
            #expect(try await answer(client, &browser, "close-sesame").status == .unauthorized)
            let done = try await answer(client, &browser, "open-sesame")
            #expect(done.status == .seeOther && done.headers[.location] == "/account")
            #expect(try await amr(browser, store) == ["pwd", "hwk", "mfa"])
            #expect(browser.cookies["sesame_pending"] == nil)
        }
    }

    /// The transaction's cookie carried to another browser (with its own CSRF secret) finishes
    /// nothing there, and the browser that began it can still finish it.
    @Test func theTransactionIsBoundToTheBrowserThatBeganIt() async throws {
        try await withTwoStepServer { client, store, _ in
            var alice = Browser()
            _ = try await alice.signIn(client, "alice", "right-password")
            var thief = Browser()
            _ = try await thief.get(client, "/login")
            thief.cookies["sesame_pending"] = alice.cookies["sesame_pending"]
            let shown = try await thief.get(client, "/login/two-factor")
            #expect(shown.status == .seeOther && shown.headers[.location] == "/login")
            thief.cookies["sesame_pending"] = alice.cookies["sesame_pending"]
            let login = try await thief.get(client, "/login")
            let stolen = try await thief.post(client, "/login/two-factor", form: ["csrf_token": csrfToken(in: login.bodyText), "code": "open-sesame"])
            #expect(stolen.status == .seeOther && stolen.headers[.location] == "/login")
            #expect(thief.cookies["sesame_session"] == nil)
            #expect(try await answer(client, &alice, "open-sesame").headers[.location] == "/account")
            #expect(try await amr(alice, store) == ["pwd", "hwk", "mfa"])
        }
    }

    @Test func theTransactionEndsAfterFiveMinutes() async throws {
        try await withTwoStepServer { client, _, clock in
            var browser = Browser()
            _ = try await browser.signIn(client, "alice", "right-password")
            let page = try await browser.get(client, "/login/two-factor")
            clock.advance(SignInTransactions.lifetime + 1)
            let late = try await browser.post(client, "/login/two-factor", form: ["csrf_token": csrfToken(in: page.bodyText), "code": "open-sesame"])
            #expect(late.status == .seeOther && late.headers[.location] == "/login")
            #expect(browser.cookies["sesame_session"] == nil)
        }
    }

    /// On an https issuer the transaction's cookie is a `__Host-` cookie like the others, and only
    /// that name is read: the plain name, which a sibling subdomain could plant, resumes nothing.
    @Test func httpsIssuerKeepsTheTransactionInAHostCookie() async throws {
        try await withTwoStepServer(issuer: "https://login.example.com") { client, store, _ in
            var browser = Browser()
            let password = try await browser.signIn(client, "alice", "right-password")
            let cookie = try #require(password.headers[values: .setCookie].first { $0.hasPrefix("__Host-sesame_pending=") })
            let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            #expect(attributes.contains("secure") && attributes.contains("httponly") && attributes.contains("path=/"))
            #expect(attributes.contains("max-age=300") && !attributes.contains { $0.hasPrefix("domain=") })

            var planted = Browser()
            planted.cookies["__Host-sesame_csrf"] = browser.cookies["__Host-sesame_csrf"]
            planted.cookies["sesame_pending"] = browser.cookies["__Host-sesame_pending"]
            #expect(try await planted.get(client, "/login/two-factor").headers[.location] == "/login")
            #expect(try await answer(client, &browser, "open-sesame").headers[.location] == "/account")
            #expect(try await amr(browser, store, cookie: "__Host-sesame_session") == ["pwd", "hwk", "mfa"])
        }
    }

    /// Answers racing on one transaction give one session; replaying the finished one gives none.
    @Test func theTransactionIsSpentOnce() async throws {
        try await withTwoStepServer { client, store, _ in
            var browser = Browser()
            _ = try await browser.signIn(client, "alice", "right-password")
            let page = try await browser.get(client, "/login/two-factor")
            let form = ["csrf_token": csrfToken(in: page.bodyText), "code": "open-sesame"]
            let snapshot = browser
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<4 {  // under the five-answer lockout
                    group.addTask {
                        var racer = snapshot
                        return try await racer.post(client, "/login/two-factor", form: form).headers[.location]
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "/account" }.count == 1)
            #expect(outcomes.filter { $0 == "/login" }.count == 3)
            var replay = snapshot
            let again = try await replay.post(client, "/login/two-factor", form: form)
            #expect(again.headers[.location] == "/login" && replay.cookies["sesame_session"] == nil)
            let alice = try #require(try await store.user(username: "alice"))
            #expect(try await store.sessions(userID: alice.id).count == 1)
        }
    }
}
