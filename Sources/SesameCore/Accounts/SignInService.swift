import Foundation

/// Checks a username (or email) and password, with brute-force throttling per account and per
/// client address, and upgrades old password hashes to scrypt on success.
public struct SignInService: Sendable {
    private let users: any UserStore
    private let throttle: any ThrottleStore
    private let hasher: PasswordHasher
    private let work: any BlockingWork
    private let clock: any WallClock
    public var accountPolicy: LockoutPolicy
    public var addressPolicy: LockoutPolicy
    /// Where sign-ins, failures (with their reason) and lockouts are recorded.
    public var audit: AuditTrail?

    public init(
        users: any UserStore, throttle: any ThrottleStore, hasher: PasswordHasher,
        work: any BlockingWork = InlineWork(), clock: any WallClock = SystemClock(),
        accountPolicy: LockoutPolicy = .account, addressPolicy: LockoutPolicy = .clientAddress
    ) {
        self.users = users
        self.throttle = throttle
        self.hasher = hasher
        self.work = work
        self.clock = clock
        self.accountPolicy = accountPolicy
        self.addressPolicy = addressPolicy
    }

    public func signIn(login: String, password: String, clientAddress: String?) async throws -> User {
        let login = login.trimmingCharacters(in: .whitespaces)
        let user = login.isEmpty ? nil : try await users.user(login: login)
        // Unknown logins are throttled under their own name, so lockout does not tell them apart.
        let accountKey = user.map { "account:\($0.id)" } ?? "login:\(login.lowercased())"
        let addressKey = clientAddress.map { "address:\($0)" }

        // A throttled attempt costs no password hash.
        let now = clock.now()
        if let until = try await retryAt(accountKey, policy: accountPolicy, now: now) {
            await record("sign_in.locked_out", user: user, login: login, address: clientAddress, reason: "account")
            throw SignInError.throttled(until: until)
        }
        if let addressKey, let until = try await retryAt(addressKey, policy: addressPolicy, now: now) {
            await record("sign_in.locked_out", user: user, login: login, address: clientAddress, reason: "address")
            throw SignInError.throttled(until: until)
        }

        let hasher = self.hasher
        let verified: Bool
        if let stored = user?.passwordHash {
            verified = try await work.run { hasher.verify(password, against: stored) }
        } else {
            try await work.run { hasher.verifyDummy(password) }
            verified = false
        }

        guard verified, let user, !user.disabled else {
            let at = clock.now()
            try await throttle.recordFailure(key: accountKey, at: at, forgetBefore: at.addingTimeInterval(-accountPolicy.forgetAfter))
            if let addressKey {
                try await throttle.recordFailure(key: addressKey, at: at, forgetBefore: at.addingTimeInterval(-addressPolicy.forgetAfter))
            }
            let reason = user == nil ? "unknown_user" : !verified ? "wrong_password" : "disabled"
            await record("sign_in.failed", user: user, login: login, address: clientAddress, reason: reason)
            throw SignInError.invalidCredentials
        }
        await record("sign_in.succeeded", user: user, login: login, address: clientAddress, reason: nil)

        try await throttle.reset(key: accountKey)
        if hasher.needsRehash(user.passwordHash) {
            let upgraded = try await work.run { try hasher.hash(password) }
            try await users.replacePasswordHash(userID: user.id, old: user.passwordHash, new: upgraded)
        }
        return user
    }

    /// What was typed as the login is never recorded: people type passwords into that field too.
    private func record(_ type: String, user: User?, login: String, address: String?, reason: String?) async {
        await audit?.record(type: type, actor: user?.id, subject: user?.id, clientAddress: address, detail: reason.map { "reason=\($0)" })
    }

    private func retryAt(_ key: String, policy: LockoutPolicy, now: Date) async throws -> Date? {
        policy.retryAt(try await throttle.failures(key: key), now: now)
    }
}
