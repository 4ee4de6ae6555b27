
/// What the sign-in policy is asked: who is signed in in this browser, which app the sign-in is
/// for, and what the request demands. `/authorize` and `/cas/login` each build one from their
/// own parameters; the policy does not know which protocol asked.
public struct SignInPolicyInput: Sendable, Equatable {
    /// The person signed in in this browser, with their session.
    public struct SignedIn: Sendable, Equatable {
        public var user: User
        public var session: SessionRecord

        public init(user: User, session: SessionRecord) {
            self.user = user
            self.session = session
        }
    }

    public var signedIn: SignedIn?
    public var app: SignInPolicyApp
    /// `prompt=login`, CAS `renew`: the sign-in must be one done for this request.
    public var forceFreshSignIn: Bool = false
    /// The session's sign-in is the one this browser was just sent to do for this app (the
    /// server's signed marker, issue 13): it satisfies the forced, `max_age` and hint checks.
    public var justSignedIn: Bool = false
    /// `max_age` in seconds.
    public var maxAge: Int?
    /// The `sub` of a valid `id_token_hint`.
    public var hintedSubject: String?
    /// `acr_values`: the highest level Sesame knows that the request asked for.
    public var requestedLevel: AssuranceLevel?
    /// `prompt=none`, CAS `gateway`: answer at once, never show a page.
    public var silent: Bool = false

    public init(signedIn: SignedIn?, app: SignInPolicyApp) {
        self.signedIn = signedIn
        self.app = app
    }
}

/// What the app a sign-in is for requires of the person, whether an OIDC client or a CAS service.
public struct SignInPolicyApp: Sendable, Equatable {
    /// Only people with one of these roles or in one of these groups may use it; both empty: anyone.
    public var requiredRoles: [String]
    public var requiredGroups: [String]
    /// Registered with `--require-2fa`.
    public var requiresSecondFactor: Bool

    public init(requiredRoles: [String] = [], requiredGroups: [String] = [], requiresSecondFactor: Bool = false) {
        self.requiredRoles = requiredRoles
        self.requiredGroups = requiredGroups
        self.requiresSecondFactor = requiresSecondFactor
    }

    public init(client: Client) {
        self.init(requiredRoles: client.requiredRoles, requiredGroups: client.requiredGroups, requiresSecondFactor: client.requireTwoFactor)
    }

    public init(casService: CASService) {
        self.init(
            requiredRoles: casService.requiredRoles, requiredGroups: casService.requiredGroups, requiresSecondFactor: casService.requireTwoFactor
        )
    }
}
