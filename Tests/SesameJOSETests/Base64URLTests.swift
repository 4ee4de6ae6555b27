import Foundation
import SesameJOSE
import Testing

@Suite struct Base64URLTests {
    /// RFC 4648 §10, in the URL-safe alphabet without padding (these vectors use neither `+` nor `/`).
    @Test(arguments: [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        #expect(Base64URL.decode(padded) == Array(plain.utf8), "padding is tolerated")
    }

    @Test func theURLSafeAlphabetOnly() {
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        for bad in ["Z", "Zm9vY", "Zm+v", "Zm/v", "Zm9v!A", "Zm 9v", "Zm9\u{e9}", "Zm9v\0"] {
            #expect(Base64URL.decode(bad) == nil, "\(bad.debugDescription)")
        }
    }

    /// Against Foundation's base64, with the alphabet and padding translated.
    @Test func agreesWithFoundation() {
        var random = SplitMix64(state: 4648)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == foundation)
            #expect(Base64URL.decode(foundation) == bytes)
            #expect(Base64URL.decode(bytes: Array(foundation.utf8)[...]) == bytes, "from a slice")
        }
    }
}
