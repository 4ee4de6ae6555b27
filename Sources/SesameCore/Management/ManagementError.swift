/// How a refused management operation is reported at every door: the admin API turns the kind
/// into 404, 409 or 422 in one place, the CLI prints the message.
public struct ManagementError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalid, conflict, notFound
    }

    public var kind: Kind
    /// Safe to show to the operator who asked.
    public var message: String
    /// The request field at fault, when there is one.
    public var field: String?

    public init(_ kind: Kind, _ message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    public var description: String { message }
}

/// An error of a management operation that says which `ManagementError` it is.
public protocol ManagementFailure: Error {
    var management: ManagementError { get }
}

extension ManagementError: ManagementFailure {
    public var management: ManagementError { self }
}

extension AccountError: ManagementFailure {
    public var management: ManagementError {
        switch code {
        case .unknownUser: ManagementError(.notFound, "the user does not exist")
        case .duplicateUsername: ManagementError(.conflict, message, field: "username")
        case .duplicateEmail: ManagementError(.conflict, message, field: "email")
        case .emptyPassword, .weakPassword: ManagementError(.invalid, message, field: "password")
        case .invalidEmail: ManagementError(.invalid, message, field: "email")
        case .invalidUsername: ManagementError(.invalid, message, field: "username")
        case .invalidName: ManagementError(.invalid, message, field: "name")
        case .invalidPasswordHash, .invalidImportLine: ManagementError(.invalid, message)
        }
    }
}

extension AccessError: ManagementFailure {
    public var management: ManagementError {
        switch self {
        case .invalidName(let what, _): ManagementError(.invalid, description, field: what == "permission" ? "permission" : "name")
        case .duplicateRole, .duplicateGroup: ManagementError(.conflict, description, field: "name")
        case .unknownRole: ManagementError(.notFound, "the role does not exist")
        case .unknownGroup: ManagementError(.notFound, "the group does not exist")
        case .unknownApp: ManagementError(.invalid, description, field: "app")
        }
    }
}
