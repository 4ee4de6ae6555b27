#if DEBUG
/// FOR TESTS ONLY: signs in one stored person with a fixed password that lives outside the store,
/// standing in for a directory or upstream provider to prove that the authenticator seam holds.
///
/// Compiled into debug builds only, and `PrimaryAuthenticators.make` refuses it unless the process
/// has `SESAME_TESTING=1`, so a deployed server cannot be configured with it.
public struct TestPasswordAuthenticator: PrimaryAuthenticator {
    public static let name = "test"
    public var name: String { Self.name }

    /// The login (username or email, compared ignoring case) it answers for.
    public let login: String
    let password: String

    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }

    public func authenticate(_ credentials: SignInCredentials, account: User?) async throws -> User? {
        guard let account, credentials.login.lowercased() == login.lowercased() else { return nil }
        guard ConstantTime.equals(credentials.password, password) else { throw SignInFailure.wrongPassword }
        return account
    }
}
#endif
