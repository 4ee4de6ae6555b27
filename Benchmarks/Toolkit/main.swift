import Crypto
import CryptoExtras
import Foundation
import Hummingbird
import SesameClient
import SesameHummingbird
import SesameJOSE

// The app toolkit's costs, on a release build (Benchmarks/toolkit.sh runs it):
//   sesame-toolkit-bench verify [seconds]   token verifications per second on one core, ES256 and
//                                           RS256, beside the bare swift-crypto signature check
//   sesame-toolkit-bench serve PORT         a Hummingbird app with /open and /protected routes;
//                                           prints a bearer token for wrk

struct MemoryJWKS: JWKSSource {
    let json: String
    func fetch() async throws -> (json: String, maxAge: TimeInterval?) { (json, 3600) }
}

struct Fixture {
    let token: String
    let jwks: String
    let bare: () -> Bool

    static func make(_ algorithm: String) throws -> Fixture {
        let claims: [String: Any] = [
            "iss": "https://login.example", "aud": "bench", "sub": "u1", "exp": Int(Date().timeIntervalSince1970) + 3600,
            "roles": ["editor"], "scope": "openid",
        ]
        let header = Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: ["alg": algorithm, "kid": "k1", "typ": "at+jwt"])))
        let input = header + "." + Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: claims)))
        let bytes = Array(input.utf8)
        if algorithm == "ES256" {
            let key = P256.Signing.PrivateKey()
            let signature = try key.signature(for: bytes)
            let raw = Array(key.publicKey.rawRepresentation)
            let jwk = #"{"kty":"EC","crv":"P-256","kid":"k1","x":"\#(Base64URL.encode(Array(raw[0..<32])))","y":"\#(Base64URL.encode(Array(raw[32...])))"}"#
            // The bare check uses the public key as an app has it: rebuilt from the JWK.
            let publicKey = try P256.Signing.PublicKey(rawRepresentation: raw)
            return Fixture(token: input + "." + Base64URL.encode(Array(signature.rawRepresentation)), jwks: #"{"keys":[\#(jwk)]}"#,
                           bare: { publicKey.isValidSignature(signature, for: bytes) })
        }
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let signature = try key.signature(for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
        let numbers = try key.publicKey.getKeyPrimitives()
        let jwk = #"{"kty":"RSA","kid":"k1","n":"\#(Base64URL.encode(Array(numbers.modulus)))","e":"\#(Base64URL.encode(Array(numbers.publicExponent)))"}"#
        let publicKey = try _RSA.Signing.PublicKey(n: numbers.modulus, e: numbers.publicExponent)
        return Fixture(token: input + "." + Base64URL.encode(Array(signature.rawRepresentation)), jwks: #"{"keys":[\#(jwk)]}"#,
                       bare: { publicKey.isValidSignature(signature, for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5) })
    }
}

func rate(seconds: Double, _ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while clock.now - start < .milliseconds(Int64(seconds * 1000)) {
        for _ in 0..<100 { try await body() }
        count += 100
    }
    let elapsed = clock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "verify":
    let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3
    // Measured off the main actor, as a server's request handlers run: no actor hop per call.
    try await Task.detached {
        for algorithm in ["ES256", "RS256"] {
            let fixture = try Fixture.make(algorithm)
            let verifier = TokenVerifier(
                keys: JWKSCache(source: MemoryJWKS(json: fixture.jwks)), expectations: .accessToken(issuer: "https://login.example", audience: "bench")
            )
            _ = try await verifier.verify(fixture.token)  // warm the JWKS cache
            let bare = await rate(seconds: seconds) { precondition(fixture.bare()) }
            let full = try await rate(seconds: seconds) { _ = try await verifier.verify(fixture.token) }
            print(String(format: "%@: toolkit %.0f verifications/s, bare signature check %.0f/s, ratio %.0f%%", algorithm, full, bare, full / bare * 100))
        }
    }.value
case "serve":
    let port = arguments.count > 2 ? Int(arguments[2]) ?? 18200 : 18200
    let fixture = try Fixture.make("ES256")
    let metadata = ProviderMetadata(issuer: "https://login.example", authorization_endpoint: "https://login.example/authorize",
                                    token_endpoint: "https://login.example/token", jwks_uri: "https://login.example/jwks")
    let web = SesameWeb(settings: SesameAppSettings(issuer: metadata.issuer, clientID: "bench", clientSecret: "x", appURL: "http://127.0.0.1:\(port)",
                                                    cookieSecret: Array(repeating: 1, count: 32)),
                        metadata: metadata, keys: JWKSCache(source: MemoryJWKS(json: fixture.jwks)))
    let router = Router(context: SesameAppContext.self)
    router.get("/open") { _, _ in "hello" }
    router.group("/protected").add(middleware: web.authentication).add(middleware: web.require(.hasRole("editor"))).get { _, _ in "hello" }
    FileHandle.standardOutput.write(Data((fixture.token + "\n").utf8))
    try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port))).runService()
default:
    print("usage: sesame-toolkit-bench verify [seconds] | serve PORT")
}
