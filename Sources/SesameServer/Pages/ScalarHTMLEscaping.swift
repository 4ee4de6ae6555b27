import Mustache

/// HTML escaping on UTF-8 bytes. swift-mustache's own escaper looks whole `Character`s up in a
/// table, so `"` + U+0301 or U+0600 + `<` (one grapheme cluster each) went out unescaped. The
/// five ASCII bytes never occur inside a multi-byte UTF-8 sequence, so escaping bytes escapes
/// every scalar, whatever clusters they form.
struct ScalarHTMLEscaping: MustacheContentType {
    /// The name every template opens with (`{{% CONTENT_TYPE: SesameHTML}}`), added by `PageRenderer`.
    static let name = "SesameHTML"

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
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
