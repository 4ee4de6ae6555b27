import Crypto
import Foundation

/// Single-use recovery codes, given at enrolment for a lost phone. Stored as HMACs under a key
/// derived from the data key, so the database alone cannot be used to guess them offline.
public struct RecoveryCodeFactor: SecondFactor {
    public static let factorName = "recovery_code"
    public var name: String { Self.factorName }
    /// RFC 8176 has no value for a printed code; the sign-in still counts as `mfa`.
    public let methods: [AMR] = []
    private let store: any TwoFactorStore
    private let key: SymmetricKey

    public init(store: any TwoFactorStore, dataKey: DataKey) {
        self.store = store
        self.key = dataKey.derived(for: "recovery-codes")
    }

    /// They come with the authenticator app and go with it.
    public func isEnrolled(for user: User) async throws -> Bool {
        try await store.twoFactor(userID: user.id)?.isEnabled ?? false
    }

    public func challenge(for user: User) async throws -> SecondFactorChallenge {
        SecondFactorChallenge(factor: name, prompt: "one of your recovery codes", inputMode: .text, oneTimeCode: false)
    }

    /// Any answer that is not six digits is taken for a recovery code.
    public func verify(_ answer: SecondFactorAnswer, for user: User, at now: Date) async throws -> SecondFactorVerdict? {
        if answer.isDigits(count: 6) { return nil }
        guard try await store.twoFactor(userID: user.id)?.isEnabled ?? false else { return .refused(.wrongRecoveryCode) }
        return try await store.consumeRecoveryCode(userID: user.id, digest: digest(answer.text, user)) ? .accepted : .refused(.wrongRecoveryCode)
    }

    /// Case, hyphens and white space do not matter: `ABCDE-fghij` is `abcdefghij`.
    func digest(_ code: String, _ user: User) -> String {
        var normalised = String.UnicodeScalarView()
        normalised.append(contentsOf: code.lowercased().unicodeScalars.filter { $0 != "-" && !$0.properties.isWhitespace })
        return HMAC<SHA256>.authenticationCode(for: Array("\(user.id):\(String(normalised))".utf8), using: key).hexString
    }
}
