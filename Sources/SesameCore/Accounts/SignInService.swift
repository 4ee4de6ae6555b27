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
    /// An account locked for wrong second-step codes refuses passwords too, until the delay passes.
    public var secondFactorPolicy: LockoutPolicy = .secondFactor
    /// Where sign-ins, failures (with their reason) and lockouts are recorded.
    public var audit: AuditTrail?

    /// No account has a login longer than this (usernames are 64 characters, emails 254): a
    /// longer one is not even looked up.
    static let maxLoginBytes = 1024

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
        let user = login.isEmpty || login.utf8.count > Self.maxLoginBytes ? nil : try await users.user(login: login)
        // Unknown logins are throttled under their own name, so lockout does not tell them apart.
        let accountKey = user.map { ThrottleKey.account($0.id) } ?? ThrottleKey.login(login)
        let addressKey = clientAddress.map(ThrottleKey.address)

        // A throttled attempt costs no password hash, and is not counted.
        let now = clock.now()
        var until = try await retryAt(accountKey, policy: accountPolicy, now: now)
        if until == nil, let user { until = try await retryAt(ThrottleKey.secondFactor(user.id), policy: secondFactorPolicy, now: now) }
        if let until {
            await record("sign_in.locked_out", user: user, address: clientAddress, reason: "account")
            throw SignInError.throttled(until: until)
        }
        if let addressKey, let until = try await retryAt(addressKey, policy: addressPolicy, now: now) {
            await record("sign_in.locked_out", user: user, address: clientAddress, reason: "address")
            throw SignInError.throttled(until: until)
        }

        // The attempt is counted as a failure before the hash, in one statement each, so that
        // parallel attempts see each other: past the limit they are refused without a hash.
        let account = try await throttle.countAttempt(key: accountKey, at: now, forgetBefore: now.addingTimeInterval(-accountPolicy.forgetAfter))
        if let until = accountPolicy.retryAt(account.before, now: now) {
            try await throttle.uncountAttempt(key: accountKey)
            await record("sign_in.locked_out", user: user, address: clientAddress, reason: "account")
            throw SignInError.throttled(until: until)
        }
        if let addressKey {
            let address = try await throttle.countAttempt(key: addressKey, at: now, forgetBefore: now.addingTimeInterval(-addressPolicy.forgetAfter))
            if let until = addressPolicy.retryAt(address.before, now: now) {
                try await throttle.uncountAttempt(key: addressKey)
                try await throttle.uncountAttempt(key: accountKey)
                await record("sign_in.locked_out", user: user, address: clientAddress, reason: "address")
                throw SignInError.throttled(until: until)
            }
        }

        let hasher = self.hasher
        let verified: Bool
        if let stored = user?.passwordHash {
            verified = try await work.run { hasher.verify(password, against: stored) }
        } else {
            // Unknown logins cost one hash too, so timing does not tell them apart.
            try await work.run { hasher.verifyDummy(password) }
            verified = false
        }

        guard verified, let user, !user.disabled else {
            // Counted above; the delay runs from now, when the hash is done, as it always has.
            let end = clock.now()
            try await throttle.markFailure(key: accountKey, at: end)
            if let addressKey { try await throttle.markFailure(key: addressKey, at: end) }
            let reason = user == nil ? "unknown_user" : !verified ? "wrong_password" : "disabled"
            await record("sign_in.failed", user: user, address: clientAddress, reason: reason)
            throw SignInError.invalidCredentials
        }
        await record("sign_in.succeeded", user: user, address: clientAddress, reason: nil)

        try await throttle.reset(key: accountKey)
        // A success cannot reset an address (an attacker would sign in to their own account
        // between guesses), but it is no failure either.
        if let addressKey { try await throttle.uncountAttempt(key: addressKey) }
        if hasher.needsRehash(user.passwordHash) {
            let upgraded = try await work.run { try hasher.hash(password) }
            try await users.replacePasswordHash(userID: user.id, old: user.passwordHash, new: upgraded)
        }
        return user
    }

    /// What was typed as the login is never recorded: people type passwords into that field too.
    private func record(_ type: String, user: User?, address: String?, reason: String?) async {
        await audit?.record(type: type, actor: user?.id, subject: user?.id, clientAddress: address, detail: reason.map { "reason=\($0)" })
    }

    private func retryAt(_ key: String, policy: LockoutPolicy, now: Date) async throws -> Date? {
        policy.retryAt(try await throttle.failures(key: key), now: now)
    }
}
