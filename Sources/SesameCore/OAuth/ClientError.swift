/// Why a client or CAS service change was refused; the message is for the operator. `kind` says
/// how a door answers (the admin API: 422, 409 or 404), so nobody classifies by the message.
public struct ClientError: Error, Equatable, Sendable, CustomStringConvertible, ManagementFailure {
    public typealias Kind = ManagementError.Kind

    public let message: String
    public let kind: Kind
    /// The request field at fault, when one is.
    public let field: String?

    public init(_ message: String, kind: Kind = .invalid, field: String? = nil) {
        self.message = message
        self.kind = kind
        self.field = field
    }

    public var description: String { message }
    public var management: ManagementError { ManagementError(kind, message, field: field) }

    public static func unknownClient(_ name: String) -> Self { .init("no client named '\(name)'", kind: .notFound) }
    public static func duplicateName(_ name: String) -> Self { .init("a client named '\(name)' already exists", kind: .conflict, field: "name") }
    public static func unknownCASService(_ name: String) -> Self { .init("no CAS service named '\(name)'", kind: .notFound) }
    public static func duplicateCASService(_ name: String) -> Self {
        .init("a CAS service named '\(name)' already exists", kind: .conflict, field: "name")
    }
}
