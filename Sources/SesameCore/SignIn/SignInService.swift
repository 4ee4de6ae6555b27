import Foundation

/// The first sign-in step: asks the configured primary authenticators in order who is signing in,
/// with brute-force throttling per account and per client address around them, and an audit event
/// for every outcome.
public struct SignInService: Sendable {
    private let users: any UserStore
    private let throttle: any ThrottleStore
    /// Asked in this order; the first to answer or to refuse decides.
    public let authenticators: [any PrimaryAuthenticator]
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
        users: any UserStore, throttle: any ThrottleStore, authenticators: [any PrimaryAuthenticator],
        clock: any WallClock = SystemClock(), accountPolicy: LockoutPolicy = .account, addressPolicy: LockoutPolicy = .clientAddress
    ) {
        self.users = users
        self.throttle = throttle
        self.authenticators = authenticators
        self.clock = clock
        self.accountPolicy = accountPolicy
        self.addressPolicy = addressPolicy
    }

    /// Local passwords only, the default configuration.
    public init(
        users: any UserStore, throttle: any ThrottleStore, hasher: PasswordHasher,
        work: any BlockingWork = InlineWork(), clock: any WallClock = SystemClock(),
        accountPolicy: LockoutPolicy = .account, addressPolicy: LockoutPolicy = .clientAddress
    ) {
        self.init(
            users: users, throttle: throttle, authenticators: [LocalPasswordAuthenticator(users: users, hasher: hasher, work: work)],
            clock: clock, accountPolicy: accountPolicy, addressPolicy: addressPolicy
        )
    }

    public func signIn(login: String, password: String, clientAddress: String?) async throws -> User {
        try await signInResult(login: login, password: password, clientAddress: clientAddress).user
    }

    /// `signIn` with the notice the page should show (a directory password about to expire).
    public func signInResult(login: String, password: String, clientAddress: String?) async throws -> SignInResult {
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
            await record(.lockedOut(.account), user: user, address: clientAddress)
            throw SignInError.throttled(until: until)
        }
        if let addressKey, let until = try await retryAt(addressKey, policy: addressPolicy, now: now) {
            await record(.lockedOut(.address), user: user, address: clientAddress)
            throw SignInError.throttled(until: until)
        }

        // The attempt is counted as a failure before the hash, in one statement each, so that
        // parallel attempts see each other: past the limit they are refused without a hash.
        let account = try await throttle.countAttempt(key: accountKey, at: now, forgetBefore: now.addingTimeInterval(-accountPolicy.forgetAfter))
        if let until = accountPolicy.retryAt(account.before, now: now) {
            try await throttle.uncountAttempt(key: accountKey)
            await record(.lockedOut(.account), user: user, address: clientAddress)
            throw SignInError.throttled(until: until)
        }
        if let addressKey {
            let address = try await throttle.countAttempt(key: addressKey, at: now, forgetBefore: now.addingTimeInterval(-addressPolicy.forgetAfter))
            if let until = addressPolicy.retryAt(address.before, now: now) {
                try await throttle.uncountAttempt(key: addressKey)
                try await throttle.uncountAttempt(key: accountKey)
                await record(.lockedOut(.address), user: user, address: clientAddress)
                throw SignInError.throttled(until: until)
            }
        }

        let credentials = SignInCredentials(login: login, password: password)
        let answer: (answer: PrimaryAnswer, by: any PrimaryAuthenticator)?
        do {
            answer = try await walk(credentials, account: user)
        } catch let failure as SignInFailure {
            if failure.shown?.code == .passwordChangeRequired {
                // The password was right: no failure of the person's, and the change page follows.
                try await throttle.uncountAttempt(key: accountKey)
                if let addressKey { try await throttle.uncountAttempt(key: addressKey) }
                await record(failure.detail.map { .failedWith(failure.reason, detail: $0) } ?? .failed(failure.reason), user: user, address: clientAddress)
                throw failure.shown ?? SignInError.invalidCredentials
            }
            try await refuse(
                failure.reason, user: user, accountKey: accountKey, addressKey: addressKey, address: clientAddress, detail: failure.detail,
                shown: failure.shown
            )
        } catch {
            // An authenticator that could not answer (a directory that is down) is no failure of the person's.
            try await throttle.uncountAttempt(key: accountKey)
            if let addressKey { try await throttle.uncountAttempt(key: addressKey) }
            if let unavailable = error as? SignInError, unavailable.code == .directoryUnavailable {
                await record(.failedWith(.directoryUnavailable, detail: "directory=\(unavailable.directory ?? "")"), user: user, address: clientAddress)
            }
            throw error
        }
        guard let answer else {
            try await refuse(user == nil ? .unknownUser : .noPassword, user: user, accountKey: accountKey, addressKey: addressKey, address: clientAddress)
        }
        guard !answer.answer.user.disabled else {
            try await refuse(.disabled, user: answer.answer.user, accountKey: accountKey, addressKey: addressKey, address: clientAddress)
        }
        let signedIn = answer.answer.user
        let outcome = answer.answer.auditDetail.map { SignInOutcome.succeededWith(by: answer.by.name, detail: $0) } ?? .succeeded(by: answer.by.name)
        await record(outcome, user: signedIn, address: clientAddress)

        try await throttle.reset(key: accountKey)
        // A success cannot reset an address (an attacker would sign in to their own account
        // between guesses), but it is no failure either.
        if let addressKey { try await throttle.uncountAttempt(key: addressKey) }
        try await answer.by.signedIn(signedIn, with: credentials)
        return SignInResult(user: signedIn, notice: answer.answer.notice)
    }

    /// The first authenticator that answers or refuses decides; nil when none claims the login.
    private func walk(_ credentials: SignInCredentials, account: User?) async throws -> (answer: PrimaryAnswer, by: any PrimaryAuthenticator)? {
        for (index, authenticator) in authenticators.enumerated() {
            do {
                if let answer = try await authenticator.answer(credentials, account: account) { return (answer, authenticator) }
            } catch let failure as SignInFailure {
                // The rest cost what they would for an unknown login, which walks them all.
                for later in authenticators.dropFirst(index + 1) { await later.spendAsForUnknownLogin(credentials) }
                throw failure
            }
        }
        return nil
    }

    /// Counted before the authenticators ran; the delay runs from now, when their work is done.
    private func refuse(
        _ reason: SignInFailureReason, user: User?, accountKey: String, addressKey: String?, address: String?, detail: String? = nil,
        shown: SignInError? = nil
    ) async throws -> Never {
        let end = clock.now()
        try await throttle.markFailure(key: accountKey, at: end)
        if let addressKey { try await throttle.markFailure(key: addressKey, at: end) }
        await record(detail.map { .failedWith(reason, detail: $0) } ?? .failed(reason), user: user, address: address)
        throw shown ?? SignInError.invalidCredentials
    }

    /// What was typed as the login is never recorded: people type passwords into that field too.
    private func record(_ outcome: SignInOutcome, user: User?, address: String?) async {
        await audit?.record(outcome.auditType, actor: user?.id, subject: user?.id, clientAddress: address, detail: outcome.auditDetail)
    }

    private func retryAt(_ key: String, policy: LockoutPolicy, now: Date) async throws -> Date? {
        policy.retryAt(try await throttle.failures(key: key), now: now)
    }
}

/// A finished first sign-in step.
public struct SignInResult: Sendable {
    public var user: User
    /// Shown on the next page (a directory password about to expire); nil mostly.
    public var notice: SignInNotice?
}
