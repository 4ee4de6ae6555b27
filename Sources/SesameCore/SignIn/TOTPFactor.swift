import Foundation

/// A code from an authenticator app (RFC 6238), one step of drift either way, each step once.
public struct TOTPFactor: SecondFactor {
    public static let factorName = "totp"
    public var name: String { Self.factorName }
    public static let amr: [AMR] = [.otp]
    public var methods: [AMR] { Self.amr }
    private let store: any TwoFactorStore
    private let sealer: KeySealer

    public init(store: any TwoFactorStore, sealer: KeySealer) {
        self.store = store
        self.sealer = sealer
    }

    /// The sealed secret is bound to its owner, so a row copied to another person opens nowhere.
    static func sealingContext(_ user: User) -> String { "totp:\(user.id)" }

    public func isEnrolled(for user: User) async throws -> Bool {
        try await store.twoFactor(userID: user.id)?.isEnabled ?? false
    }

    public func challenge(for user: User) async throws -> SecondFactorChallenge {
        SecondFactorChallenge(factor: name, prompt: "the 6-digit code from your authenticator app", inputMode: .numeric, oneTimeCode: true)
    }

    public func verify(_ answer: SecondFactorAnswer, for user: User, at now: Date) async throws -> SecondFactorVerdict? {
        guard answer.isDigits(count: 6) else { return nil }
        guard let record = try await store.twoFactor(userID: user.id), record.isEnabled, let sealed = record.sealedSecret else {
            return .refused(.wrongCode)
        }
        let otp = OneTimePassword(secret: try sealer.open(sealed, context: Self.sealingContext(user)))
        guard let step = otp.matchingStep(for: answer.text, at: now, after: record.lastUsedStep) else { return .refused(.wrongCode) }
        // The store refuses a step that is not newer, so two racing uses of one code cannot both pass.
        return try await store.useStep(userID: user.id, step: step) ? .accepted : .refused(.wrongCode)
    }
}
