import Crypto

private let hexDigits = Array("0123456789abcdef".utf8)

extension UInt8 {
    /// The value of this byte as a hexadecimal digit (either case); nil for any other byte.
    public var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, as digests are stored.
    /// Written into one buffer: building a `String` per byte cost 6 % of the token endpoint.
    public var hexString: String {
        var output: [UInt8] = []
        output.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// The digest under which a random token (a session id) is stored, so the store never holds
/// anything that could be replayed.
public enum TokenDigest {
    public static func of(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }
}
