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
}

extension PrimaryAuthenticator {
    public func signedIn(_ user: User, with credentials: SignInCredentials) async throws {}
}

/// Stops the walk: these credentials are refused, for this reason.
public struct SignInFailure: Error, Equatable, Sendable {
    public let reason: SignInFailureReason

    public init(_ reason: SignInFailureReason) { self.reason = reason }

    public static let wrongPassword = SignInFailure(.wrongPassword)
}
