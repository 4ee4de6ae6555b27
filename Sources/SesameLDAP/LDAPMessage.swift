import SwiftASN1

/// An LDAPMessage envelope (RFC 4511 §4.1.1): a message ID, one operation, optional controls.
public struct LDAPMessage: Sendable, Equatable {
    public var messageID: Int32
    public var operation: LDAPOperation
    public var controls: [LDAPControl]

    public init(messageID: Int32, operation: LDAPOperation, controls: [LDAPControl] = []) {
        self.messageID = messageID
        self.operation = operation
        self.controls = controls
    }

    /// The message's bytes (DER, which is BER every server reads).
    public func encode() -> [UInt8] {
        var coder = DER.Serializer()
        coder.writeConstructed(.sequence) { inner in
            inner.writeInteger(messageID)
            operation.write(into: &inner)
            if !controls.isEmpty {
                inner.writeConstructed(BERTag.context(0)) { list in
                    for control in controls { control.write(into: &list) }
                }
            }
        }
        return coder.serializedBytes
    }

    /// Decodes exactly one message: `bytes` must hold it whole and nothing after it (the frame
    /// decoder cuts them from the stream). Every failure is an `LDAPMessageError`.
    public init(decoding bytes: ArraySlice<UInt8>, limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        guard bytes.count <= limits.maxMessageSize else { throw .tooLarge("message of \(bytes.count) bytes") }
        let reader = BERReader(limits: limits)
        let root = try reader.parse(bytes)
        var fields = try reader.children(root, .sequence, "LDAPMessage")
        messageID = try reader.int32(fields.next("messageID"), "messageID")
        operation = try LDAPOperation.read(fields.next("protocolOp"), reader)
        controls = []
        if let list = fields.optional(BERTag.context(0)) {
            var items = try reader.children(list, BERTag.context(0), "Controls")
            while !items.isAtEnd { controls.append(try LDAPControl.read(items.next("Control"), reader)) }
        }
        try fields.end()
    }

    public init(decoding bytes: [UInt8], limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        try self.init(decoding: bytes[...], limits: limits)
    }
}
