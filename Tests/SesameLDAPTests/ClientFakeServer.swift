import NIOCore
import NIOPosix
import SesameLDAP
import Synchronization

/// A scripted LDAP "server" on loopback for what real servers will not do: inject bytes after
/// StartTLS, send a Notice of Disconnection, answer out of order or never. It records every byte
/// and message it receives, so tests can prove what the client did NOT send.
final class ClientFakeServer: Sendable {
    /// Lets a script answer (now or later) on the connection a message came on.
    struct Reply: Sendable {
        let channel: any Channel

        func send(_ bytes: [UInt8]) {
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        }

        func send(_ messages: LDAPMessage...) {
            send(messages.flatMap { $0.encode() })
        }

        func close() { channel.close(promise: nil) }
    }

    typealias Script = @Sendable (LDAPMessage, Reply) -> Void

    private let channel: any Channel
    private let received = Mutex<(bytes: Int, messages: [LDAPMessage], connections: Int)>((0, [], 0))

    var port: Int { channel.localAddress?.port ?? 0 }
    var url: LDAPURL { LDAPURL(scheme: .ldap, host: "127.0.0.1", port: port) }
    var receivedBytes: Int { received.withLock { $0.bytes } }
    var receivedMessages: [LDAPMessage] { received.withLock { $0.messages } }
    var connections: Int { received.withLock { $0.connections } }

    init(script: @escaping Script) async throws {
        let box = Box()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Recorder(server: box, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        box.server.withLock { $0 = self }
    }

    func shutdown() async {
        try? await channel.close()
    }

    fileprivate func record(bytes: Int) { received.withLock { $0.bytes += bytes } }
    fileprivate func record(_ message: LDAPMessage) { received.withLock { $0.messages.append(message) } }
    fileprivate func connected() { received.withLock { $0.connections += 1 } }

    fileprivate final class Box: Sendable {
        let server = Mutex<ClientFakeServer?>(nil)
        func with(_ body: (ClientFakeServer) -> Void) { if let server = server.withLock({ $0 }) { body(server) } }
    }

    /// Cuts messages out of the byte stream itself (with the library's frame-length function) so
    /// that it can count raw bytes too.
    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let server: Box
        let script: Script
        var buffer: [UInt8] = []

        init(server: Box, script: @escaping Script) {
            self.server = server
            self.script = script
        }

        func channelActive(context: ChannelHandlerContext) {
            server.with { $0.connected() }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).readableBytesView)
            server.with { $0.record(bytes: bytes.count) }
            buffer += bytes
            while let length = try? LDAPFrame.messageLength(in: buffer), length <= buffer.count {
                let frame = Array(buffer[..<length])
                buffer.removeFirst(length)
                guard let message = try? LDAPMessage(decoding: frame) else { continue }
                server.with { $0.record(message) }
                script(message, Reply(channel: context.channel))
            }
        }
    }
}

extension LDAPMessage {
    static func answer(_ id: Int32, _ operation: LDAPOperation, controls: [LDAPControl] = []) -> LDAPMessage {
        LDAPMessage(messageID: id, operation: operation, controls: controls)
    }
}
