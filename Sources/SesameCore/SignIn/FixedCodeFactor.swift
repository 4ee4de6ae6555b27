#if DEBUG
import Foundation

/// TEST ONLY: a second factor that accepts one code from configuration, for the people named
/// there. It exists to prove that a factor plugs in through configuration alone; it is compiled
/// into debug builds only, and `sesame serve` refuses it unless SESAME_TESTING=1.
public struct FixedCodeFactor: SecondFactor {
    public let name = "test"
    public let methods: [AMR] = [.pin]
    private let code: String
    private let usernames: Set<String>

    public init(code: String, usernames: [String]) {
        self.code = code
        self.usernames = Set(usernames.map { $0.lowercased() })
    }

    public func isEnrolled(for user: User) async throws -> Bool { usernames.contains(user.username.lowercased()) }

    public func challenge(for user: User) async throws -> SecondFactorChallenge {
        SecondFactorChallenge(factor: name, prompt: "the test code", inputMode: .text, oneTimeCode: false)
    }

    public func verify(_ answer: SecondFactorAnswer, for user: User, at now: Date) async throws -> SecondFactorVerdict? {
        ConstantTime.equals(answer.text, code) ? .accepted : .refused(.wrongAnswer)
    }
}
#endif
