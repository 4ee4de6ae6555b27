/// Why a client registration or change was refused; the message is for the operator.
public struct ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    public static func unknownClient(_ name: String) -> Self { .init("no client named '\(name)'") }
    public static func duplicateName(_ name: String) -> Self { .init("a client named '\(name)' already exists") }
}
