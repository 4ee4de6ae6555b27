/// The password hash kept with the person in Sesame's own store.
public struct LocalPasswordAuthenticator: PrimaryAuthenticator {
    public static let name = "local"
    public var name: String { Self.name }

    private let users: any UserStore
    private let hasher: PasswordHasher
    private let work: any BlockingWork

    public init(users: any UserStore, hasher: PasswordHasher, work: any BlockingWork = InlineWork()) {
        self.users = users
        self.hasher = hasher
        self.work = work
    }

    public func authenticate(_ credentials: SignInCredentials, account: User?) async throws -> User? {
        let hasher = self.hasher
        guard let account, let stored = account.passwordHash else {
            // Not ours: an unknown login, or a person without a local password. It costs one hash
            // all the same, so timing does not tell these apart from a wrong password.
            try await work.run { hasher.verifyDummy(credentials.password) }
            return nil
        }
        guard try await work.run({ hasher.verify(credentials.password, against: stored) }) else {
            throw SignInFailure.wrongPassword
        }
        return account
    }

    /// The hash an unknown login costs.
    public func spendAsForUnknownLogin(_ credentials: SignInCredentials) async {
        let hasher = self.hasher
        _ = try? await work.run { hasher.verifyDummy(credentials.password) }
    }

    /// Imported (bcrypt, PBKDF2) or weaker scrypt hashes become current scrypt at the next sign-in.
    public func signedIn(_ user: User, with credentials: SignInCredentials) async throws {
        guard let stored = user.passwordHash, hasher.needsRehash(stored) else { return }
        let hasher = self.hasher
        let upgraded = try await work.run { try hasher.hash(credentials.password) }
        try await users.replacePasswordHash(userID: user.id, old: stored, new: upgraded)
    }
}
