/// Why bytes from the wire are not an LDAP message this codec accepts. The one error type of the
/// wire layer (frames and messages); `detail` names the field and never echoes values.
public struct LDAPMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not the BER shape RFC 4511 defines (wrong tag, missing field, bad integer, ...).
        case malformed
        /// The bytes end inside an element.
        case truncated
        /// An indefinite length: RFC 4511 §5.1 allows only definite lengths.
        case indefiniteLength
        /// A message, string, or count over its cap.
        case tooLarge
        /// Elements nested deeper than the cap.
        case tooDeep
        /// A DN, attribute description, OID or URI that is not UTF-8.
        case invalidUTF8
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public static func malformed(_ detail: String) -> LDAPMessageError { .init(.malformed, detail) }
    public static func truncated(_ detail: String) -> LDAPMessageError { .init(.truncated, detail) }
    public static func tooLarge(_ detail: String) -> LDAPMessageError { .init(.tooLarge, detail) }
    public static func tooDeep(_ detail: String) -> LDAPMessageError { .init(.tooDeep, detail) }

    public var description: String { "LDAP message \(kind): \(detail)" }
}

/// Caps on what one decoded message may hold. The frame's size cap bounds bytes; these bound the
/// work and memory spent on them (each element costs far more in memory than its two wire bytes).
public struct LDAPDecodingLimits: Sendable, Equatable {
    /// Largest message, header included (the frame decoder enforces the same number).
    public var maxMessageSize: Int
    /// Deepest nesting of BER elements (swift-asn1 stops at 50 on its own).
    public var maxDepth: Int
    /// Most BER elements in one message.
    public var maxElements: Int
    /// Longest DN, attribute description, OID, URI or message text, in bytes.
    public var maxStringLength: Int

    public init(maxMessageSize: Int = 16 << 20, maxDepth: Int = 40, maxElements: Int = 500_000, maxStringLength: Int = 65_536) {
        self.maxMessageSize = maxMessageSize
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxStringLength = maxStringLength
    }

    public static let `default` = LDAPDecodingLimits()
}
