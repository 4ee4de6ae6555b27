import Foundation

/// One kind of second sign-in step (an authenticator app's code, a recovery code, later a passkey
/// or an SMS). `SecondFactors` asks the ones a person has enrolled, in order; counting attempts,
/// lockout and the audit stay there, so a factor only answers for itself.
public protocol SecondFactor: Sendable {
    /// The name configuration and the audit use for it (`totp`, `recovery_code`).
    var name: String { get }

    /// The RFC 8176 `amr` values a sign-in finished with this factor adds to the first step's
    /// (`mfa` is added for every second factor).
    var methods: [AMR] { get }

    func isEnrolled(for user: User) async throws -> Bool

    /// What the second step's page must show for this factor: a model, never HTML.
    func challenge(for user: User) async throws -> SecondFactorChallenge

    /// Checks an answer typed on the second step's page.
    /// - Returns: nil when the answer is not of this factor's form (the next factor is asked),
    ///   `.accepted`, or `.refused` with the reason the audit records. Single-use answers must be
    ///   spent here, atomically in the store.
    func verify(_ answer: SecondFactorAnswer, for user: User, at now: Date) async throws -> SecondFactorVerdict?
}

/// What typed an answer: the text with white space removed, compared on Unicode scalars.
public struct SecondFactorAnswer: Sendable, Equatable {
    /// Longer answers are no factor's: they are refused (and counted) without being checked.
    public static let limit = 128

    public let text: String

    public init?(_ typed: String) {
        guard typed.utf8.count <= Self.limit * 4 else { return nil }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: typed.unicodeScalars.filter { !$0.properties.isWhitespace })
        guard scalars.count <= Self.limit else { return nil }
        text = String(scalars)
    }

    /// Only the ASCII digits 0-9, `count` of them.
    public func isDigits(count: Int) -> Bool {
        text.unicodeScalars.count == count && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }
}

public enum SecondFactorVerdict: Sendable, Equatable {
    case accepted
    case refused(SecondFactorFailureReason)
}

/// Why a second-step answer was refused, as the `two_factor.failed` audit event says it.
public enum SecondFactorFailureReason: String, Sendable, Equatable {
    case wrongCode = "wrong_code"
    case wrongRecoveryCode = "wrong_recovery_code"
    /// No enrolled factor took the answer's form (or it was too long to be any).
    case wrongAnswer = "wrong_answer"
}

/// The page model of one factor's challenge. The second step shows the prompts of every enrolled
/// factor over one answer field; the first factor's field hints set the keyboard.
public struct SecondFactorChallenge: Sendable, Equatable {
    public enum InputMode: String, Sendable { case numeric, text }

    public var factor: String
    /// A phrase that completes "Enter …", e.g. "the 6-digit code from your authenticator app".
    public var prompt: String
    public var inputMode: InputMode
    /// Whether browsers may fill it from a one-time code they received (`autocomplete=one-time-code`).
    public var oneTimeCode: Bool

    public init(factor: String, prompt: String, inputMode: InputMode, oneTimeCode: Bool) {
        self.factor = factor
        self.prompt = prompt
        self.inputMode = inputMode
        self.oneTimeCode = oneTimeCode
    }
}
