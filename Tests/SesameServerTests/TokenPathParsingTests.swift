import Foundation
import HTTPTypes
import Hummingbird
import SesameCore
import Testing

@testable import SesameServer

/// The form body and the Basic header are read on bytes (issue: faster token paths); these pin
/// what Foundation's percent decoding and base64 did before, and what must still be refused.
@Suite struct TokenPathParsingTests {
    @Test func formValuesDecodePlusAndPercentOnBytes() throws {
        #expect(FormURLDecoding.decode(Array("a+b%20c".utf8)) == "a b c")
        #expect(FormURLDecoding.decode(Array("%C3%A9t%C3%a9".utf8)) == "été")
        #expect(FormURLDecoding.decode(Array("%2B%26%3D%25".utf8)) == "+&=%")
        #expect(FormURLDecoding.decode(Array("plain".utf8)) == "plain")
        #expect(FormURLDecoding.decode(Array("".utf8)) == "")
        // A quote followed by a combining mark (one Character, two scalars) comes through whole.
        #expect(FormURLDecoding.decode(Array("%22%CC%81".utf8))?.unicodeScalars.map(\.value) == [0x22, 0x301])
        for bad in ["%", "%4", "%zz", "%4g", "%FF", "%C3", "%C3%28", "a%ED%A0%80"] {
            #expect(FormURLDecoding.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
        #expect(FormURLDecoding.decode([0x61, 0xFF]) == nil, "raw bytes that are not UTF-8")
    }

    @Test func formBodiesKeepTheFirstValueAndNameRepeats() throws {
        let form = try FormBody(parsing: "grant_type=client_credentials&&scope=a+b&scope=c&flag&=empty-name&x=1=2")
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["scope"] == "a b")
        #expect(form.repeatedNames == ["scope"])
        #expect(form["flag"] == "")
        #expect(form[""] == "empty-name")
        #expect(form["x"] == "1=2")
        #expect(throws: HTTPError.self) { try FormBody(parsing: "a=%ZZ") }
        #expect(throws: HTTPError.self) { try FormBody(parsing: [0x61, 0x3D, 0xC3]) }
    }

    @Test func basicCredentialsAreBase64OfFormEncodedIDAndSecret() throws {
        func credentials(_ header: String) throws -> (id: String, secret: String)? {
            var fields = HTTPFields()
            fields[.authorization] = header
            let request = Request(head: HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/token", headerFields: fields), body: .init(buffer: ByteBuffer()))
            return try TokenRoutes.basicCredentials(request)
        }
        func basic(_ text: String, scheme: String = "Basic ") -> String { scheme + Data(text.utf8).base64EncodedString() }

        let plain = try credentials(basic("client-1:s3cr+t%3A%C3%A9"))
        #expect(plain?.id == "client-1" && plain?.secret == "s3cr t:é")
        let colons = try credentials(basic("id:a:b"))
        #expect(colons?.id == "id" && colons?.secret == "a:b", "the secret may hold colons; the id ends at the first")
        #expect(try credentials(basic("id:x", scheme: "bAsIc \t")).map { [$0.id, $0.secret] } == ["id", "x"])
        #expect(try credentials(basic("id:?>?", scheme: "Basic ") + " ").map { [$0.id, $0.secret] } == ["id", "?>?"])  // "+" and "/" in the base64
        #expect(try credentials("Bearer abc") == nil)
        #expect(try credentials("Basicabc") == nil)
        for malformed in ["Basic !!!!", "Basic " + Data("no-colon".utf8).base64EncodedString(), basic("id:%zz"),
                          "Basic " + Data("id:?>?".utf8).base64EncodedString().replacingOccurrences(of: "/", with: "_")] {
            #expect(throws: OAuthError.self, "\(malformed)") { try credentials(malformed) }
        }
    }
}
