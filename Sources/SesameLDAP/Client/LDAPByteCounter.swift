import NIOCore

/// Counts the bytes that arrive before framing, so StartTLS can tell whether anything came after
/// the server's answer and sits buffered in the frame decoder (RFC 4513 §3.1.3: such bytes could
/// be a plaintext injection that would be read as if it came over TLS).
final class LDAPByteCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private(set) var total = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        total += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }
}
