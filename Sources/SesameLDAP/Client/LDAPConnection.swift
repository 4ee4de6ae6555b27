import NIOCore
import NIOPosix
import NIOSSL

/// One connection to one LDAP server. Requests may run concurrently (each gets the next message
/// ID; answers are matched by ID). A connection that fails in any way (time-out, TLS, protocol
/// violation, Notice of Disconnection, the server closing) is closed and never reused: every
/// later request fails with `.connectionClosed`.
public final class LDAPConnection: Sendable {
    public let url: LDAPURL
    public let settings: LDAPConnectionSettings
    let channel: any Channel
    private let state: LDAPConnectionState

    private init(url: LDAPURL, settings: LDAPConnectionSettings, channel: any Channel, state: LDAPConnectionState) {
        self.url = url
        self.settings = settings
        self.channel = channel
        self.state = state
    }

    /// The URL as text, for answers and logs.
    public var server: String { url.description }

    /// Whether requests may still be sent.
    public var isUsable: Bool { !state.isFailed && channel.isActive }

    /// Connects, and for `ldaps://` (or `ldap://` with `settings.startTLS`) finishes TLS with the
    /// certificate and host-name checks before returning. Nothing else is sent.
    public static func connect(
        to url: LDAPURL,
        settings: LDAPConnectionSettings = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(LDAPClientError) -> LDAPConnection {
        try await connect(to: url, settings: settings, tlsContext: nil, eventLoopGroup: eventLoopGroup)
    }

    /// `tlsContext`: one made from `settings.tls` already (a client makes it once: loading the
    /// trust roots for every user bind would cost more than the bind).
    static func connect(
        to url: LDAPURL,
        settings: LDAPConnectionSettings,
        tlsContext: NIOSSLContext?,
        eventLoopGroup: any EventLoopGroup
    ) async throws(LDAPClientError) -> LDAPConnection {
        let server = url.description
        let useTLS = url.scheme == .ldaps || settings.startTLS
        var upgrade: LDAPTLSUpgrade?
        if useTLS {
            let context: NIOSSLContext
            if let tlsContext { context = tlsContext } else { context = try settings.tls.makeContext() }
            upgrade = LDAPTLSUpgrade(context: context, host: url.host, verify: settings.tls.verify)
        }
        let eventLoop = eventLoopGroup.next()
        let state = LDAPConnectionState()
        let limits = LDAPDecodingLimits(maxMessageSize: settings.maxMessageBytes)
        let ldaps = url.scheme == .ldaps ? upgrade : nil
        let handshake = ldaps == nil ? nil : eventLoop.makePromise(of: LDAPResponse.self)
        let connectTimeout = settings.connectTimeout
        let maxEntries = settings.maxSearchEntries
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(settings.connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    let counter = LDAPByteCounter()
                    let handler = LDAPRequestHandler(counter: counter, state: state, maxEntries: maxEntries, limits: limits)
                    if let ldaps {
                        try pipeline.addHandler(NIOSSLClientHandler(context: ldaps.context, serverHostname: ldaps.serverNameIndication))
                    }
                    try pipeline.addHandler(counter)
                    try pipeline.addHandler(ByteToMessageHandler(LDAPFrameDecoder(maxMessageSize: limits.maxMessageSize)))
                    try pipeline.addHandler(handler)
                    if let ldaps, let handshake {
                        handler.expectHandshake(ldaps, promise: handshake, timeout: connectTimeout)
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            handshake?.fail(LDAPClientError.closed())
            if case ChannelError.connectTimeout = error {
                throw LDAPClientError(.connectFailed, "connecting took longer than its time-out", server: server)
            }
            throw LDAPClientError(.connectFailed, "cannot connect: \(error)", server: server)
        }
        let connection = LDAPConnection(url: url, settings: settings, channel: channel, state: state)
        do throws(LDAPClientError) {
            if let handshake {
                _ = try await connection.wait(for: handshake.futureResult)
            } else if let upgrade {
                _ = try await connection.send(.extendedRequest(name: LDAPOID.startTLS), gathering: .startTLS(upgrade))
            }
        } catch {
            await connection.close()
            throw error.at(server)
        }
        return connection
    }

    // MARK: sending

    /// Sends one request and waits for its final answer (or the operation time-out).
    func send(_ operation: LDAPOperation, controls: [LDAPControl] = [], gathering: LDAPRequest.Gathering) async throws(LDAPClientError) -> LDAPResponse {
        guard !state.isFailed else { throw LDAPClientError.closed().at(server) }
        let promise = channel.eventLoop.makePromise(of: LDAPResponse.self)
        let request = LDAPRequest(operation: operation, controls: controls, gathering: gathering, timeout: settings.operationTimeout, promise: promise)
        channel.writeAndFlush(request).whenFailure { error in
            promise.fail(error as? LDAPClientError ?? LDAPClientError.closed("the request could not be sent: \(error)"))
        }
        let state = self.state
        let channel = self.channel
        let outcome = await withTaskCancellationHandler { () async -> Result<LDAPResponse, LDAPClientError> in
            do throws(LDAPClientError) {
                return .success(try await wait(for: promise.futureResult))
            } catch {
                return .failure(error)
            }
        } onCancel: {
            // The answer may still come, so the connection cannot be trusted with another request.
            state.markFailed()
            promise.fail(LDAPClientError(.cancelled, "the operation was cancelled"))
            channel.close(promise: nil)
        }
        return try outcome.get()
    }

    private func wait(for future: EventLoopFuture<LDAPResponse>) async throws(LDAPClientError) -> LDAPResponse {
        do {
            return try await future.get()
        } catch let error as LDAPClientError {
            throw error.at(server)
        } catch {
            throw LDAPClientError.closed("\(error)").at(server)
        }
    }

    /// Sends a request answered by one message and returns that message.
    func single(_ operation: LDAPOperation, controls: [LDAPControl]) async throws(LDAPClientError) -> LDAPMessage {
        guard case .message(let message) = try await send(operation, controls: controls, gathering: .single) else {
            throw LDAPClientError.protocolViolation("no answer message").at(server)
        }
        return message
    }

    /// Closes without an unbind (after a failure, or when the server is gone).
    public func close() async {
        state.markFailed()
        try? await channel.close()
    }

    /// Sends an unbind (RFC 4511 §4.3) and closes the connection.
    public func unbind() async {
        if !state.isFailed {
            _ = try? await send(.unbindRequest, gathering: .none)
        }
        await close()
    }
}
