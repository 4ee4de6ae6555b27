import NIOCore

/// Cuts the inbound stream into whole LDAP messages, one ByteBuffer each (decode it with
/// `LDAPMessage(decoding:)`). A frame over the cap or with an indefinite length is an
/// `LDAPMessageError` sent down the pipeline: the stream cannot be resynchronised after it, so
/// ByteToMessageHandler reads nothing more and the client's handler closes the connection.
public struct LDAPFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxMessageSize: Int

    public init(maxMessageSize: Int = LDAPDecodingLimits.default.maxMessageSize) {
        self.maxMessageSize = maxMessageSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = try LDAPFrame.messageLength(in: buffer.readableBytesView, maxSize: maxMessageSize),
            let frame = buffer.readSlice(length: length)
        else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // Bytes of a message cut off by the close are dropped: there is nobody left to answer.
        return .needMoreData
    }
}

extension LDAPMessage {
    /// Decodes the readable bytes of one frame, as `LDAPFrameDecoder` emits them.
    public init(decoding buffer: ByteBuffer, limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        try self.init(decoding: Array(buffer.readableBytesView)[...], limits: limits)
    }
}
