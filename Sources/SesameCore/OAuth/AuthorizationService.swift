import SesameJOSE
import Crypto
import Foundation

/// What the authorization endpoint does next with a valid request.
public enum AuthorizeStep: Sendable, Equatable {
    /// Send the person to sign in (again), then back here.
    case signIn(forced: Bool)
    /// Send the person to sign in again with a second factor (enrolling first if need be).
    case secondFactor
    /// Ask the person to agree to these scopes.
    case consent(scopes: [String])
    /// Issue a code now.
    case issueCode
}

/// Decides sign-in and consent for an authorization request and issues codes.
public struct AuthorizationService: Sendable {
    private let codes: any AuthorizationCodeStore
    private let consents: any ConsentStore
    private let policy: SignInPolicy
    private let settings: TokenSettings
    private let clock: any WallClock
    private let random: any RandomSource

    public init(
        codes: any AuthorizationCodeStore, consents: any ConsentStore, settings: TokenSettings, twoFactor: TwoFactorService? = nil,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()
    ) {
        self.policy = SignInPolicy(twoFactor: twoFactor, clock: clock)
        self.codes = codes
        self.consents = consents
        self.settings = settings
        self.clock = clock
        self.random = random
    }

    /// `session` is the signed-in person and their session, if any. Signing in is the sign-in
    /// policy's to decide (the same one `/cas/login` asks); consent is OAuth's own.
    public func nextStep(for request: AuthorizationRequest, session: (user: User, session: SessionRecord)?) async throws -> AuthorizeStep {
        switch try await policy.decide(request.policyInput(session: session)) {
        case .signIn(let reason) where reason.asksSecondFactor:
            return .secondFactor
        case .signIn:
            return .signIn(forced: session != nil)
        case .silentFailure:
            throw OAuthError.loginRequired
        case .refuse:
            throw OAuthError.accessDenied("you do not have a role or group this application requires")
        case .proceed:
            break
        }
        guard let (user, _) = session else { return .signIn(forced: false) }
        if request.client.firstParty && !request.prompt.contains("consent") { return .issueCode }
        let granted = try await consents.consentedScopes(userID: user.id, clientID: request.client.id)
        let missing = request.scope.values.filter { !granted.contains($0) }
        if missing.isEmpty && !request.prompt.contains("consent") { return .issueCode }
        if request.prompt.contains("none") { throw OAuthError.consentRequired }
        return .consent(scopes: request.scope.values)
    }

    public func recordConsent(for request: AuthorizationRequest, user: User) async throws {
        let granted = try await consents.consentedScopes(userID: user.id, clientID: request.client.id)
        let all = granted + request.scope.values.filter { !granted.contains($0) }
        try await consents.saveConsent(userID: user.id, clientID: request.client.id, scopes: all, at: clock.now())
    }

    /// A fresh code: 256 random bits, stored only as a digest, valid once for `codeLifetime`.
    public func issueCode(for request: AuthorizationRequest, user: User, session: SessionRecord) async throws -> String {
        let code = random.token(byteCount: 32)
        let now = clock.now()
        try await codes.insert(AuthorizationCodeRecord(
            digest: TokenDigest.of(code), familyID: random.token(byteCount: 16), clientID: request.client.id, userID: user.id,
            redirectURI: request.redirectURIWasGiven ? request.redirectURI : "", scope: request.scope.description, nonce: request.nonce,
            codeChallenge: request.codeChallenge, sessionID: session.sid, authTime: session.authenticatedAt, authMethods: session.authMethods,
            createdAt: now, expiresAt: now.addingTimeInterval(settings.codeLifetime)
        ))
        return code
    }
}

extension AuthorizationRequest {
    /// What this request asks of the sign-in policy.
    func policyInput(session: (user: User, session: SessionRecord)?) -> SignInPolicyInput {
        var input = SignInPolicyInput(signedIn: session.map { .init(user: $0.user, session: $0.session) }, app: SignInPolicyApp(client: client))
        input.forceFreshSignIn = prompt.contains("login")
        // The server's marker says when this browser was sent to sign in for this client.
        if let after = authenticatedAfter, let session { input.justSignedIn = session.session.authenticatedAt >= after.addingTimeInterval(-1) }
        input.maxAge = maxAge
        input.hintedSubject = hintedSubject
        input.requestedLevel = requestedLevel
        input.silent = prompt.contains("none")
        return input
    }
}

extension SessionRecord {
    /// The OIDC session id (`sid`): derived from the stored digest, so it reveals nothing usable.
    public var sid: String {
        Base64URL.encode(Array(SHA256.hash(data: Array(("sid:" + idDigest).utf8))).prefix(16))
    }
}
