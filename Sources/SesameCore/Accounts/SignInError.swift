import Foundation

/// Why a sign-in was refused. Deliberately coarse: a person is never told which of username or
/// password was wrong, or that an account is disabled.
public struct SignInError: Error, Equatable, Sendable {
    public enum Code: Sendable, Equatable {
        case invalidCredentials
        case throttled
    }

    public let code: Code
    /// For `.throttled`: when the next attempt will be considered.
    public let retryAt: Date?

    public static let invalidCredentials = SignInError(code: .invalidCredentials, retryAt: nil)
    public static func throttled(until: Date) -> SignInError { SignInError(code: .throttled, retryAt: until) }
}
