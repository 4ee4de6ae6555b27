import Crypto
import CryptoExtras
import Foundation
import SesameClient
import SesameJOSE
import Synchronization
import Testing

/// A JWKS endpoint in memory: counts fetches and can be slowed down.
final class FakeJWKS: JWKSSource {
    let state = Mutex<(json: String, fetches: Int, maxAge: TimeInterval?)>(("{\"keys\":[]}", 0, nil))
    let delay: Duration

    init(delay: Duration = .zero) { self.delay = delay }

    func publish(_ jwks: String, maxAge: TimeInterval? = nil) { state.withLock { $0.json = jwks; $0.maxAge = maxAge } }
    var fetches: Int { state.withLock { $0.fetches } }

    func fetch() async throws -> (json: String, maxAge: TimeInterval?) {
        if delay > .zero { try await Task.sleep(for: delay) }
        return state.withLock { $0.fetches += 1; return ($0.json, $0.maxAge) }
    }
}

/// Signs test tokens the way Sesame does.
struct Signer {
    enum Key { case es256(P256.Signing.PrivateKey), rs256(_RSA.Signing.PrivateKey) }
    let kid: String
    let key: Key

    static func es256(_ kid: String) -> Signer { Signer(kid: kid, key: .es256(P256.Signing.PrivateKey())) }
    static func rs256(_ kid: String) throws -> Signer { Signer(kid: kid, key: .rs256(try _RSA.Signing.PrivateKey(keySize: .bits2048))) }

    var jwk: String {
        switch key {
        case .es256(let key):
            let raw = Array(key.publicKey.rawRepresentation)
            return #"{"kty":"EC","crv":"P-256","kid":"\#(kid)","use":"sig","alg":"ES256","x":"\#(Base64URL.encode(Array(raw[0..<32])))","y":"\#(Base64URL.encode(Array(raw[32...])))"}"#
        case .rs256(let key):
            let numbers = try! key.publicKey.getKeyPrimitives()
            return #"{"kty":"RSA","kid":"\#(kid)","use":"sig","alg":"RS256","n":"\#(Base64URL.encode(Array(numbers.modulus)))","e":"\#(Base64URL.encode(Array(numbers.publicExponent)))"}"#
        }
    }

    static func jwks(_ signers: [Signer]) -> String { #"{"keys":[\#(signers.map(\.jwk).joined(separator: ","))]}"# }

    func sign(_ claims: [String: Any], alg: String? = nil, typ: String = "at+jwt") throws -> String {
        let algorithm: String
        switch key {
        case .es256: algorithm = "ES256"
        case .rs256: algorithm = "RS256"
        }
        let header = try JSONSerialization.data(withJSONObject: ["alg": alg ?? algorithm, "kid": kid, "typ": typ])
        let payload = try JSONSerialization.data(withJSONObject: claims)
        let input = Base64URL.encode(Array(header)) + "." + Base64URL.encode(Array(payload))
        let signature: [UInt8]
        switch key {
        case .es256(let key): signature = Array(try key.signature(for: Array(input.utf8)).rawRepresentation)
        case .rs256(let key): signature = Array(try key.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5).rawRepresentation)
        }
        return input + "." + Base64URL.encode(signature)
    }
}

@Suite struct TokenVerifierTests {
    static let issuer = "https://login.example.com"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func claims(_ changes: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": Self.issuer, "aud": "docs", "sub": "u1", "iat": 1_800_000_000, "exp": 1_800_000_600, "scope": "openid roles",
            "roles": ["editor"], "groups": ["staff"], "permissions": ["articles:publish"],
        ]
        for (key, value) in changes { claims[key] = value }
        return claims
    }

    func verifier(_ source: FakeJWKS, clock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }) -> TokenVerifier {
        TokenVerifier(keys: JWKSCache(source: source, now: clock), expectations: .accessToken(issuer: Self.issuer, audience: "docs"))
    }

    func refused(_ verifier: TokenVerifier, _ token: String, at time: Date? = nil) async -> TokenError? {
        do {
            _ = try await verifier.verify(token, now: time ?? now)
            return nil
        } catch let error as TokenError {
            return error
        } catch {
            // Any other error is a failure of the verifier, never an acceptance.
            Issue.record("unexpected error: \(error)")
            return nil
        }
    }

    @Test(arguments: ["ES256", "RS256"])
    func aGoodTokenGivesTheUser(_ algorithm: String) async throws {
        let signer = algorithm == "ES256" ? Signer.es256("k1") : try Signer.rs256("k1")
        let source = FakeJWKS()
        source.publish(Signer.jwks([signer]))
        let token = try await verifier(source).verify(try signer.sign(claims()), now: now)
        #expect(token.user == SesameUser(subject: "u1", roles: ["editor"], groups: ["staff"], permissions: ["articles:publish"]))
        #expect(token.scope == ["openid", "roles"])
    }

    @Test func claimsAreChecked() async throws {
        let signer = Signer.es256("k1")
        let source = FakeJWKS()
        source.publish(Signer.jwks([signer]))
        let v = verifier(source)
        #expect(await refused(v, try signer.sign(claims()), at: now.addingTimeInterval(600 + 31)) == .expired)
        #expect(await refused(v, try signer.sign(claims()), at: now.addingTimeInterval(600 + 29)) == nil, "within the leeway")
        #expect(await refused(v, try signer.sign(claims(["nbf": 1_800_000_100]))) == .notYetValid)
        #expect(await refused(v, try signer.sign(claims(["aud": "other-app"]))) == .wrongAudience)
        #expect(await refused(v, try signer.sign(claims(["aud": ["other-app", "docs"]]))) == nil, "an audience list containing ours")
        #expect(await refused(v, try signer.sign(claims(["iss": "https://evil.example"]))) == .wrongIssuer("https://evil.example"))
        #expect(await refused(v, try signer.sign(claims(), typ: "JWT")) == .wrongType("JWT"), "an ID token is not an access token")
        var noExpiry = claims()
        noExpiry["exp"] = nil
        #expect(await refused(v, try signer.sign(noExpiry)) == .expired, "a token without exp is refused")
    }

    @Test func tamperedAndUnsignedTokensAreRefused() async throws {
        let signer = Signer.es256("k1")
        let source = FakeJWKS()
        source.publish(Signer.jwks([signer]))
        let v = verifier(source)
        let good = try signer.sign(claims())
        let parts = good.split(separator: ".").map(String.init)
        let forged = try JSONSerialization.data(withJSONObject: claims(["roles": ["admin"]]))
        #expect(await refused(v, parts[0] + "." + Base64URL.encode(Array(forged)) + "." + parts[2]) == .badSignature)
        // alg: none, with or without a signature.
        let none = Base64URL.encode(Array(#"{"alg":"none","kid":"k1","typ":"at+jwt"}"#.utf8))
        #expect(await refused(v, none + "." + parts[1] + ".") == .algorithmNotAllowed("none"))
        #expect(await refused(v, "not a token") == .malformed)
    }

    @Test func hs256WithThePublicKeyAsSecretIsRefused() async throws {
        let signer = Signer.es256("k1")
        let source = FakeJWKS()
        source.publish(Signer.jwks([signer]))
        // The classic confusion attack: HMAC the token with the public key the verifier knows.
        let header = Base64URL.encode(Array(#"{"alg":"HS256","kid":"k1","typ":"at+jwt"}"#.utf8))
        let payload = Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: claims())))
        let secret = SymmetricKey(data: Array(signer.jwk.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array((header + "." + payload).utf8), using: secret)
        #expect(await refused(verifier(source), header + "." + payload + "." + Base64URL.encode(Array(mac))) == .algorithmNotAllowed("HS256"))
        // Nor may an RS256 header use an EC key.
        #expect(await refused(verifier(source), try signer.sign(claims(), alg: "RS256")) == .badSignature)
    }

    @Test func anUnknownKidCausesOneRefetchSoARotationIsPickedUp() async throws {
        let old = Signer.es256("old")
        let new = Signer.es256("new")
        let source = FakeJWKS()
        source.publish(Signer.jwks([old]))
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let v = verifier(source, clock: { clock.withLock { $0 } })
        _ = try await v.verify(try old.sign(claims()), now: now)
        #expect(source.fetches == 1)
        _ = try await v.verify(try old.sign(claims()), now: now)
        #expect(source.fetches == 1, "cached")
        source.publish(Signer.jwks([old, new]))
        clock.withLock { $0 = $0.addingTimeInterval(10) }
        _ = try await v.verify(try new.sign(claims()), now: now)
        #expect(source.fetches == 2, "one refetch for the new kid")
        clock.withLock { $0 = $0.addingTimeInterval(10) }
        #expect(await refused(v, try Signer.es256("ghost").sign(claims())) == .unknownKey("ghost"))
        #expect(await refused(v, try Signer.es256("ghost2").sign(claims())) == .unknownKey("ghost2"))
        #expect(source.fetches == 3, "unknown kids cannot make it fetch more than once a few seconds")
    }

    @Test func cacheHeadersDecideHowLongKeysAreKept() async throws {
        let signer = Signer.es256("k1")
        let source = FakeJWKS()
        source.publish(Signer.jwks([signer]), maxAge: 60)
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let v = verifier(source, clock: { clock.withLock { $0 } })
        _ = try await v.verify(try signer.sign(claims()), now: now)
        clock.withLock { $0 = $0.addingTimeInterval(59) }
        _ = try await v.verify(try signer.sign(claims()), now: now)
        #expect(source.fetches == 1)
        clock.withLock { $0 = $0.addingTimeInterval(2) }
        _ = try await v.verify(try signer.sign(claims()), now: now)
        #expect(source.fetches == 2, "max-age passed")
    }

    @Test func concurrentVerificationsShareOneFetch() async throws {
        let signer = Signer.es256("k1")
        let source = FakeJWKS(delay: .milliseconds(50))
        source.publish(Signer.jwks([signer]))
        let v = verifier(source)
        let token = try signer.sign(claims())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try await v.verify(token, now: Date(timeIntervalSince1970: 1_800_000_000)) } }
            try await group.waitForAll()
        }
        #expect(source.fetches == 1)
    }
}
