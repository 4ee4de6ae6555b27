/// What the sign-in policy decided. Each protocol turns it into its own answer: `/authorize` into
/// a code, a sign-in page or an OAuth error; `/cas/login` into a ticket, a sign-in page, a return
/// without a ticket or a refusal page.
public enum SignInPolicyOutcome: Sendable, Equatable {
    /// The signed-in person and session may be used as they are.
    case proceed
    /// Send the person to sign in, for this reason; `reason.asksSecondFactor` says whether with a
    /// second factor, `.otherSubjectHinted` that the app expected someone else.
    case signIn(SignInPolicyReason)
    /// No sign-in can help: the person may not use this app.
    case refuse(SignInPolicyReason)
    /// A sign-in would be needed, but the request asked for no page (`prompt=none`, CAS `gateway`).
    case silentFailure(SignInPolicyReason)
}

/// The row of the policy table that decided, one per check, in the table's order.
public enum SignInPolicyReason: String, Sendable, CaseIterable {
    /// Nobody is signed in in this browser.
    case noSession = "no_session"
    /// `prompt=login` or CAS `renew`, and the session's sign-in was not done for this request.
    case freshSignInAsked = "fresh_sign_in_asked"
    /// The session signed in longer ago than `max_age`.
    case maxAgeExceeded = "max_age_exceeded"
    /// An `id_token_hint` names someone other than the signed-in person.
    case otherSubjectHinted = "other_subject_hinted"
    /// The app is open only to roles or groups the person has none of.
    case appRestricted = "app_restricted"
    /// A second factor is required by the person's account, a role of theirs, or the app.
    case secondFactorRequired = "second_factor_required"
    /// The request asked for `acr_values=2` and the session has one factor.
    case stepUpAsked = "step_up_asked"

    /// Whether the sign-in this asks for must include a second factor.
    public var asksSecondFactor: Bool { self == .secondFactorRequired || self == .stepUpAsked }
}
