import NIOCore

/// Writes LDAPMessages as bytes.
public struct LDAPMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = LDAPMessage

    public init() {}

    public func encode(data: LDAPMessage, out: inout ByteBuffer) throws {
        out.writeBytes(data.encode())
    }
}
