/// Base64 in its standard alphabet (RFC 4648 §4), as HTTP Basic authentication carries it:
/// decoded as `Base64URL` is, with a table of this alphabet (`+` and `/` where base64url has `-`
/// and `_`, which are refused here).
public enum StandardBase64 {
    static let values = Base64URL.decodingTable(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8))

    /// Nil for anything that is not standard base64 (`=` padding is optional).
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        // Over contiguous bytes (an HTTP header's are): a generic loop over the collection, called
        // from another module without specialising, cost more than the rest of the header's reading.
        bytes.withContiguousStorageIfAvailable { Base64URL.decode(buffer: $0, values: values) }
            ?? Array(bytes).withUnsafeBufferPointer { Base64URL.decode(buffer: $0, values: values) }
    }
}
