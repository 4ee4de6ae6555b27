import NIOCore
import NIOEmbedded
import SesameLDAP
import Testing

/// Bytes and strings from the network are hostile: every cap holds, and every failure is a typed
/// error, never a crash.
@Suite struct LDAPHostileInputTests {
    private func kind(_ bytes: [UInt8], limits: LDAPDecodingLimits = .default) -> LDAPMessageError.Kind? {
        do {
            _ = try LDAPMessage(decoding: bytes, limits: limits)
            return nil
        } catch {
            return error.kind
        }
    }

    /// `depth` SEQUENCEs nested inside a message's controls, encoded by hand.
    private func nested(_ depth: Int) -> [UInt8] {
        var inner: [UInt8] = [0x04, 0x00]
        for _ in 0..<depth { inner = [0x30] + berLength(inner.count) + inner }
        let body: [UInt8] = [0x02, 0x01, 0x01, 0x42, 0x00] + [0xa0] + berLength(inner.count) + inner
        return [0x30] + berLength(body.count) + body
    }

    private func berLength(_ length: Int) -> [UInt8] {
        length < 0x80 ? [UInt8(length)] : [0x84, UInt8(length >> 24 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
    }

    @Test func nestingIsCapped() {
        #expect(kind(nested(45)) == .tooDeep)
        // Far deeper than any call stack would survive in a recursive parser.
        #expect(kind(nested(20_000), limits: LDAPDecodingLimits(maxMessageSize: 1 << 30)) == .tooDeep)
        // Within the cap the structure is checked and the controls are then refused for their shape.
        #expect(kind(nested(10)) == .malformed)
    }

    @Test func declaredLengthsBeyondTheInputAreTruncationNotReads() {
        #expect(kind(hex("3084 7fffffff 020101")) == .truncated)
        #expect(kind(hex("3006 020101 0484 7fffffff")) == .truncated)
        #expect(kind(hex("3009 020101 6104 0a0100 04")) == .truncated)
        #expect(kind([]) == .truncated)
        #expect(kind([0x30]) == .truncated)
    }

    @Test func everyPrefixOfAMessageIsAnError() {
        let whole = LDAPMessage(messageID: 7, operation: .searchResultEntry(LDAPSearchEntry(dn: "cn=x,dc=y", attributes: [
            LDAPAttribute(type: "memberOf", values: [Array("cn=g,dc=y".utf8)]),
        ])), controls: [LDAPPagedResultsControl(size: 1, cookie: [1]).control()]).encode()
        for end in 0..<whole.count {
            let failure = kind(Array(whole[..<end]))
            #expect(failure == .truncated || failure == .malformed, "prefix \(end): \(String(describing: failure))")
        }
        #expect(kind(whole) == nil)
        #expect(kind(whole + [0x00]) == .malformed)
    }

    @Test func indefiniteLengthsAreRefusedAtAnyDepth() {
        #expect(kind(hex("3080 020101 4200 0000")) == .indefiniteLength)
        #expect(kind(hex("300c 020101 6380 0400 0a0100 0000")) == .indefiniteLength)
    }

    @Test func elementCountsAreCapped() {
        let entry = LDAPMessage(messageID: 1, operation: .searchResultEntry(LDAPSearchEntry(dn: "cn=x", attributes: [
            LDAPAttribute(type: "member", values: Array(repeating: [], count: 2_000)),
        ]))).encode()
        #expect(kind(entry, limits: LDAPDecodingLimits(maxElements: 1_000)) == .tooLarge)
        #expect(kind(entry, limits: LDAPDecodingLimits(maxElements: 3_000)) == nil)
        // The default allows big groups: 100 000 members in one entry.
        let group = LDAPMessage(messageID: 1, operation: .searchResultEntry(LDAPSearchEntry(dn: "cn=g", attributes: [
            LDAPAttribute(type: "member", values: (0..<100_000).map { Array("uid=u\($0),ou=people,dc=example,dc=com".utf8) }),
        ]))).encode()
        #expect(kind(group) == nil)
    }

    @Test func stringsAreCappedButValuesAreBoundOnlyByTheMessage() {
        let longDN = LDAPMessage(messageID: 1, operation: .searchResultEntry(LDAPSearchEntry(dn: "cn=" + String(repeating: "x", count: 70_000), attributes: []))).encode()
        #expect(kind(longDN) == .tooLarge)
        let longType = LDAPMessage(messageID: 1, operation: .searchResultEntry(LDAPSearchEntry(dn: "", attributes: [LDAPAttribute(type: String(repeating: "a", count: 70_000), values: [])]))).encode()
        #expect(kind(longType) == .tooLarge)
        let bigValue = LDAPMessage(messageID: 1, operation: .searchResultEntry(LDAPSearchEntry(dn: "cn=photo", attributes: [
            LDAPAttribute(type: "jpegPhoto", values: [Array(repeating: 0xff, count: 1 << 20)]),
        ]))).encode()
        #expect(kind(bigValue) == nil)
        #expect(kind(bigValue, limits: LDAPDecodingLimits(maxMessageSize: 1 << 19)) == .tooLarge)
    }

    @Test func utf8IsRequiredInNamesButNotInValues() throws {
        // objectName with the byte 0xff.
        #expect(kind(hex("300c 020101 6407 0403 636eff 3000")) == .invalidUTF8)
        // An attribute type with a lone continuation byte.
        #expect(kind(hex("3012 020101 640d 0400 3009 3007 0401 80 3102 0400")) == .invalidUTF8)
        // A value that is not UTF-8 is kept as bytes.
        let binary = try LDAPMessage(decoding: hex("3014 020101 640f 0400 300b 3009 0401 61 3104 0402 ff80"))
        guard case .searchResultEntry(let entry) = binary.operation else { Issue.record("not an entry"); return }
        #expect(entry.values("a") == [[0xff, 0x80]])
        // A diagnostic message that is not UTF-8 is repaired, not refused: the answer still counts.
        let answer = try LDAPMessage(decoding: hex("300e 020101 6109 0a0131 0400 0402 ff41"))
        #expect(answer.operation.result?.code == .invalidCredentials)
        #expect(answer.operation.result?.diagnosticMessage == "\u{FFFD}A")
    }

    @Test func integersAreStrict() {
        #expect(kind(hex("3005 0201ff 4200")) == .malformed)       // negative message ID
        #expect(kind(hex("3006 02020001 4200")) == .malformed)                         // not minimal
        #expect(kind(hex("300d 0209 010000000000000000 4200")) == .malformed)          // over 64 bits
        #expect(kind(hex("3008 020480000000 4200")) == .malformed)                     // negative in four bytes
        #expect(kind(hex("3009 020500ffffffff 4200")) == .malformed)                   // over Int32
        #expect(kind(hex("3004 0200 4200")) == .malformed)                             // empty
    }

    @Test func shapesLDAPDoesNotUseAreRefused() {
        #expect(kind(hex("3007 020101 2402 0400")) == .malformed)        // constructed protocolOp that is not [APPLICATION n]
        #expect(kind(hex("3007 020101 7f1f 00 00")) == .malformed)       // multi-byte tag
        #expect(kind(hex("3006 020101 4201 00")) == .malformed)          // unbind with content
        #expect(kind(hex("3010 020101 610b 0a0100 2404 0402 6869 0400")) == .malformed)  // constructed OCTET STRING
        #expect(kind(hex("300a 020101 6305 0400 0a0109")) == .malformed) // scope 9 (and fields missing)
    }

    /// 20 000 inputs made by mutating real messages (seeded, so every run is the same): the frame
    /// function, the decoder and the frame handler either accept or throw `LDAPMessageError`;
    /// whatever decodes re-encodes to something that decodes to the same value.
    @Test func twentyThousandMutatedMessages() throws {
        var random = SeededRandom(seed: 0x5e5a_3e16)
        let corpus = LDAPWireVectorTests.vectors.map { $0.message.encode() }
            + LDAPMessageRoundTripTests.operations.enumerated().map { LDAPMessage(messageID: Int32($0.offset), operation: $0.element).encode() }
            + LDAPServerAnswerTests.captured.map { hex($0.hex) }
        var accepted = 0
        for round in 0..<20_000 {
            let input = Self.mutate(corpus[Int.random(in: 0..<corpus.count, using: &random)], using: &random)
            let limits = LDAPDecodingLimits(maxMessageSize: 1 << 16, maxElements: 4_096)
            do {
                _ = try LDAPFrame.messageLength(in: input, maxSize: limits.maxMessageSize)
                let message = try LDAPMessage(decoding: input, limits: limits)
                accepted += 1
                #expect(try LDAPMessage(decoding: message.encode(), limits: .default) == message)
                for control in message.controls {
                    _ = try? LDAPPagedResultsControl(decoding: control)
                    _ = try? LDAPPasswordPolicyResponse(decoding: control)
                }
                _ = message.operation.result
            } catch {
                // Typed throws: nothing but LDAPMessageError can arrive here.
                #expect(!error.detail.isEmpty)
            }
            if round % 20 == 0 {
                let channel = EmbeddedChannel(handler: ByteToMessageHandler(LDAPFrameDecoder(maxMessageSize: limits.maxMessageSize)))
                do {
                    try channel.writeInbound(ByteBuffer(bytes: input))
                    while let frame = try channel.readInbound(as: ByteBuffer.self) { _ = try? LDAPMessage(decoding: frame, limits: limits) }
                } catch {
                    #expect(error is LDAPMessageError)
                }
                _ = try? channel.finish()
            }
        }
        // The mutations are mild enough that some still decode, so both paths were exercised.
        #expect(accepted > 500)
    }

    /// Mutated filter and DN strings: parse or throw the typed error; what parses prints back to the same value.
    @Test func tenThousandMutatedFiltersAndDNs() throws {
        var random = SeededRandom(seed: 4515)
        let filters = LDAPFilterTests.rfcExamples.map(\.0) + ["(member:1.2.840.113556.1.4.1941:=CN=a\\2c b,DC=x)", "(&(a=*)(|(b=c*d*e)(!(f~=g))))"]
        let dns = LDAPDistinguishedNameTests.rfcExamples.map(\.0) + ["cn = a + sn = b ; dc = x", #"cn=\ a\ ,dc=#0c024869"#]
        let alphabet = Array(#"()&|!=*~<>:\,+;#" 09afAFxé"#.utf8) + [0, 0xcc, 0x81]
        for _ in 0..<5_000 {
            let filterText = Self.mutateText(filters.randomElement(using: &random)!, alphabet: alphabet, using: &random)
            if let filter = try? LDAPFilter.parse(filterText) {
                #expect(try LDAPFilter.parse(filter.description) == filter, "\(filterText)")
            }
            let dnText = Self.mutateText(dns.randomElement(using: &random)!, alphabet: alphabet, using: &random)
            if let dn = try? LDAPDistinguishedName(parsing: dnText) {
                #expect(try LDAPDistinguishedName(parsing: dn.description) == dn, "\(dnText)")
            }
        }
    }

    static func mutate(_ original: [UInt8], using random: inout SeededRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            case 2: bytes.remove(at: at)
            case 3: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
            case 4: bytes.removeLast(Int.random(in: 0...min(8, bytes.count), using: &random))
            case 5: bytes[at] = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff][Int.random(in: 0..<6, using: &random)]
            case 6:
                let end = min(bytes.count, at + Int.random(in: 1...16, using: &random))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            default: bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
        }
        return bytes
    }

    static func mutateText(_ text: String, alphabet: [UInt8], using random: inout SeededRandom) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let at = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0 where at < bytes.count: bytes.remove(at: at)
            case 1 where at < bytes.count: bytes[at] = alphabet.randomElement(using: &random)!
            default: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
