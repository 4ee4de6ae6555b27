/// Escaping for HTML and XML on UTF-8 bytes, not `Character`s: `"` + U+0301 or U+0600 + `<` is
/// one grapheme cluster, and a per-`Character` table let it through raw. The five ASCII bytes
/// never occur inside a multi-byte UTF-8 sequence, so escaping bytes escapes every scalar,
/// whatever clusters they form. `&#39;` is valid in both HTML and XML.
public enum MarkupEscaping {
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "\""): bytes += Array("&quot;".utf8)
            case UInt8(ascii: "'"): bytes += Array("&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
