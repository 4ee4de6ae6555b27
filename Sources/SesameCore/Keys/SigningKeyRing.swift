import SesameJOSE
import Crypto
import CryptoExtras
import Foundation

/// The server's signing keys: one current key per algorithm (ES256, the default, and RS256 for
/// clients that need it). Private keys are stored sealed; public keys as JWKs whose RFC 7638
/// thumbprint is the key id.
public struct SigningKeyRing: Sendable {
    public static let algorithms = ["ES256", "RS256"]

    private let store: any SigningKeyStore
    private let sealer: KeySealer
    private let clock: any WallClock

    public init(store: any SigningKeyStore, sealer: KeySealer, clock: any WallClock = SystemClock()) {
        self.store = store
        self.sealer = sealer
        self.clock = clock
    }

    /// Makes a key for each algorithm that has none; checks that the current keys open with this
    /// data key (so a wrong key file fails at start, not at the first token).
    @discardableResult
    public func ensureKeys() async throws -> [StoredSigningKey] {
        let existing = try await store.signingKeys()
        for algorithm in Self.algorithms where !existing.contains(where: { $0.algorithm == algorithm }) {
            try await store.insert(try makeKey(algorithm))
        }
        let current = Self.current(try await store.signingKeys())
        for key in current { _ = try signer(for: key) }
        return current
    }

    /// New current keys for every algorithm; the previous ones stay published for a while.
    @discardableResult
    public func rotate() async throws -> [StoredSigningKey] {
        let keys = try Self.algorithms.map(makeKey)
        try await store.rotate(to: keys, at: clock.now())
        return keys
    }

    /// The current keys, decrypted, plus every public key still to be published.
    public func load(publishFor retention: TimeInterval) async throws -> KeySet {
        let all = try await store.signingKeys()
        let now = clock.now()
        let signers = try Self.current(all).map(signer(for:))
        let published = all.filter { key in key.supersededAt.map { now.timeIntervalSince($0) < retention } ?? true }
        return KeySet(signers: signers, publicJWKs: published.map(\.publicJWK))
    }

    public func signer(for stored: StoredSigningKey) throws -> JWTSigningKey {
        let raw = try sealer.open(stored.sealedPrivateKey, context: "signing-key:\(stored.kid)")
        switch stored.algorithm {
        case "ES256": return JWTSigningKey(kid: stored.kid, key: .es256(try P256.Signing.PrivateKey(rawRepresentation: raw)))
        case "RS256": return JWTSigningKey(kid: stored.kid, key: .rs256(try _RSA.Signing.PrivateKey(derRepresentation: raw)))
        default: throw KeyError.unknownAlgorithm(stored.algorithm)
        }
    }

    static func current(_ keys: [StoredSigningKey]) -> [StoredSigningKey] {
        algorithms.compactMap { algorithm in
            keys.filter { $0.algorithm == algorithm && $0.supersededAt == nil }.max { ($0.createdAt, $0.kid) < ($1.createdAt, $1.kid) }
        }
    }

    func makeKey(_ algorithm: String) throws -> StoredSigningKey {
        let jwk: PublicJWK
        let privateBytes: [UInt8]
        switch algorithm {
        case "ES256":
            let key = P256.Signing.PrivateKey()
            jwk = PublicJWK(p256: key.publicKey)
            privateBytes = Array(key.rawRepresentation)
        case "RS256":
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            jwk = try PublicJWK(rsa: key.publicKey)
            privateBytes = Array(key.derRepresentation)
        default:
            throw KeyError.unknownAlgorithm(algorithm)
        }
        let kid = jwk.thumbprint
        return StoredSigningKey(
            kid: kid, algorithm: algorithm, publicJWK: jwk.json(kid: kid),
            sealedPrivateKey: try sealer.seal(privateBytes, context: "signing-key:\(kid)"), createdAt: clock.now()
        )
    }
}

/// A public key as a JSON Web Key (RFC 7517/7518), with its RFC 7638 thumbprint.
struct PublicJWK {
    /// The required members, in lexicographic order, as RFC 7638 hashes them.
    var members: [(String, String)]
    var algorithm: String

    init(p256 key: P256.Signing.PublicKey) {
        let raw = Array(key.rawRepresentation)  // x ‖ y, 32 bytes each
        members = [("crv", "P-256"), ("kty", "EC"), ("x", Base64URL.encode(raw[0..<32])), ("y", Base64URL.encode(raw[32..<64]))]
        algorithm = "ES256"
    }

    init(rsa key: _RSA.Signing.PublicKey) throws {
        let primitives = try key.getKeyPrimitives()
        members = [("e", Base64URL.encode(primitives.publicExponent)), ("kty", "RSA"), ("n", Base64URL.encode(primitives.modulus))]
        algorithm = "RS256"
    }

    var thumbprint: String {
        let canonical = "{" + members.map { #""\#($0.0)":"\#($0.1)""# }.joined(separator: ",") + "}"
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }

    func json(kid: String) -> String {
        let all = (members + [("alg", algorithm), ("kid", kid), ("use", "sig")]).sorted { $0.0 < $1.0 }
        return "{" + all.map { #""\#($0.0)":"\#($0.1)""# }.joined(separator: ",") + "}"
    }
}
