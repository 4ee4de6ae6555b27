import Foundation

/// The configured second factors, in order, and what every second step does whatever the factor:
/// each attempt is counted under the person's own key (`ThrottleKey.secondFactor`, which a right
/// password does not reset) before it is checked, so parallel guesses cannot pass the limit;
/// every refused answer is audited (`two_factor.failed`), and so is the lockout it causes.
public struct SecondFactors: Sendable {
    public let factors: [any SecondFactor]
    private let throttle: any ThrottleStore
    private let clock: any WallClock
    public var policy: LockoutPolicy
    public var audit: AuditTrail?

    public init(_ factors: [any SecondFactor], throttle: any ThrottleStore, clock: any WallClock = SystemClock(),
                policy: LockoutPolicy = .secondFactor, audit: AuditTrail? = nil) {
        self.factors = factors
        self.throttle = throttle
        self.clock = clock
        self.policy = policy
        self.audit = audit
    }

    /// The factors this person can answer with, in the configured order.
    public func enrolled(for user: User) async throws -> [any SecondFactor] {
        var enrolled: [any SecondFactor] = []
        for factor in factors {
            if try await factor.isEnrolled(for: user) { enrolled.append(factor) }
        }
        return enrolled
    }

    public func challenges(for user: User) async throws -> [SecondFactorChallenge] {
        var challenges: [SecondFactorChallenge] = []
        for factor in try await enrolled(for: user) { challenges.append(try await factor.challenge(for: user)) }
        return challenges
    }

    /// The factor that accepted `typed`; throws `SignInError.throttled` when locked (before or by
    /// this attempt's count) and `.invalidCredentials` for a refused answer.
    public func verify(_ typed: String, for user: User, clientAddress: String? = nil) async throws -> any SecondFactor {
        let key = ThrottleKey.secondFactor(user.id)
        let now = clock.now()
        if let until = policy.retryAt(try await throttle.failures(key: key), now: now) {
            await record(.twoFactorLockedOut, user, clientAddress, "reason=throttled")
            throw SignInError.throttled(until: until)
        }
        let counted = try await throttle.countAttempt(key: key, at: now, forgetBefore: now.addingTimeInterval(-policy.forgetAfter))
        if let until = policy.retryAt(counted.before, now: now) {
            try await throttle.uncountAttempt(key: key)
            await record(.twoFactorLockedOut, user, clientAddress, "reason=throttled")
            throw SignInError.throttled(until: until)
        }
        var reason = SecondFactorFailureReason.wrongAnswer
        var accepted: (any SecondFactor)?
        if let answer = SecondFactorAnswer(typed) {
            // The first factor that takes the answer's form decides.
            let candidates = try await enrolled(for: user)
            for index in candidates.indices {
                guard let verdict = try await candidates[index].verify(answer, for: user, at: now) else { continue }
                if case .refused(let why) = verdict { reason = why } else { accepted = candidates[index] }
                break
            }
        }
        if let accepted {
            try await throttle.reset(key: key)
            return accepted
        }
        await record(.twoFactorFailed, user, clientAddress, "reason=\(reason.rawValue) failures=\(counted.count.failures)")
        if policy.retryAt(counted.count, now: now) != nil {
            await record(.twoFactorLockedOut, user, clientAddress, "reason=failures failures=\(counted.count.failures)")
        }
        throw SignInError.invalidCredentials
    }

    /// When this person may answer again, or nil when they may now. A sign-in transaction ends
    /// once this is set, so the first step must be done again after the delay.
    public func lockedUntil(for user: User) async throws -> Date? {
        policy.retryAt(try await throttle.failures(key: ThrottleKey.secondFactor(user.id)), now: clock.now())
    }

    /// The `amr` of a sign-in whose first step recorded `first` and whose second step's factor
    /// contributes `added`: both, then `mfa`, each once.
    public static func methods(after first: [String], adding added: [AMR]) -> [String] {
        var methods = first
        for method in added + [.mfa] where !methods.contains(method.rawValue) { methods.append(method.rawValue) }
        return methods
    }

    private func record(_ type: AuditEventKind, _ user: User, _ address: String?, _ detail: String) async {
        await audit?.record(type, actor: user.id, subject: user.id, clientAddress: address, detail: detail)
    }
}
