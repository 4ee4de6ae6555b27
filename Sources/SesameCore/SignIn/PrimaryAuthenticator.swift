/// What a person typed on the sign-in form.
public struct SignInCredentials: Sendable {
    /// Trimmed of surrounding spaces; a username or an email address.
    public var login: String
    public var password: String

    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }
}

/// One way of telling who is signing in from their credentials (the local password, later a
/// directory or an upstream provider). `SignInService` asks each configured one in order.
///
/// As hummingbird-auth's authenticators do: return nil to pass to the next one, throw
/// `SignInFailure` to stop, return the person to finish. Throttling, lockout and the audit stay
/// in the service, so an authenticator only answers the question.
public protocol PrimaryAuthenticator: Sendable {
    /// The name configuration uses for it (`authenticators: [local]`).
    var name: String { get }

    /// - Parameter account: the stored person whose username or email is the login, if any (the
    ///   service has already looked it up to throttle the attempt).
    /// - Returns: the person these credentials prove, or nil when they are not this
    ///   authenticator's to judge.
    func authenticate(_ credentials: SignInCredentials, account: User?) async throws -> User?

    /// Called on the authenticator that answered, once the whole sign-in has succeeded.
    func signedIn(_ user: User, with credentials: SignInCredentials) async throws

    /// `authenticate` with what the audit and the page should also know (the directory and server
    /// that answered, a password-expiry warning). `SignInService` asks this one.
    func answer(_ credentials: SignInCredentials, account: User?) async throws -> PrimaryAnswer?

    /// Asked instead of `answer` when an earlier authenticator refused: it does the work an
    /// unknown login would cost here (a dummy hash, a search and a bind), so a refusal and an
    /// unknown login take the same time whatever the order. Errors are ignored.
    func spendAsForUnknownLogin(_ credentials: SignInCredentials) async
}

extension PrimaryAuthenticator {
    public func signedIn(_ user: User, with credentials: SignInCredentials) async throws {}

    public func spendAsForUnknownLogin(_ credentials: SignInCredentials) async {}

    public func answer(_ credentials: SignInCredentials, account: User?) async throws -> PrimaryAnswer? {
        try await authenticate(credentials, account: account).map { PrimaryAnswer(user: $0) }
    }
}

/// Who the credentials prove, and what comes with it.
public struct PrimaryAnswer: Sendable {
    public var user: User
    /// Added to the `sign_in.succeeded` audit detail (`directory=corp server=ldaps://dc1:636`).
    public var auditDetail: String?
    /// Something the person should read after signing in.
    public var notice: SignInNotice?

    public init(user: User, auditDetail: String? = nil, notice: SignInNotice? = nil) {
        self.user = user
        self.auditDetail = auditDetail
        self.notice = notice
    }
}

/// A warning that does not stop the sign-in (the directory's password policy): the page shows `message`.
public struct SignInNotice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case passwordExpiresSoon(seconds: Int)
        case graceLoginsLeft(Int)
    }

    public var kind: Kind
    public var message: String
    /// The directory whose password it is, for a link to the change-password page.
    public var directory: String?

    public init(kind: Kind, message: String, directory: String? = nil) {
        self.kind = kind
        self.message = message
        self.directory = directory
    }
}

/// Stops the walk: these credentials are refused, for this reason.
public struct SignInFailure: Error, Equatable, Sendable {
    public let reason: SignInFailureReason
    /// Added to the audit detail after the reason (`directory=corp server=ldaps://dc1 code=775`).
    public var detail: String?
    /// What the person is told instead of the generic "incorrect username or password", once the
    /// directory has said the password was right (or says the same to everyone, as for a lock).
    public var shown: SignInError?

    public init(_ reason: SignInFailureReason, detail: String? = nil, shown: SignInError? = nil) {
        self.reason = reason
        self.detail = detail
        self.shown = shown
    }

    public static let wrongPassword = SignInFailure(.wrongPassword)
}
