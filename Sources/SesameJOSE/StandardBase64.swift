/// Base64 in its standard alphabet (RFC 4648 §4), as HTTP Basic authentication carries it:
/// decoded through `Base64URL` after swapping the two characters the alphabets differ in.
public enum StandardBase64 {
    /// Nil for anything that is not standard base64 (`=` padding is optional).
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        var mapped: [UInt8] = []
        mapped.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"): return nil
            case UInt8(ascii: "+"): mapped.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): mapped.append(UInt8(ascii: "_"))
            default: mapped.append(byte)
            }
        }
        return Base64URL.decode(bytes: mapped)
    }
}
