/// A directory configuration refused, or one that does not exist; the message is safe to show the operator.
public struct DirectoryConfigurationError: Error, Equatable, Sendable, CustomStringConvertible, ManagementFailure {
    public let message: String
    public let kind: ManagementError.Kind
    /// The setting at fault, named as the admin API names it.
    public let field: String?

    public init(_ message: String, kind: ManagementError.Kind = .invalid, field: String? = nil) {
        self.message = message
        self.kind = kind
        self.field = field
    }

    public var description: String { message }
    public var management: ManagementError { ManagementError(kind, message, field: field) }

    public static func duplicate(_ name: String) -> Self { Self("a directory named '\(name)' already exists", kind: .conflict, field: "name") }
    public static func unknown(_ name: String) -> Self { Self("no directory is named '\(name)'", kind: .notFound) }
}
