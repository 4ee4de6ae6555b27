import Foundation

/// Why a sign-in was refused. Deliberately coarse: a person is never told which of username or
/// password was wrong, or that an account is disabled.
public struct SignInError: Error, Equatable, Sendable {
    public enum Code: Sendable, Equatable {
        case invalidCredentials
        case throttled
        /// The directory that keeps the person could not be reached; nothing else was asked (503).
        case directoryUnavailable
        /// The password was right but the directory refuses the account now (disabled, locked,
        /// expired, not at this time or from this workstation): `message` says which.
        case accountRefused
        /// The password was right but has expired or must change first: the server shows the
        /// change-password page for `directory`.
        case passwordChangeRequired
    }

    public let code: Code
    /// For `.throttled`: when the next attempt will be considered.
    public let retryAt: Date?
    /// The directory's configured name, for the directory codes.
    public var directory: String? = nil
    /// What the person reads, for the codes that may say more than "incorrect username or password".
    public var message: String? = nil

    public static let invalidCredentials = SignInError(code: .invalidCredentials, retryAt: nil)
    public static func throttled(until: Date) -> SignInError { SignInError(code: .throttled, retryAt: until) }

    public static func directoryUnavailable(_ directory: String) -> SignInError {
        SignInError(code: .directoryUnavailable, retryAt: nil, directory: directory, message: "The directory cannot be reached right now. Try again in a few minutes.")
    }

    public static func accountRefused(_ directory: String, message: String) -> SignInError {
        SignInError(code: .accountRefused, retryAt: nil, directory: directory, message: message)
    }

    public static func passwordChangeRequired(_ directory: String, message: String) -> SignInError {
        SignInError(code: .passwordChangeRequired, retryAt: nil, directory: directory, message: message)
    }
}
