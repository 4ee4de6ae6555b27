import SesameJOSE
import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import SesameCore

@Suite struct PKCETests {
    /// RFC 7636 Appendix B.
    @Test func matchesTheRFCExample() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(PKCE.challenge(for: verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verify(verifier: verifier + "x", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
    }

    @Test func verifiersMustBe43To128UnreservedCharacters() {
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42)))
        #expect(PKCE.isValidVerifier(String(repeating: "a", count: 43)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 129)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + "+"))
        #expect(!PKCE.isValidChallenge("plain-challenge"))
    }
}

@Suite struct RedirectURITests {
    @Test(arguments: [
        "https://app.example.com/cb", "http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://localhost:3000/cb",
        "com.example.app:/oauth2redirect", "https://app.example.com/cb?tenant=1",
    ])
    func acceptable(uri: String) { #expect(RedirectURI.problem(with: uri) == nil) }

    @Test(arguments: [
        "https://app.example.com/cb#frag", "http://app.example.com/cb", "javascript:alert(1)", "data:text/html,x", "/relative", "",
        "https:///nohost",
    ])
    func refused(uri: String) { #expect(RedirectURI.problem(with: uri) != nil) }

    @Test func matchingIsExactExceptTheLoopbackPort() {
        let registered = ["https://app.example.com/cb", "http://127.0.0.1/native"]
        #expect(RedirectURI.matches("https://app.example.com/cb", registered: registered))
        #expect(!RedirectURI.matches("https://app.example.com/cb/", registered: registered))
        #expect(!RedirectURI.matches("https://app.example.com/cb?x=1", registered: registered))
        #expect(!RedirectURI.matches("https://APP.example.com/cb", registered: registered))
        #expect(!RedirectURI.matches("https://app.example.com:444/cb", registered: registered))
        #expect(RedirectURI.matches("http://127.0.0.1:51004/native", registered: registered))
        #expect(!RedirectURI.matches("http://127.0.0.1:51004/other", registered: registered))
        #expect(!RedirectURI.matches("http://localhost:51004/native", registered: registered))
    }
}

@Suite struct ScopeTests {
    @Test func parsesSpaceSeparatedWithoutDuplicates() {
        #expect(Scope("openid  email openid").values == ["openid", "email"])
        #expect(Scope(nil).isEmpty)
        #expect(Scope("openid email").isSubset(of: ["openid", "email", "profile"]))
        #expect(!Scope("openid admin").isSubset(of: ["openid"]))
        #expect(!Scope("bad\"scope").isWellFormed)
    }
}

@Suite struct JWTTests {
    let es256 = JWTSigningKey(kid: "e1", key: .es256(P256.Signing.PrivateKey()))

    func verificationKeys(_ key: JWTSigningKey) throws -> [String: JWTVerificationKey] {
        let jwk: PublicJWK
        switch key.key {
        case .es256(let k): jwk = PublicJWK(p256: k.publicKey)
        case .rs256(let k): jwk = try PublicJWK(rsa: k.publicKey)
        }
        return [key.kid: JWTVerificationKey(jwk: jwk.json(kid: key.kid))!]
    }

    @Test func es256AndRS256RoundTrip() throws {
        let rs256 = JWTSigningKey(kid: "r1", key: .rs256(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        for key in [es256, rs256] {
            let token = try key.sign(payload: Array(#"{"sub":"a"}"#.utf8), type: "JWT")
            let verified = try #require(VerifiedJWT.verify(token, keys: try verificationKeys(key)))
            #expect(verified.string("sub") == "a")
            #expect(verified.header["alg"]?.string == key.algorithm)
            // The ES256 signature is JOSE's raw r ‖ s (64 bytes), not DER.
            if key.algorithm == "ES256" { #expect(Base64URL.decode(String(token.split(separator: ".")[2]))?.count == 64) }
        }
    }

    @Test func tamperedUnsignedAndForeignTokensFail() throws {
        let keys = try verificationKeys(es256)
        let token = try es256.sign(payload: Array(#"{"sub":"a"}"#.utf8), type: "JWT")
        let parts = token.split(separator: ".").map(String.init)
        let forgedPayload = Base64URL.encode(Array(#"{"sub":"b"}"#.utf8))
        #expect(VerifiedJWT.verify("\(parts[0]).\(forgedPayload).\(parts[2])", keys: keys) == nil)
        let none = Base64URL.encode(Array(#"{"alg":"none","kid":"e1"}"#.utf8))
        #expect(VerifiedJWT.verify("\(none).\(parts[1]).", keys: keys) == nil)
        let hs = Base64URL.encode(Array(#"{"alg":"HS256","kid":"e1"}"#.utf8))
        #expect(VerifiedJWT.verify("\(hs).\(parts[1]).\(parts[2])", keys: keys) == nil)
        let other = JWTSigningKey(kid: "e1", key: .es256(P256.Signing.PrivateKey()))
        #expect(VerifiedJWT.verify(try other.sign(payload: Array(#"{"sub":"a"}"#.utf8), type: "JWT"), keys: keys) == nil)
        #expect(VerifiedJWT.verify("not.a.jwt", keys: keys) == nil)
    }

    /// OIDC Core §3.1.3.6: at_hash is the base64url of the left half of SHA-256 of the token.
    @Test func atHash() {
        let digest = Array(SHA256.hash(data: Array("token".utf8)))
        #expect(JWTSigningKey.leftHalfHash("token") == Base64URL.encode(digest.prefix(16)))
    }
}
