import Crypto
import Foundation
import SesameJOSE
import SesameModels
import Testing

@testable import SesameCore

/// The token paths write their JSON, hex and random bytes without Foundation's general tools;
/// each must say exactly what those said.
@Suite struct TokenPathEncodingTests {
    static let hostile = [
        "plain", "", "quote\" back\\slash /slash", "line\nfeed\r\ttab\u{08}\u{0C}", "nul\u{0}bell\u{7}esc\u{1B}unit\u{1F}",
        "été 東京 🔑", "\"\u{301}", "\u{2028}\u{2029}\u{202E}", "del\u{7F}",
    ]

    @Test func theWriterSaysWhatJSONEncoderSays() throws {
        for value in Self.hostile {
            let response = TokenResponse(access_token: value, token_type: "Bearer", expires_in: 600, scope: value, id_token: nil, refresh_token: value)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let expected = try encoder.encode(response)
            #expect(try JSONDecoder().decode(TokenResponse.self, from: Data(response.json)) == response, "\(value.debugDescription)")
            if !value.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                #expect(response.json == Array(expected), "byte for byte without control characters: \(value.debugDescription)")
            }
            let introspection = IntrospectionResponse(
                active: true, scope: value, client_id: "c", username: value, token_type: "Bearer", exp: 2, iat: 1, sub: value, aud: "a", iss: "i", jti: value
            )
            #expect(try JSONDecoder().decode(IntrospectionResponse.self, from: Data(introspection.json)) == introspection)
        }
        #expect(IntrospectionResponse.inactive.json == Array(#"{"active":false}"#.utf8))
    }

    @Test func claimsWrittenByHandMatchTheirEncodableForm() throws {
        let user = User(
            id: "u-1", username: "ana\"\u{301}", email: "ana@example.org", name: "Ana\nLine", passwordHash: nil,
            groups: ["g/1"], roles: ["admin", "ed\"itor"], createdAt: Date(), updatedAt: Date()
        )
        let scope = Scope("openid profile email roles groups")
        let access = AccessTokenClaims(
            iss: "https://id.example/", sub: "u-1", aud: "c", exp: 2, iat: 1, jti: "j", client_id: "c", scope: scope.description,
            auth_time: 1, sid: nil, gid: "f", access: AccessClaims(user: user, scope: scope, client: nil)
        )
        let id = IDTokenClaims(
            iss: "https://id.example/", sub: "u-1", aud: "c", exp: 2, iat: 1, auth_time: nil, nonce: "n\u{0}", at_hash: "h", acr: nil,
            amr: ["pwd", "otp"], azp: "c", sid: "s", profile: UserClaims(user: user, scope: scope, client: nil)
        )
        func object(_ data: some Sequence<UInt8>) throws -> NSDictionary {
            try #require(try JSONSerialization.jsonObject(with: Data(data)) as? NSDictionary)
        }
        #expect(try object(access.json) == object(JSONEncoder().encode(access)))
        #expect(try object(id.json) == object(JSONEncoder().encode(id)))
        #expect(try object(access.json)["roles"] as? [String] == ["admin", "ed\"itor"])
    }

    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        // FIPS 180-2 appendix B.1: SHA-256("abc").
        #expect(SHA256.hash(data: Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect([UInt8]().hexString == "")
        #expect([0x00, 0x0F, 0xF0, 0xFF].hexString == "000ff0ff")
    }

    @Test func systemRandomGivesExactlyTheBytesAskedFor() {
        for count in [0, 1, 7, 8, 9, 16, 32, 33] {
            #expect(SystemRandom().bytes(count).count == count)
        }
        let draws = Set((0..<64).map { _ in SystemRandom().bytes(16) })
        #expect(draws.count == 64)
        // Every byte value turns up across 64 KiB (a generator stuck on part of a word would not).
        #expect(Set(SystemRandom().bytes(65536)).count == 256)
    }

    @Test func standardBase64FollowsRFC4648() {
        // RFC 4648 §10.
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(StandardBase64.decode(Array(encoded.utf8)) == Array(plain.utf8))
            #expect(StandardBase64.decode(Array(encoded.replacingOccurrences(of: "=", with: "").utf8)) == Array(plain.utf8))
        }
        #expect(StandardBase64.decode(Array("+/8=".utf8)) == [0xFB, 0xFF])
        for bad in ["-_8=", "Zg=a", "Z", "Zm9v!", "Zm 9v"] { #expect(StandardBase64.decode(Array(bad.utf8)) == nil, "\(bad)") }
    }

    /// Slices (a header's bytes after "Basic "), collections that are not contiguous, and
    /// Foundation's encoding of random bytes all decode alike.
    @Test func standardBase64DecodesAnyCollectionAsFoundationEncodes() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Array(Data(bytes).base64EncodedString().utf8)
            #expect(StandardBase64.decode(encoded) == bytes)
            let header = Array("Basic ".utf8) + encoded
            #expect(StandardBase64.decode(header[6...]) == bytes)
            #expect(StandardBase64.decode(encoded.lazy.map { $0 }) == bytes, "not contiguous")
        }
        #expect(StandardBase64.decode(Array("Zm9v".utf8).lazy.map { $0 == UInt8(ascii: "v") ? UInt8(ascii: "-") : $0 }) == nil)
    }
}
