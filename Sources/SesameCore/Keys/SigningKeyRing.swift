import Crypto
import Foundation

/// The server's signing keys. On first start it makes an ES256 (P-256) key pair; the private key
/// is stored sealed, the public key as a JWK whose RFC 7638 thumbprint is its key id.
public struct SigningKeyRing: Sendable {
    private let store: any SigningKeyStore
    private let sealer: KeySealer
    private let clock: any WallClock

    public init(store: any SigningKeyStore, sealer: KeySealer, clock: any WallClock = SystemClock()) {
        self.store = store
        self.sealer = sealer
        self.clock = clock
    }

    /// Makes the first key if there is none; returns the current (newest) key.
    @discardableResult
    public func ensureKey() async throws -> StoredSigningKey {
        if let newest = try await store.signingKeys().max(by: { $0.createdAt < $1.createdAt }) {
            _ = try privateKey(of: newest)  // fail at start, not at first use, on a wrong data key
            return newest
        }
        let key = try makeES256Key()
        try await store.insert(key)
        return key
    }

    public func privateKey(of stored: StoredSigningKey) throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(rawRepresentation: sealer.open(stored.sealedPrivateKey, context: "signing-key:\(stored.kid)"))
    }

    func makeES256Key() throws -> StoredSigningKey {
        let privateKey = P256.Signing.PrivateKey()
        let jwk = ECPublicJWK(p256: privateKey.publicKey)
        let kid = jwk.thumbprint
        return StoredSigningKey(
            kid: kid, algorithm: "ES256", publicJWK: jwk.json(kid: kid),
            sealedPrivateKey: try sealer.seal(Array(privateKey.rawRepresentation), context: "signing-key:\(kid)"),
            createdAt: clock.now()
        )
    }
}

/// A P-256 public key as a JSON Web Key (RFC 7517/7518).
struct ECPublicJWK {
    var x: String
    var y: String

    init(p256 key: P256.Signing.PublicKey) {
        let raw = Array(key.rawRepresentation)  // x ‖ y, 32 bytes each
        x = Base64URL.encode(raw[0..<32])
        y = Base64URL.encode(raw[32..<64])
    }

    /// RFC 7638: SHA-256 over the required members in lexicographic order, no white space.
    var thumbprint: String {
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }

    func json(kid: String) -> String {
        #"{"alg":"ES256","crv":"P-256","kid":"\#(kid)","kty":"EC","use":"sig","x":"\#(x)","y":"\#(y)"}"#
    }
}
