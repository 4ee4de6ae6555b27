import Foundation

/// The one sign-in policy that `/authorize` and `/cas/login` both ask: may the signed-in session
/// be used for this app and request, or must the person sign in (again, or with a second
/// factor), or may they not use the app at all.
///
/// It reads as one table of small checks in order, as node-oidc-provider's authorization checks
/// do: the first one with an answer decides; a request that wants no page turns a sign-in into a
/// silent failure. Adding a check is adding a row (and a `SignInPolicyReason`).
public struct SignInPolicy: Sendable {
    private let twoFactor: TwoFactorService?
    private let clock: any WallClock

    /// `twoFactor` answers whether the person's account or a role of theirs requires a second
    /// factor; without it only the app and `acr_values` can ask for one.
    public init(twoFactor: TwoFactorService?, clock: any WallClock = SystemClock()) {
        self.twoFactor = twoFactor
        self.clock = clock
    }

    public func decide(_ input: SignInPolicyInput) async throws -> SignInPolicyOutcome {
        var facts = Facts(now: clock.now())
        // Only a one-factor session can be asked for more, so only then is the store asked.
        if let signedIn = input.signedIn, !signedIn.session.isMultiFactor, let twoFactor {
            facts.personRequiresSecondFactor = try await twoFactor.isRequired(for: signedIn.user)
        }
        return Self.evaluate(input, facts)
    }

    /// What the checks need beyond the input, found out by `decide`.
    public struct Facts: Sendable {
        public var now: Date
        /// The person's account, or one of their roles, requires a second factor.
        public var personRequiresSecondFactor: Bool

        public init(now: Date, personRequiresSecondFactor: Bool = false) {
            self.now = now
            self.personRequiresSecondFactor = personRequiresSecondFactor
        }
    }

    typealias Check = @Sendable (SignInPolicyInput, Facts) -> SignInPolicyOutcome?

    /// The table, in order. Every check after the first may assume someone is signed in.
    static let checks: [Check] = [
        noSession, freshSignInAsked, maxAgeExceeded, otherSubjectHinted, appRestricted, secondFactorRequired, stepUpAsked,
    ]

    /// The table alone, without the store: pure, so each row is tested at exact instants.
    public static func evaluate(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome {
        for check in checks {
            if let outcome = check(input, facts) { return silentOutcome(outcome, input) }
        }
        return .proceed
    }

    static func noSession(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        input.signedIn == nil ? .signIn(.noSession) : nil
    }

    static func freshSignInAsked(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        input.forceFreshSignIn && !input.justSignedIn ? .signIn(.freshSignInAsked) : nil
    }

    static func maxAgeExceeded(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        guard let maxAge = input.maxAge, let signedIn = input.signedIn, !input.justSignedIn else { return nil }
        return facts.now.timeIntervalSince(signedIn.session.authenticatedAt) > Double(maxAge) ? .signIn(.maxAgeExceeded) : nil
    }

    /// After a sign-in done for this request the person is whoever signed in, hint or not.
    static func otherSubjectHinted(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        guard let hinted = input.hintedSubject, let signedIn = input.signedIn, !input.justSignedIn else { return nil }
        return hinted != signedIn.user.id ? .signIn(.otherSubjectHinted) : nil
    }

    static func appRestricted(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        guard let signedIn = input.signedIn else { return nil }
        return signedIn.user.meets(requiredRoles: input.app.requiredRoles, requiredGroups: input.app.requiredGroups) ? nil : .refuse(.appRestricted)
    }

    static func secondFactorRequired(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        guard let signedIn = input.signedIn, !signedIn.session.isMultiFactor else { return nil }
        return input.app.requiresSecondFactor || facts.personRequiresSecondFactor ? .signIn(.secondFactorRequired) : nil
    }

    static func stepUpAsked(_ input: SignInPolicyInput, _ facts: Facts) -> SignInPolicyOutcome? {
        guard let asked = input.requestedLevel, let signedIn = input.signedIn else { return nil }
        return AssuranceLevel(methods: signedIn.session.authMethods) < asked ? .signIn(.stepUpAsked) : nil
    }

    /// `prompt=none` and CAS `gateway`: whatever sign-in was needed becomes a silent failure; a
    /// refusal stays one, since signing in would not help.
    static func silentOutcome(_ outcome: SignInPolicyOutcome, _ input: SignInPolicyInput) -> SignInPolicyOutcome {
        guard input.silent, case .signIn(let reason) = outcome else { return outcome }
        return .silentFailure(reason)
    }
}
