import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// Shared between a connection and its handler: whether the connection may still be used. Once a
/// connection fails (time-out, protocol violation, notice of disconnection) it is never reused.
final class LDAPConnectionState: Sendable {
    private let failed = Atomic<Bool>(false)

    var isFailed: Bool { failed.load(ordering: .acquiring) }
    func markFailed() { failed.store(true, ordering: .releasing) }
}

/// Correlates responses with requests by message ID, gathers search entries until
/// searchResultDone, times operations out, and upgrades to TLS for StartTLS. Runs on the event
/// loop only. Any failure fails every pending request and closes the channel.
final class LDAPRequestHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = LDAPRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var gathering: LDAPRequest.Gathering
        var promise: EventLoopPromise<LDAPResponse>
        var timeout: Scheduled<Void>?
        var entries: [LDAPSearchEntry] = []
        var references: [[String]] = []
    }

    /// A TLS handshake under way: LDAPS from the start, or StartTLS after its answer.
    private struct Handshake {
        /// The StartTLS request's message ID (its time-out covers the handshake); 0 for LDAPS.
        var id: Int32
        var upgrade: LDAPTLSUpgrade
        var promise: EventLoopPromise<LDAPResponse>
        var timeout: Scheduled<Void>?
    }

    private let counter: LDAPByteCounter
    private let state: LDAPConnectionState
    private let maxEntries: Int
    private let limits: LDAPDecodingLimits
    private var nextMessageID: Int32 = 1
    private var pending: [Int32: Pending] = [:]
    private var handshake: Handshake?
    private var failure: LDAPClientError?
    private var consumedBytes = 0
    private var context: ChannelHandlerContext?

    init(counter: LDAPByteCounter, state: LDAPConnectionState, maxEntries: Int, limits: LDAPDecodingLimits) {
        self.counter = counter
        self.state = state
        self.maxEntries = maxEntries
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// LDAPS: the TLS handler is already in the pipeline; this waits for its handshake.
    func expectHandshake(_ upgrade: LDAPTLSUpgrade, promise: EventLoopPromise<LDAPResponse>, timeout: Duration) {
        handshake = Handshake(id: 0, upgrade: upgrade, promise: promise, timeout: scheduleTimeout(id: 0, after: timeout, what: "the TLS handshake"))
    }

    // MARK: sending

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        guard nextMessageID < Int32.max else {
            let error = LDAPClientError.closed("the connection has used every message ID")
            request.promise.fail(error)
            promise?.fail(error)
            fail(error, context: context)
            return
        }
        let id = nextMessageID
        nextMessageID += 1
        let message = LDAPMessage(messageID: id, operation: request.operation, controls: request.controls)
        let bytes = message.encode()
        if case .none = request.gathering {
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in
                switch result {
                case .success: request.promise.succeed(.done)
                case .failure: request.promise.fail(LDAPClientError.closed())
                }
            }
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: written)
            promise?.succeed()
            return
        }
        pending[id] = Pending(
            gathering: request.gathering, promise: request.promise,
            timeout: scheduleTimeout(id: id, after: request.timeout, what: "the operation"))
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
    }

    private func scheduleTimeout(id: Int32, after duration: Duration, what: String) -> Scheduled<Void>? {
        guard let context else { return nil }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        return context.eventLoop.scheduleTask(in: .nanoseconds(duration.nanoseconds)) {
            bound.value.timedOut(id: id, what: what)
        }
    }

    private func timedOut(id: Int32, what: String) {
        guard let context else { return }
        guard (handshake?.id == id) || pending[id] != nil else { return }
        // Marked before the caller wakes up, so that it never sees this connection as usable.
        state.markFailed()
        if let handshake, handshake.id == id {
            self.handshake = nil
            handshake.promise.fail(LDAPClientError.timedOut(what))
        } else if let request = pending.removeValue(forKey: id) {
            request.promise.fail(LDAPClientError.timedOut(what))
        }
        fail(.closed("closed after a time-out on this connection"), context: context)
    }

    // MARK: receiving

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        consumedBytes += frame.readableBytes
        guard handshake == nil else {
            return fail(.protocolViolation("an LDAP message arrived during the TLS handshake"), context: context)
        }
        let message: LDAPMessage
        do {
            message = try LDAPMessage(decoding: frame, limits: limits)
        } catch {
            return fail(.protocolViolation("the server sent a message that cannot be read: \(error)"), context: context)
        }
        if message.messageID == 0 {
            return unsolicited(message, context: context)
        }
        guard var request = pending[message.messageID] else {
            return fail(.protocolViolation("the server answered message \(message.messageID), which is not pending"), context: context)
        }
        switch request.gathering {
        case .single:
            finish(message.messageID, with: .message(message))
        case .none:
            finish(message.messageID, with: .message(message))
        case .search:
            switch message.operation {
            case .searchResultEntry(let entry):
                guard request.entries.count + request.references.count < maxEntries else {
                    return fail(.protocolViolation("the search returned more than \(maxEntries) entries"), context: context)
                }
                request.entries.append(entry)
                pending[message.messageID] = request
            case .searchResultReference(let urls):
                guard request.entries.count + request.references.count < maxEntries else {
                    return fail(.protocolViolation("the search returned more than \(maxEntries) entries"), context: context)
                }
                request.references.append(urls)
                pending[message.messageID] = request
            case .searchResultDone:
                finish(message.messageID, with: .search(entries: request.entries, references: request.references, done: message))
            default:
                fail(.protocolViolation("the server answered a search with another operation"), context: context)
            }
        case .startTLS(let upgrade):
            startTLSAnswered(message, upgrade: upgrade, request: request, context: context)
        }
    }

    private func finish(_ id: Int32, with response: LDAPResponse) {
        guard let request = pending.removeValue(forKey: id) else { return }
        request.timeout?.cancel()
        request.promise.succeed(response)
    }

    /// A message with ID 0 is an unsolicited notification; the only one defined is the Notice of
    /// Disconnection, after which the server closes the connection. Every pending request fails.
    private func unsolicited(_ message: LDAPMessage, context: ChannelHandlerContext) {
        if case .extendedResponse(let result, let name, _) = message.operation, name == nil || name == LDAPOID.noticeOfDisconnection {
            return fail(LDAPClientError(.noticeOfDisconnection, "the server is closing the connection", result: result), context: context)
        }
        fail(.protocolViolation("the server sent an unsolicited message that is not a Notice of Disconnection"), context: context)
    }

    private func startTLSAnswered(_ message: LDAPMessage, upgrade: LDAPTLSUpgrade, request: Pending, context: ChannelHandlerContext) {
        pending.removeValue(forKey: message.messageID)
        guard case .extendedResponse(let result, _, _) = message.operation else {
            request.timeout?.cancel()
            state.markFailed()
            request.promise.fail(LDAPClientError(.startTLSFailed, "the server did not answer StartTLS with an extended response"))
            return fail(.closed("closed after a failed StartTLS"), context: context)
        }
        guard result.code == .success else {
            request.timeout?.cancel()
            state.markFailed()
            request.promise.fail(LDAPClientError(.startTLSFailed, "the server refused StartTLS", result: result))
            return fail(.closed("closed after a refused StartTLS"), context: context)
        }
        // Anything received after the answer and before the handshake is refused: it would be read
        // as if it had come over TLS.
        guard counter.total == consumedBytes else {
            request.timeout?.cancel()
            state.markFailed()
            request.promise.fail(LDAPClientError(.startTLSFailed, "the server sent \(counter.total - consumedBytes) bytes after its StartTLS answer, before the TLS handshake"))
            return fail(.closed("closed after a failed StartTLS"), context: context)
        }
        do {
            let tls = try NIOSSLClientHandler(context: upgrade.context, serverHostname: upgrade.serverNameIndication)
            handshake = Handshake(id: message.messageID, upgrade: upgrade, promise: request.promise, timeout: request.timeout)
            try context.pipeline.syncOperations.addHandler(tls, position: .first)
        } catch {
            handshake = nil
            request.timeout?.cancel()
            state.markFailed()
            request.promise.fail(LDAPClientError(.tls, "TLS could not start: \(error)"))
            fail(.closed("closed after a failed StartTLS"), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, let current = handshake {
            handshake = nil
            current.timeout?.cancel()
            if current.upgrade.verify {
                let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
                guard let certificate, LDAPHostNameCheck.matches(host: current.upgrade.host, certificate: certificate) else {
                    state.markFailed()
                    current.promise.fail(LDAPClientError(.tls, "the server's certificate does not name \(current.upgrade.host)"))
                    return fail(.closed("closed after a failed TLS host-name check"), context: context)
                }
            }
            current.promise.succeed(.done)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let current = handshake {
            handshake = nil
            current.timeout?.cancel()
            state.markFailed()
            current.promise.fail(LDAPClientError(.tls, "TLS failed: \(error)"))
            return fail(.closed("closed after a TLS failure"), context: context)
        }
        if let error = error as? LDAPClientError {
            return fail(error, context: context)
        }
        fail(.protocolViolation("the connection failed: \(error)"), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed("the server closed the connection"), context: context)
        context.fireChannelInactive()
    }

    /// Fails every pending request with `error`, marks the connection failed and closes it.
    private func fail(_ error: LDAPClientError, context: ChannelHandlerContext) {
        state.markFailed()
        if failure == nil { failure = error }
        if let current = handshake {
            handshake = nil
            current.timeout?.cancel()
            current.promise.fail(error)
        }
        let requests = pending
        pending.removeAll()
        for request in requests.values {
            request.timeout?.cancel()
            request.promise.fail(error)
        }
        context.close(promise: nil)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : total &+ attoseconds / 1_000_000_000
    }
}
