import Crypto
import CryptoExtras
import Foundation
import Hummingbird
import SesameClient
import SesameHummingbird
import SesameJOSE

// The app toolkit's costs, on a release build (Benchmarks/toolkit.sh runs it):
//   sesame-toolkit-bench verify [seconds] [ALG...]
//                                           token verifications per second on one core, ES256 and
//                                           RS256 (or the ones named), beside the bare swift-crypto
//                                           signature check
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
        // Written as Sesame writes its tokens: slashes not escaped.
        let payload = try JSONSerialization.data(withJSONObject: claims, options: .withoutEscapingSlashes)
        let input = header + "." + Base64URL.encode(Array(payload))
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

/// Calls and seconds spent running `body` for about `seconds`.
func run(seconds: Double, _ body: () async throws -> Void) async rethrows -> (calls: Int, seconds: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while clock.now - start < .milliseconds(Int64(seconds * 1000)) {
        for _ in 0..<100 { try await body() }
        count += 100
    }
    let elapsed = clock.now - start
    return (count, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// Rates of `first` and `second` per second, measured in alternating rounds of a quarter second
/// so that drift in the machine's speed (frequency scaling, neighbours) falls on both alike.
func alternatingRates(seconds: Double, _ first: () async throws -> Void, _ second: () async throws -> Void) async rethrows -> (Double, Double) {
    var totals = [(calls: 0, seconds: 0.0), (calls: 0, seconds: 0.0)]
    for _ in 0..<max(1, Int(seconds / 0.25)) {
        let one = try await run(seconds: 0.25, first)
        let two = try await run(seconds: 0.25, second)
        totals[0].calls += one.calls
        totals[0].seconds += one.seconds
        totals[1].calls += two.calls
        totals[1].seconds += two.seconds
    }
    return (Double(totals[0].calls) / totals[0].seconds, Double(totals[1].calls) / totals[1].seconds)
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "verify":
    let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3
    // Measured off the main actor, as a server's request handlers run: no actor hop per call.
    let algorithms = arguments.count > 3 ? Array(arguments[3...]) : ["ES256", "RS256"]
    try await Task.detached {
        for algorithm in algorithms {
            let fixture = try Fixture.make(algorithm)
            let verifier = TokenVerifier(
                keys: JWKSCache(source: MemoryJWKS(json: fixture.jwks)), expectations: .accessToken(issuer: "https://login.example", audience: "bench")
            )
            _ = try await verifier.verify(fixture.token)  // warm the JWKS cache
            let (bare, full) = try await alternatingRates(seconds: seconds, { precondition(fixture.bare()) }, { _ = try await verifier.verify(fixture.token).user })
            print(String(format: "%@: toolkit %.0f verifications/s, bare signature check %.0f/s, ratio %.0f%%", algorithm, full, bare, full / bare * 100))
        }
    }.value
case "serve":
    let port = arguments.count > 2 ? Int(arguments[2]) ?? 18200 : 18200
    let fixture = try Fixture.make("ES256")
    let metadata = DiscoveryDocument(issuer: "https://login.example")
    let web = SesameWeb(settings: SesameAppSettings(issuer: metadata.issuer, clientID: "bench", clientSecret: "x", appURL: "http://127.0.0.1:\(port)",
                                                    cookieSecret: Array(repeating: 1, count: 32)),
                        metadata: metadata, keys: JWKSCache(source: MemoryJWKS(json: fixture.jwks)))
    let router = Router(context: SesameAppContext.self)
    router.get("/open") { _, _ in "hello" }
    router.group("/protected").add(middleware: web.authentication).add(middleware: web.require(.hasRole("editor"))).get { _, _ in "hello" }
    FileHandle.standardOutput.write(Data((fixture.token + "\n").utf8))
    try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port))).runService()
default:
    print("usage: sesame-toolkit-bench verify [seconds] [ES256|RS256...] | serve PORT")
}
