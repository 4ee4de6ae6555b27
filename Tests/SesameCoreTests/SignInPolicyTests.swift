import Foundation
import SesameModels
import Testing

@testable import SesameCore

/// The sign-in policy's table alone, at exact instants: each row, the order of the rows, and
/// what the silent requests (`prompt=none`, CAS `gateway`) make of them.
@Suite struct SignInPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    let alice = User(id: "u-alice", username: "alice", email: nil, name: nil, passwordHash: "x", groups: ["staff"], createdAt: now, updatedAt: now)

    func session(signedInAgo: TimeInterval = 10, methods: [String] = ["pwd"]) -> SignInPolicyInput.SignedIn {
        let at = Self.now.addingTimeInterval(-signedInAgo)
        return .init(user: alice, session: SessionRecord(idDigest: "d", userID: alice.id, createdAt: at, lastSeenAt: at, authenticatedAt: at, authMethods: methods))
    }

    func decide(
        _ signedIn: SignInPolicyInput.SignedIn?, app: SignInPolicyApp = SignInPolicyApp(), personRequiresSecondFactor: Bool = false,
        _ edit: (inout SignInPolicyInput) -> Void = { _ in }
    ) -> SignInPolicyOutcome {
        var input = SignInPolicyInput(signedIn: signedIn, app: app)
        edit(&input)
        return SignInPolicy.evaluate(input, .init(now: Self.now, personRequiresSecondFactor: personRequiresSecondFactor))
    }

    @Test func aSignedInPersonWithNothingAskedProceeds() {
        #expect(decide(session()) == .proceed)
    }

    @Test func nobodySignedInIsAskedToSignIn() {
        #expect(decide(nil) == .signIn(.noSession))
        #expect(decide(nil) { $0.justSignedIn = true } == .signIn(.noSession), "a marker is no session")
    }

    @Test func aForcedFreshSignInIsMetOnlyByTheOneJustDone() {
        #expect(decide(session()) { $0.forceFreshSignIn = true } == .signIn(.freshSignInAsked))
        #expect(decide(session()) { $0.forceFreshSignIn = true; $0.justSignedIn = true } == .proceed)
    }

    @Test func maxAgeCountsFromTheSignInToTheSecond() {
        #expect(decide(session(signedInAgo: 60)) { $0.maxAge = 60 } == .proceed)
        #expect(decide(session(signedInAgo: 61)) { $0.maxAge = 60 } == .signIn(.maxAgeExceeded))
        #expect(decide(session(signedInAgo: 1)) { $0.maxAge = 0 } == .signIn(.maxAgeExceeded))
        #expect(decide(session(signedInAgo: 61)) { $0.maxAge = 60; $0.justSignedIn = true } == .proceed)
    }

    @Test func aHintForSomeoneElseAsksForASignIn() {
        #expect(decide(session()) { $0.hintedSubject = "u-alice" } == .proceed)
        #expect(decide(session()) { $0.hintedSubject = "u-bob" } == .signIn(.otherSubjectHinted))
        #expect(decide(session()) { $0.hintedSubject = "u-bob"; $0.justSignedIn = true } == .proceed, "whoever just signed in is the person")
    }

    @Test func anAppOpenToOthersRefusesEvenAfterAFreshSignIn() {
        let staffOnly = SignInPolicyApp(requiredGroups: ["STAFF"])
        let adminsOnly = SignInPolicyApp(requiredRoles: ["admin"])
        #expect(decide(session(), app: staffOnly) == .proceed, "groups compare without case")
        #expect(decide(session(), app: adminsOnly) == .refuse(.appRestricted))
        #expect(decide(session(), app: adminsOnly) { $0.justSignedIn = true } == .refuse(.appRestricted))
        #expect(decide(session(), app: adminsOnly) { $0.silent = true } == .refuse(.appRestricted), "silence does not turn a refusal into a sign-in")
    }

    @Test func aSecondFactorRequiredByThePersonOrTheAppAsksForOne() {
        #expect(decide(session(), personRequiresSecondFactor: true) == .signIn(.secondFactorRequired))
        #expect(decide(session(), app: SignInPolicyApp(requiresSecondFactor: true)) == .signIn(.secondFactorRequired))
        let strong = session(methods: ["pwd", "otp", "mfa"])
        #expect(decide(strong, app: SignInPolicyApp(requiresSecondFactor: true), personRequiresSecondFactor: true) == .proceed)
        #expect(SignInPolicyReason.secondFactorRequired.asksSecondFactor)
    }

    @Test func acrValuesTwoStepsUpAOneFactorSession() {
        #expect(decide(session()) { $0.requestedLevel = .singleFactor } == .proceed)
        #expect(decide(session()) { $0.requestedLevel = .twoFactor } == .signIn(.stepUpAsked))
        #expect(decide(session(methods: ["pwd", "mfa"])) { $0.requestedLevel = .twoFactor } == .proceed)
        #expect(SignInPolicyReason.stepUpAsked.asksSecondFactor)
        #expect(AssuranceLevel.requested(in: "urn:other 2 1") == .twoFactor)
        #expect(AssuranceLevel.requested(in: "urn:other") == nil, "unknown values are voluntary")
        #expect(AssuranceLevel(methods: ["pwd", "otp", "mfa"]) == .twoFactor && AssuranceLevel(methods: ["pwd"]) == .singleFactor)
        #expect(DiscoveryDocument.sesame(issuer: "https://sesame.test").acr_values_supported == AssuranceLevel.allCases.map(\.rawValue))
    }

    @Test func aSilentRequestFailsWhereASignInWouldBeAsked() {
        #expect(decide(nil) { $0.silent = true } == .silentFailure(.noSession))
        #expect(decide(session()) { $0.silent = true; $0.forceFreshSignIn = true } == .silentFailure(.freshSignInAsked))
        #expect(decide(session(signedInAgo: 100)) { $0.silent = true; $0.maxAge = 5 } == .silentFailure(.maxAgeExceeded))
        #expect(decide(session()) { $0.silent = true; $0.hintedSubject = "u-bob" } == .silentFailure(.otherSubjectHinted))
        #expect(decide(session(), personRequiresSecondFactor: true) { $0.silent = true } == .silentFailure(.secondFactorRequired))
        #expect(decide(session()) { $0.silent = true; $0.requestedLevel = .twoFactor } == .silentFailure(.stepUpAsked))
        #expect(decide(session()) { $0.silent = true } == .proceed)
    }

    /// The first row with an answer decides: a restricted app is refused before any second
    /// factor is asked for, and a stale session is sent to sign in before it is refused.
    @Test func theRowsAnswerInTheTablesOrder() {
        let adminsOnly = SignInPolicyApp(requiredRoles: ["admin"], requiresSecondFactor: true)
        #expect(decide(session(), app: adminsOnly) == .refuse(.appRestricted))
        #expect(decide(session(signedInAgo: 100), app: adminsOnly) { $0.maxAge = 5 } == .signIn(.maxAgeExceeded))
        #expect(decide(session(), app: SignInPolicyApp(requiresSecondFactor: true)) { $0.forceFreshSignIn = true } == .signIn(.freshSignInAsked))
        #expect(decide(session(), app: SignInPolicyApp(requiresSecondFactor: true)) { $0.requestedLevel = .twoFactor } == .signIn(.secondFactorRequired))
        #expect(SignInPolicy.checks.count == SignInPolicyReason.allCases.count, "one row per reason")
    }

    @Test func casRenewWinsOverGateway() {
        let service = CASService(id: "s", name: "app", pattern: "https://app.example/", requireTwoFactor: true, createdAt: Self.now)
        let plain = CASLoginRequest(parameters: ["service": "https://app.example/", "gateway": "true"])
        #expect(plain.policyInput(service: service, signedIn: nil, justSignedIn: false).silent)
        #expect(plain.policyInput(service: service, signedIn: nil, justSignedIn: false).app.requiresSecondFactor)
        let both = CASLoginRequest(parameters: ["service": "https://app.example/", "gateway": "1", "renew": "true"])
        let input = both.policyInput(service: service, signedIn: session(), justSignedIn: false)
        #expect(!input.silent && input.forceFreshSignIn)
        #expect(CASLoginRequest(parameters: ["service": ""]).serviceURL == nil)
        #expect(CASLoginRequest(parameters: ["method": "post"]).postsTicket)
    }
}
