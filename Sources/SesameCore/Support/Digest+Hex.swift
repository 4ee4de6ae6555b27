import Crypto

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, as digests are stored.
    public var hexString: String {
        map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
    }
}

/// The digest under which a random token (a session id) is stored, so the store never holds
/// anything that could be replayed.
public enum TokenDigest {
    public static func of(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }
}
