import Crypto
import Foundation

/// Enrolment, verification and policy for the second factor: TOTP codes from an authenticator
/// app, or single-use recovery codes.
public struct TwoFactorService: Sendable {
    private let store: any TwoFactorStore
    private let throttle: any ThrottleStore
    private let sealer: KeySealer
    /// Recovery codes are stored as HMACs under this key, so the database alone cannot be used
    /// to guess them offline.
    private let recoveryKey: SymmetricKey
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

    public init(
        store: any TwoFactorStore, throttle: any ThrottleStore, dataKey: DataKey, issuer: String,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom(), policy: LockoutPolicy = .secondFactor
    ) {
        self.store = store
        self.throttle = throttle
        self.sealer = dataKey.sealer
        self.recoveryKey = dataKey.derived(for: "recovery-codes")
        self.issuer = issuer
        self.clock = clock
        self.random = random
        self.policy = policy
    }

    public struct Enrolment: Sendable {
        public let secret: String
        public let uri: String
        public let qrSVG: String
    }

    public enum Outcome: Sendable, Equatable {
        case totp, recoveryCode
        /// The `amr` values (RFC 8176) a sign-in with this second factor earns.
        public var authMethods: [String] {
            switch self {
            case .totp: ["pwd", "otp", "mfa"]
            case .recoveryCode: ["pwd", "mfa"]
            }
        }
    }

    public func isEnabled(for user: User) async throws -> Bool {
        try await store.twoFactor(userID: user.id)?.isEnabled ?? false
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
        try await store.savePendingSecret(userID: user.id, sealed: try sealer.seal(secret, context: context(user)), at: clock.now())
        let uri = OneTimePassword(secret: secret).provisioningURI(issuer: issuer, account: user.username)
        return Enrolment(secret: Base32.encode(secret), uri: uri, qrSVG: try QRCode(text: uri).svg)
    }

    /// Finishes enrolment with a current code; returns the recovery codes, shown only now.
    public func confirmEnrolment(for user: User, code: String) async throws -> [String]? {
        guard let record = try await store.twoFactor(userID: user.id), let sealed = record.pendingSealedSecret,
            let created = record.pendingCreatedAt, clock.now().timeIntervalSince(created) < Self.pendingLifetime
        else { return nil }
        let secret = try sealer.open(sealed, context: context(user))
        guard let step = OneTimePassword(secret: secret).matchingStep(for: code, at: clock.now(), after: nil) else { return nil }
        let codes = makeRecoveryCodes()
        try await store.enableTwoFactor(userID: user.id, sealedSecret: sealed, usedStep: step, recoveryDigests: codes.map { digest($0, user) }, at: clock.now())
        return codes
    }

    /// Checks a TOTP code or a recovery code. Each attempt is counted before it is checked, so
    /// parallel guesses cannot pass the limit; every wrong code is audited.
    public func verify(_ input: String, for user: User, clientAddress: String? = nil) async throws -> Outcome {
        let key = ThrottleKey.secondFactor(user.id)
        let now = clock.now()
        if let until = policy.retryAt(try await throttle.failures(key: key), now: now) {
            await record("two_factor.locked_out", user, clientAddress, "reason=throttled")
            throw SignInError.throttled(until: until)
        }
        let counted = try await throttle.countAttempt(key: key, at: now, forgetBefore: now.addingTimeInterval(-policy.forgetAfter))
        if let until = policy.retryAt(counted.before, now: now) {
            try await throttle.uncountAttempt(key: key)
            await record("two_factor.locked_out", user, clientAddress, "reason=throttled")
            throw SignInError.throttled(until: until)
        }
        if let outcome = try await check(input, for: user, now: now) {
            try await throttle.reset(key: key)
            return outcome
        }
        let kind = Self.looksLikeTOTP(input) ? "wrong_code" : "wrong_recovery_code"
        await record("two_factor.failed", user, clientAddress, "reason=\(kind) failures=\(counted.count.failures)")
        if policy.retryAt(counted.count, now: now) != nil {
            await record("two_factor.locked_out", user, clientAddress, "reason=failures failures=\(counted.count.failures)")
        }
        throw SignInError.invalidCredentials
    }

    /// When this person may try a second-step code again, or nil when they may now. A pending
    /// sign-in ends once this is set, so the password must be typed again after the delay.
    public func lockedUntil(for user: User) async throws -> Date? {
        policy.retryAt(try await throttle.failures(key: ThrottleKey.secondFactor(user.id)), now: clock.now())
    }

    private func record(_ type: String, _ user: User, _ address: String?, _ detail: String) async {
        await audit?.record(type: type, actor: user.id, subject: user.id, clientAddress: address, detail: detail)
    }

    private static func looksLikeTOTP(_ input: String) -> Bool {
        let digits = input.unicodeScalars.filter { !$0.properties.isWhitespace }
        return digits.count == 6 && digits.allSatisfy { ("0"..."9").contains($0) }
    }

    private func check(_ input: String, for user: User, now: Date) async throws -> Outcome? {
        guard let record = try await store.twoFactor(userID: user.id), record.isEnabled, let sealed = record.sealedSecret else { return nil }
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: input.unicodeScalars.filter { !$0.properties.isWhitespace })
        let typed = String(trimmed)
        if Self.looksLikeTOTP(typed) {
            let otp = OneTimePassword(secret: try sealer.open(sealed, context: context(user)))
            guard let step = otp.matchingStep(for: typed, at: now, after: record.lastUsedStep) else { return nil }
            // The store refuses a step that is not newer, so two racing uses of one code cannot both pass.
            return try await store.useStep(userID: user.id, step: step) ? .totp : nil
        }
        return try await store.consumeRecoveryCode(userID: user.id, digest: digest(typed, user)) ? .recoveryCode : nil
    }

    /// New recovery codes; the old ones stop working.
    public func regenerateRecoveryCodes(for user: User) async throws -> [String] {
        let codes = makeRecoveryCodes()
        try await store.replaceRecoveryCodes(userID: user.id, digests: codes.map { digest($0, user) })
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

    private func digest(_ code: String, _ user: User) -> String {
        let normalised = code.lowercased().filter { $0 != "-" && !$0.isWhitespace }
        return HMAC<SHA256>.authenticationCode(for: Array("\(user.id):\(normalised)".utf8), using: recoveryKey).hexString
    }

    private func context(_ user: User) -> String { "totp:\(user.id)" }
}
