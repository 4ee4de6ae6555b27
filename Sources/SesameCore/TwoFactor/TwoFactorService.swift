import Foundation

/// Enrolment and policy for the built-in second factors: TOTP codes from an authenticator app,
/// and single-use recovery codes. Checking an answer is `SecondFactors`' work (these two first,
/// then any others configured).
public struct TwoFactorService: Sendable {
    private let store: any TwoFactorStore
    private let throttle: any ThrottleStore
    private let sealer: KeySealer
    private let recovery: RecoveryCodeFactor
    private let additionalFactors: [any SecondFactor]
    private let issuer: String
    private let clock: any WallClock
    private let random: any RandomSource
    /// Wrong codes count under their own key (`ThrottleKey.secondFactor`), which a right
    /// password does not reset.
    public var policy: LockoutPolicy
    /// Where wrong codes and the lockouts they cause are recorded.
    public var audit: AuditTrail?

    public static let recoveryCodeCount = 10
    /// An enrolment left half done expires.
    static let pendingLifetime: TimeInterval = 15 * 60

    /// - Parameter additionalFactors: second factors asked after TOTP and recovery codes.
    public init(
        store: any TwoFactorStore, throttle: any ThrottleStore, dataKey: DataKey, issuer: String,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom(), policy: LockoutPolicy = .secondFactor,
        additionalFactors: [any SecondFactor] = []
    ) {
        self.store = store
        self.throttle = throttle
        self.sealer = dataKey.sealer
        self.recovery = RecoveryCodeFactor(store: store, dataKey: dataKey)
        self.additionalFactors = additionalFactors
        self.issuer = issuer
        self.clock = clock
        self.random = random
        self.policy = policy
    }

    /// Every configured second factor, in the order the second step asks them.
    public var factors: SecondFactors {
        SecondFactors([TOTPFactor(store: store, sealer: sealer), recovery] + additionalFactors, throttle: throttle, clock: clock, policy: policy, audit: audit)
    }

    /// The `otpauth://` URI an authenticator app reads (the server draws it as a QR code).
    public struct Enrolment: Sendable {
        public let secret: String
        public let uri: String
    }

    /// Which of the built-in factors answered.
    public enum Outcome: Sendable, Equatable {
        case totp, recoveryCode, other(String)

        init(name: String) {
            switch name {
            case TOTPFactor.factorName: self = .totp
            case RecoveryCodeFactor.factorName: self = .recoveryCode
            default: self = .other(name)
            }
        }
    }

    /// Whether the authenticator app is set up (the account page's state).
    public func isEnabled(for user: User) async throws -> Bool {
        try await store.twoFactor(userID: user.id)?.isEnabled ?? false
    }

    /// Whether this person has any second factor the second step can ask.
    public func hasSecondFactor(for user: User) async throws -> Bool {
        try await !factors.enrolled(for: user).isEmpty
    }

    /// Whether this person must use a second factor: set for them, for one of their roles, or by
    /// the client they are signing in to.
    public func isRequired(for user: User, client: Client? = nil) async throws -> Bool {
        if client?.requireTwoFactor == true { return true }
        if try await store.twoFactor(userID: user.id)?.required == true { return true }
        let roles = try await store.rolesRequiringTwoFactor()
        return user.effectiveRoles.contains(where: roles.contains)
    }

    public func recoveryCodesLeft(for user: User) async throws -> Int {
        try await store.recoveryCodesLeft(userID: user.id)
    }

    /// A new 160-bit secret, kept sealed as pending until a code from it is typed.
    public func beginEnrolment(for user: User) async throws -> Enrolment {
        let secret = random.bytes(20)
        try await store.savePendingSecret(userID: user.id, sealed: try sealer.seal(secret, context: TOTPFactor.sealingContext(user)), at: clock.now())
        return Enrolment(secret: Base32.encode(secret), uri: OneTimePassword(secret: secret).provisioningURI(issuer: issuer, account: user.username))
    }

    /// Finishes enrolment with a current code; returns the recovery codes, shown only now.
    public func confirmEnrolment(for user: User, code: String) async throws -> [String]? {
        guard let record = try await store.twoFactor(userID: user.id), let sealed = record.pendingSealedSecret,
            let created = record.pendingCreatedAt, clock.now().timeIntervalSince(created) < Self.pendingLifetime
        else { return nil }
        let secret = try sealer.open(sealed, context: TOTPFactor.sealingContext(user))
        guard let step = OneTimePassword(secret: secret).matchingStep(for: code, at: clock.now(), after: nil) else { return nil }
        let codes = makeRecoveryCodes()
        try await store.enableTwoFactor(userID: user.id, sealedSecret: sealed, usedStep: step, recoveryDigests: codes.map { recovery.digest($0, user) }, at: clock.now())
        return codes
    }

    /// Checks an answer with every configured factor; see `SecondFactors.verify`.
    public func verify(_ input: String, for user: User, clientAddress: String? = nil) async throws -> Outcome {
        let factor = try await factors.verify(input, for: user, clientAddress: clientAddress)
        return Outcome(name: factor.name)
    }

    /// When this person may try a second-step code again, or nil when they may now.
    public func lockedUntil(for user: User) async throws -> Date? {
        try await factors.lockedUntil(for: user)
    }

    /// New recovery codes; the old ones stop working.
    public func regenerateRecoveryCodes(for user: User) async throws -> [String] {
        let codes = makeRecoveryCodes()
        try await store.replaceRecoveryCodes(userID: user.id, digests: codes.map { recovery.digest($0, user) })
        return codes
    }

    public func reset(for user: User) async throws {
        try await store.resetTwoFactor(userID: user.id)
    }

    /// Ten codes of ten base32 characters (50 bits each), written `abcde-fghij`.
    private func makeRecoveryCodes() -> [String] {
        (0..<Self.recoveryCodeCount).map { _ in
            let text = Base32.encode(random.bytes(7)).prefix(10).lowercased()
            return String(text.prefix(5)) + "-" + String(text.suffix(5))
        }
    }

}
