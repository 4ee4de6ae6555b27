import Mustache
import SesameModels

/// HTML escaping by byte (`MarkupEscaping`). swift-mustache's own escaper looks whole
/// `Character`s up in a table, so `"` + U+0301 or U+0600 + `<` (one grapheme cluster each) went
/// out unescaped.
struct ScalarHTMLEscaping: MustacheContentType {
    /// The name every template opens with (`{{% CONTENT_TYPE: SesameHTML}}`), added by `PageRenderer`.
    static let name = "SesameHTML"

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        MarkupEscaping.escape(text)
    }
}
