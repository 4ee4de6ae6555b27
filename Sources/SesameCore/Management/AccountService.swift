import Foundation

/// The user operations that the CLI and the admin API both call: every input is checked here, so
/// the store sees only valid users, and each operation records one audit event with the same
/// detail whichever door it came through.
public struct AccountService: Sendable {
    private let users: any UserStore
    private let sessions: any SessionStore
    var sessionStore: any SessionStore { sessions }
    private let hasher: PasswordHasher
    let clock: any WallClock
    private let random: any RandomSource
    /// Where second-factor records live; the two-factor operations need it.
    public var twoFactor: (any TwoFactorStore)?
    /// Changes are recorded here, as done by `actor`.
    public var audit: AuditTrail?
    public var actor = ManagementActor.cli
    /// How sessions end here (with the server's listeners, when it runs); without one, the sessions
    /// still end through a `SessionTermination`, telling no app.
    public var termination: SessionTermination?
    /// Where passwords are hashed: inline for the CLI, on the server's hashing threads for the admin
    /// API (a hash is about 50 ms of CPU, too long for a thread that serves requests).
    public var work: any BlockingWork = InlineWork()

    public init(
        users: any UserStore, sessions: any SessionStore, hasher: PasswordHasher,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()
    ) {
        self.users = users
        self.sessions = sessions
        self.hasher = hasher
        self.clock = clock
        self.random = random
    }

    /// A nil `password` makes a person without a local password, whom another authenticator signs in.
    @discardableResult
    public func addUser(username: String, email: String?, name: String?, password: String?) async throws -> User {
        let hash: String?
        if let password { hash = try await hashed(AccountRules.validatePassword(password)) } else { hash = nil }
        let user = try makeUser(username: username, email: email, name: name, passwordHash: hash)
        try await users.insert(user)
        await record(.userCreated, user, changes: ["username": (nil, user.username), "email": (nil, user.email), "name": (nil, user.name)])
        return user
    }

    private func hashed(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await work.run { try hasher.hash(password) }
    }

    /// An audit event with before/after values of what changed; never a password or hash.
    func record(_ kind: AuditEventKind, _ user: User, changes: [String: (before: String?, after: String?)] = [:]) async {
        await audit?.record(kind, actor: actor.auditName, subject: user.id, detail: AuditEvent.changes(changes))
    }

    public func user(named username: String) async throws -> User {
        guard let user = try await users.user(username: username) else { throw AccountError.unknownUser(username) }
        return user
    }

    /// The outcome carries the apps' logout messages still on their way (a CLI waits for them).
    @discardableResult
    public func setPassword(username: String, password: String) async throws -> SessionTerminationOutcome {
        var user = try await user(named: username)
        user.passwordHash = try await hashed(AccountRules.validatePassword(password))
        user.updatedAt = clock.now()
        try await users.update(user)
        // A new password ends every session that the old one opened.
        await record(.userPasswordSet, user)
        return try await endSessions(of: user)
    }

    /// Disabling ends the user's sessions: the outcome is nil when enabling.
    @discardableResult
    public func setDisabled(username: String, _ disabled: Bool) async throws -> SessionTerminationOutcome? {
        var user = try await user(named: username)
        let before = user.disabled
        user.disabled = disabled
        user.updatedAt = clock.now()
        try await users.update(user)
        await record(disabled ? .userDisabled : .userEnabled, user, changes: ["disabled": (String(before), String(disabled))])
        return disabled ? try await endSessions(of: user) : nil
    }

    /// Changes the email and name (`.some(nil)` clears one, nil leaves it), audited as `user.updated`.
    @discardableResult
    public func updateUser(username: String, email: String??, name: String??) async throws -> User {
        let before = try await user(named: username)
        var user = before
        if let email { user.email = try email.map(AccountRules.validateEmail) }
        if let name { user.name = try name.map(AccountRules.validateName) }
        guard user != before else { return user }
        user.updatedAt = clock.now()
        try await users.update(user)
        await record(.userUpdated, user, changes: ["email": (before.email, user.email), "name": (before.name, user.name)])
        return user
    }

    /// Ends every session of the person (`sessions.revoked`); their apps are told.
    @discardableResult
    public func revokeSessions(username: String) async throws -> SessionTerminationOutcome {
        try await endSessions(of: try await user(named: username))
    }

    /// Every session of the user ends, audited once as `sessions.revoked` by `actor`.
    func endSessions(of user: User) async throws -> SessionTerminationOutcome {
        let termination = termination ?? SessionTermination(store: sessions, audit: audit)
        return try await termination.revokeAll(userID: user.id, actor: actor.auditName)
    }

    /// The person's sessions end first, so their apps are told: the store would drop them unseen.
    @discardableResult
    public func deleteUser(username: String) async throws -> SessionTerminationOutcome {
        let user = try await user(named: username)
        let outcome = try await endSessions(of: user)
        guard try await users.delete(userID: user.id) else { throw AccountError.unknownUser(username) }
        await record(.userDeleted, user, changes: ["username": (user.username, nil)])
        return outcome
    }

    /// Imports a users file all or nothing; returns the users created.
    public func importUsers(_ file: UsersFile) async throws -> [User] {
        var created: [User] = []
        for entry in file.entries {
            if try await users.user(username: entry.username) != nil {
                throw AccountError.invalidImportLine(entry.line, "a user named '\(entry.username)' already exists")
            }
            let hash: String
            switch entry.secret {
            case .plain(let password): hash = try await hashed(password)
            case .hash(let stored): hash = stored
            }
            var user = try makeUser(username: entry.username, email: nil, name: nil, passwordHash: hash)
            user.groups = entry.group.map { [$0] } ?? []
            user.roles = entry.roles
            created.append(user)
        }
        try await users.insert(all: created)
        for user in created {
            await record(.userImported, user, changes: [
                "username": (nil, user.username), "groups": (nil, user.groups.joined(separator: ",")), "roles": (nil, user.roles.joined(separator: ",")),
            ])
        }
        return created
    }

    /// A random password for `user add` without one: 18 bytes, 24 URL-safe characters.
    public func generatePassword() -> String {
        random.token(byteCount: 18)
    }

    private func makeUser(username: String, email: String?, name: String?, passwordHash: String?) throws -> User {
        let now = clock.now()
        return User(
            id: UUID(uuid: Self.uuidBytes(random.bytes(16))).uuidString.lowercased(),
            username: try AccountRules.validateUsername(username),
            email: try email.map(AccountRules.validateEmail),
            name: try name.map(AccountRules.validateName),
            passwordHash: passwordHash,
            createdAt: now, updatedAt: now
        )
    }

    /// Version 4 UUID layout from 16 random bytes.
    private static func uuidBytes(_ b: [UInt8]) -> uuid_t {
        (b[0], b[1], b[2], b[3], b[4], b[5], b[6] & 0x0f | 0x40, b[7], b[8] & 0x3f | 0x80, b[9], b[10], b[11], b[12], b[13], b[14], b[15])
    }
}
