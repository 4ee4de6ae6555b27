import SesameJOSE
import Crypto
import CryptoExtras
import Testing

@testable import SesameCore

@Suite struct CSRFTests {
    let tokens = CSRFTokens(key: SymmetricKey(data: Array(repeating: UInt8(7), count: 32)))

    @Test func tokenVerifiesOnlyForItsOwnCookie() {
        let token = tokens.token(for: "cookie-one")
        #expect(tokens.verify(token: token, cookieValue: "cookie-one"))
        #expect(!tokens.verify(token: token, cookieValue: "cookie-two"))
        #expect(!tokens.verify(token: nil, cookieValue: "cookie-one"))
        #expect(!tokens.verify(token: token, cookieValue: nil))
        #expect(!tokens.verify(token: token, cookieValue: ""))
        #expect(!tokens.verify(token: String(token.dropLast()) + "A", cookieValue: "cookie-one") || token.hasSuffix("A"))
        #expect(!tokens.verify(token: "not base64 !", cookieValue: "cookie-one"))
    }

    @Test func anotherKeyMakesOtherTokens() {
        let other = CSRFTokens(key: SymmetricKey(data: Array(repeating: UInt8(8), count: 32)))
        #expect(!other.verify(token: tokens.token(for: "c"), cookieValue: "c"))
    }
}

@Suite struct LocalRedirectTests {
    @Test(arguments: ["/account", "/a/b?c=d#e", "/", "/%2F%2Fx"])
    func acceptsLocalPaths(target: String) {
        #expect(LocalRedirect.validated(target) == target)
    }

    @Test(arguments: [
        "//evil.example", "///evil.example", "/\\evil.example", "https://evil.example/", "evil.example", "",
        "javascript:alert(1)", "/\tevil", "/a\nb", "\\\\evil.example", " /account",
    ])
    func refusesAnythingThatLeavesTheServer(target: String) {
        #expect(LocalRedirect.validated(target) == "/account")
    }

    @Test func fallsBackWhenMissing() {
        #expect(LocalRedirect.validated(nil) == "/account")
    }
}

@Suite struct KeyTests {
    let dataKey = DataKey(bytes: Array(0..<32))!

    @Test func sealedKeyMaterialOpensOnlyWithTheSameKeyAndContext() throws {
        let sealed = try dataKey.sealer.seal([1, 2, 3], context: "signing-key:a")
        #expect(try dataKey.sealer.open(sealed, context: "signing-key:a") == [1, 2, 3])
        #expect(throws: KeyError.self) { try dataKey.sealer.open(sealed, context: "signing-key:b") }
        let otherKey = DataKey(bytes: Array(repeating: 9, count: 32))!
        #expect(throws: KeyError.self) { try otherKey.sealer.open(sealed, context: "signing-key:a") }
    }

    @Test func dataKeyMustBe32Bytes() {
        #expect(DataKey(bytes: Array(repeating: 1, count: 31)) == nil)
    }

    @Test func purposesGetDifferentKeys() {
        #expect(dataKey.derived(for: "csrf") != dataKey.derived(for: "key-sealing"))
    }

    /// Each public JWK carries the RFC 7638 thumbprint of its required members as its kid.
    @Test func signingKeyJWKsHaveThumbprintKids() throws {
        let jwk = PublicJWK(p256: P256.Signing.PrivateKey().publicKey)
        let x = jwk.members.first { $0.0 == "x" }!.1, y = jwk.members.first { $0.0 == "y" }!.1
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        #expect(jwk.thumbprint == Base64URL.encode(SHA256.hash(data: Array(canonical.utf8))))
        #expect(Base64URL.decode(x)?.count == 32)
        #expect(jwk.json(kid: "k").contains(#""alg":"ES256""#))
    }

    /// RFC 7638 §3.1's own example: this RSA key's thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
    @Test func rsaThumbprintMatchesRFC7638Example() throws {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try _RSA.Signing.PublicKey(n: Base64URL.decode(n)!, e: Base64URL.decode("AQAB")!)
        #expect(try PublicJWK(rsa: key).thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }
}

@Suite struct SupportTests {
    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
    }

    @Test func base64URLRoundTrip() {
        let bytes: [UInt8] = [0xfb, 0xff, 0x00, 0x3e]
        #expect(Base64URL.encode(bytes) == "-_8APg")
        #expect(Base64URL.decode("-_8APg") == bytes)
    }
}

@Suite struct AccountRulesTests {
    @Test(arguments: ["alice", "a.b-c_d", String(repeating: "x", count: 64)])
    func validUsernames(name: String) throws { #expect(try AccountRules.validateUsername(name) == name) }

    @Test(arguments: ["", "a b", "a@b", "ünï", String(repeating: "x", count: 65), "a:b"])
    func invalidUsernames(name: String) {
        #expect(throws: AccountError.invalidUsername(name)) { try AccountRules.validateUsername(name) }
    }

    @Test(arguments: ["a@example.com", "first.last+tag@sub.example.org"])
    func validEmails(email: String) throws { #expect(try AccountRules.validateEmail(email) == email) }

    @Test(arguments: ["not-an-email", "a@b", "@example.com", "a@.example.com", "a b@example.com", "a@example.com.", "a@@example.com"])
    func invalidEmails(email: String) {
        #expect(throws: AccountError.invalidEmail(email)) { try AccountRules.validateEmail(email) }
    }

    @Test func emptyPasswordIsRefused() {
        #expect(throws: AccountError.emptyPassword) { try AccountRules.validatePassword("") }
    }
}
