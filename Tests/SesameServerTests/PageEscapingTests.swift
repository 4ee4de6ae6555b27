import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SesameServer
import Testing

/// Every value a page shows is escaped by byte: a `"`, `>` or `'` followed by a combining mark, or
/// `<` after a "prepend" character, is one grapheme cluster that a per-`Character` escaper missed.
@Suite struct PageEscapingTests {
    static let payloads = [
        "\"\u{301} autofocus onfocus=alert(1) x=\"",
        ">\u{301}<form action=https://evil.test>",
        "\u{600}<meta http-equiv=refresh content=\"0;url=https://evil.test/\">",
        "'\u{301} onmouseover=alert(1) x='",
    ]

    /// Everything a template can show, every text set to `text` (the QR code is Sesame's own SVG,
    /// inserted raw on purpose, so it stays empty).
    static func values(_ text: String) -> [String: Any] {
        let pair: [String: Any] = ["name": text, "value": text, "description": text]
        return [
            "title": text, "error": text, "message": text, "csrfToken": text, "returnTo": text, "mfa": text, "username": text,
            "name": text, "email": text, "groups": [text], "roles": [text], "twoFactor": text, "clientName": text,
            "scopes": [pair], "parameters": [pair, pair], "fields": [pair], "action": text, "frames": [text], "next": text,
            "secret": text, "uri": text, "required": true, "codes": [text], "recoveryLeft": text, "qrSVG": "",
            "prompt": text, "inputMode": text, "oneTimeCode": true,
        ]
    }

    static let templates = ["login", "account", "error", "consent", "formPost", "endSession", "signedOut", "frontChannelLogout",
                            "twoFactorCode", "twoFactorEnrol", "recoveryCodes", "twoFactorStatus"]

    /// How many bytes that open or close markup a page holds.
    static func markupBytes(_ html: String) -> [UInt8: Int] {
        var counts: [UInt8: Int] = [:]
        for byte in html.utf8 where [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(byte) {
            counts[byte, default: 0] += 1
        }
        return counts
    }

    @Test(arguments: templates, payloads)
    func aValueAddsNoMarkupToAnyPage(template: String, payload: String) {
        let pages = PageRenderer()
        let plain = pages.html(template, Self.values("x"))
        let hostile = pages.html(template, Self.values(payload))
        #expect(!plain.isEmpty)
        #expect(Self.markupBytes(hostile) == Self.markupBytes(plain), "\(template) let markup through")
        // The mark is kept after the escaped character, not lost.
        #expect(hostile.unicodeScalars.contains("\u{301}") || hostile.unicodeScalars.contains("\u{600}"))
    }

    @Test func escapingHappensOnceAndKeepsTheText() {
        let html = PageRenderer().html("error", ["title": "T", "message": "a & b < c \"\u{301}"])
        #expect(html.contains("a &amp; b &lt; c &quot;\u{301}"))
        #expect(!html.contains("&amp;amp;"))
    }

    @Test func theEscaperWorksOnBytes() {
        #expect(ScalarHTMLEscaping.escape("\"\u{301}>\u{301}\u{600}<'&") == "&quot;\u{301}&gt;\u{301}\u{600}&lt;&#39;&amp;")
    }

    @Test func theFormPostPageMayPostToTheAppsOriginOnly() throws {
        let response = PageRenderer().formPost(to: "https://app.example.test:8443/cb?x=1", fields: [("state", Self.payloads[0])])
        let csp = try #require(response.headers[.contentSecurityPolicy])
        #expect(csp.contains("form-action https://app.example.test:8443;"))
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
    }
}
