import Foundation
@testable import SesameCore
import Testing

/// CAS XML escapes by byte: `"` + U+0301 or U+0600 + `<` is one grapheme cluster, which a
/// per-`Character` table let through raw.
@Suite struct CASEscapingTests {
    static let payloads = ["\"\u{301}/><cas:user>admin", ">\u{301}<x", "\u{600}<cas:user>admin</cas:user>", "'\u{301}&amp;"]

    static func markupBytes(_ xml: String) -> [UInt8: Int] {
        var counts: [UInt8: Int] = [:]
        for byte in xml.utf8 where [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(byte) {
            counts[byte, default: 0] += 1
        }
        return counts
    }

    static func validation(_ text: String) -> CASValidation {
        let now = Date(timeIntervalSince1970: 0)
        let user = User(id: "u1", username: text, email: nil, name: nil, passwordHash: "", createdAt: now, updatedAt: now)
        var record = CASTicketRecord(
            digest: "d", kind: "ST", service: "https://app.example.test/", serviceID: "s", userID: "u1", sessionID: nil, fromNewLogin: true,
            renew: false, authTime: now, authMethods: ["pwd"], createdAt: now, expiresAt: now, sealedTicket: []
        )
        record.proxies = [text]
        return CASValidation(user: user, record: record, attributes: [(name: "mail", values: [text])])
    }

    @Test(arguments: payloads)
    func aValueAddsNoMarkup(payload: String) {
        let pairs: [(String, String)] = [
            (CASResponse.xml(.success(Self.validation("x")), includeAttributes: true, pgtIOU: "x"),
             CASResponse.xml(.success(Self.validation(payload)), includeAttributes: true, pgtIOU: payload)),
            (CASResponse.xml(.failure(.invalidTicket("x")), includeAttributes: false),
             CASResponse.xml(.failure(.invalidTicket(payload)), includeAttributes: false)),
            (CASResponse.proxy(.failure(.invalidTicket("x"))), CASResponse.proxy(.failure(.invalidTicket(payload)))),
            (CASResponse.logoutRequest(ticket: "x", id: "x", at: Date(timeIntervalSince1970: 0)),
             CASResponse.logoutRequest(ticket: payload, id: payload, at: Date(timeIntervalSince1970: 0))),
        ]
        for (plain, hostile) in pairs {
            // Escaping adds `&`s only; no `<`, `>`, quote or apostrophe comes from a value.
            #expect(Self.markupBytes(hostile) == Self.markupBytes(plain), "\(hostile)")
        }
    }

    @Test func theEscaperWorksOnBytes() {
        #expect(CASResponse.escape("\"\u{301}>\u{301}\u{600}<'&") == "&quot;\u{301}&gt;\u{301}\u{600}&lt;&#39;&amp;")
    }
}
