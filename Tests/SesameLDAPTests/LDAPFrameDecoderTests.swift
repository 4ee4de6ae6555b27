import NIOCore
import NIOEmbedded
import SesameLDAP
import Testing

@Suite struct LDAPFrameDecoderTests {
    @Test func messageLengthReadsShortAndLongDefiniteLengths() throws {
        #expect(try LDAPFrame.messageLength(in: [UInt8]()) == nil)
        #expect(try LDAPFrame.messageLength(in: [0x30]) == nil)
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x05]) == 7)
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x7f]) == 129)
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x81]) == nil)
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x81, 0x80]) == 131)
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x82, 0x01, 0x00]) == 260)
        // Active Directory's four-byte form, leading zeros and all.
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x84, 0x00, 0x00, 0x00]) == nil)
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x84, 0x00, 0x00, 0x00, 0x10]) == 22)
    }

    @Test func messageLengthRefusesWhatCannotBeFramed() throws {
        let indefinite = #expect(throws: LDAPMessageError.self) { try LDAPFrame.messageLength(in: [0x30, 0x80]) }
        #expect(indefinite?.kind == .indefiniteLength)
        let notSequence = #expect(throws: LDAPMessageError.self) { try LDAPFrame.messageLength(in: [0x31, 0x00]) }
        #expect(notSequence?.kind == .malformed)
        let huge = #expect(throws: LDAPMessageError.self) { try LDAPFrame.messageLength(in: [0x30, 0x84, 0x01, 0x00, 0x00, 0x00]) }
        #expect(huge?.kind == .tooLarge)
        let wideLength = #expect(throws: LDAPMessageError.self) { try LDAPFrame.messageLength(in: [0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }
        #expect(wideLength?.kind == .tooLarge)
        // The cap is configurable and counts the header.
        #expect(throws: LDAPMessageError.self) { try LDAPFrame.messageLength(in: [0x30, 0x81, 0x80], maxSize: 130) }
        #expect(try LDAPFrame.messageLength(in: [0x30, 0x81, 0x80], maxSize: 131) == 131)
    }

    @Test func theDecoderCutsOneMessagePerFrameWhateverTheChunking() throws {
        let messages = (1...5).map { LDAPMessage(messageID: Int32($0), operation: .searchResultEntry(LDAPSearchEntry(
            dn: "cn=\($0)", attributes: [LDAPAttribute(type: "description", values: [Array(repeating: 0x61, count: $0 * 100)])]))) }
        let stream = messages.flatMap { $0.encode() }
        for chunkSize in [1, 2, 3, 7, 64, 1000, stream.count] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(LDAPFrameDecoder()))
            for start in stride(from: 0, to: stream.count, by: chunkSize) {
                try channel.writeInbound(ByteBuffer(bytes: stream[start..<min(start + chunkSize, stream.count)]))
            }
            var decoded: [LDAPMessage] = []
            while let frame = try channel.readInbound(as: ByteBuffer.self) { decoded.append(try LDAPMessage(decoding: frame)) }
            #expect(decoded == messages, "chunks of \(chunkSize)")
            #expect(try channel.finish().isClean)
        }
    }

    @Test func aFrameOverTheCapIsAnErrorThatClosesTheStream() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LDAPFrameDecoder(maxMessageSize: 1024)))
        let small = LDAPMessage(messageID: 1, operation: .unbindRequest).encode()
        try channel.writeInbound(ByteBuffer(bytes: small))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == small)
        // Only the header of a 2 KiB message has arrived: refused at once, before any body is buffered.
        let error = #expect(throws: LDAPMessageError.self) { try channel.writeInbound(ByteBuffer(bytes: [0x30, 0x82, 0x08, 0x00])) }
        #expect(error?.kind == .tooLarge)
        // Nothing after a bad frame is ever read as a message, even a valid one.
        #expect(throws: (any Error).self) { try channel.writeInbound(ByteBuffer(bytes: small)) }
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test func anIndefiniteLengthIsAnError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LDAPFrameDecoder()))
        let error = #expect(throws: LDAPMessageError.self) { try channel.writeInbound(ByteBuffer(bytes: [0x30, 0x80, 0x02, 0x01, 0x01, 0x42, 0x00, 0x00, 0x00])) }
        #expect(error?.kind == .indefiniteLength)
        _ = try? channel.finish()
    }

    @Test func theEncoderWritesWhatTheDecoderReads() throws {
        let channel = EmbeddedChannel(handlers: [MessageToByteHandler(LDAPMessageEncoder())])
        let message = LDAPMessage(messageID: 42, operation: .bindRequest(.simple(name: "cn=x", password: "y")), controls: [LDAPPasswordPolicyControl.request])
        try channel.writeOutbound(message)
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(try LDAPMessage(decoding: written) == message)
        #expect(try channel.finish().isClean)
    }
}
