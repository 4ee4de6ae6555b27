/// Why an account operation was refused. The message is safe to show to the operator who asked.
public struct AccountError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case unknownUser, duplicateUsername, duplicateEmail, emptyPassword, invalidEmail, invalidUsername
        case invalidName, invalidPasswordHash, invalidImportLine, weakPassword
    }

    public let code: Code
    public let message: String

    public var description: String { message }

    public static func unknownUser(_ username: String) -> Self {
        .init(code: .unknownUser, message: "no user named '\(username)'")
    }
    public static func duplicateUsername(_ username: String) -> Self {
        .init(code: .duplicateUsername, message: "a user named '\(username)' already exists")
    }
    public static func duplicateEmail(_ email: String) -> Self {
        .init(code: .duplicateEmail, message: "another user already has the email '\(email)'")
    }
    public static let emptyPassword = Self(code: .emptyPassword, message: "the password is empty")
    public static let weakPassword = Self(code: .weakPassword, message: "the password must be 8 to 1024 characters long")
    public static func invalidEmail(_ email: String) -> Self {
        .init(code: .invalidEmail, message: "'\(email)' is not a valid email address")
    }
    public static func invalidUsername(_ username: String) -> Self {
        .init(
            code: .invalidUsername,
            message: "'\(username)' is not a valid username: use 1-64 letters, digits, '.', '_' or '-'"
        )
    }
    public static let invalidName = Self(code: .invalidName, message: "the name is longer than 200 characters or has control characters")
    public static let invalidPasswordHash = Self(code: .invalidPasswordHash, message: "the password hash is in no supported form")
    public static func invalidImportLine(_ line: Int, _ reason: String) -> Self {
        .init(code: .invalidImportLine, message: "line \(line): \(reason); nothing was imported")
    }
}
