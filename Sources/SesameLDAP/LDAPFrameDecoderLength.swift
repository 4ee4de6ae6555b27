/// Where one LDAP message ends in a byte stream: every message is one BER SEQUENCE with a
/// definite length (RFC 4511 §5.1), so its header says how many bytes to wait for.
public enum LDAPFrame {
    /// The total length (header included) of the message starting at the beginning of `bytes`,
    /// or nil when more bytes are needed to tell. Throws for anything that is not a definite-length
    /// SEQUENCE of at most `maxSize` bytes: the stream cannot be resynchronised after that.
    public static func messageLength<Bytes: Collection<UInt8>>(in bytes: Bytes, maxSize: Int = LDAPDecodingLimits.default.maxMessageSize) throws(LDAPMessageError) -> Int? {
        guard let first = bytes.first else { return nil }
        guard first == 0x30 else { throw .malformed("frame does not start with a SEQUENCE (0x\(String(first, radix: 16)))") }
        guard let header = try BERLength.peek(bytes, at: bytes.index(after: bytes.startIndex)) else { return nil }
        let total = 1 + header.lengthOfLength + header.length
        guard total <= maxSize else { throw .tooLarge("message of \(total) bytes over the cap of \(maxSize)") }
        return total
    }
}
