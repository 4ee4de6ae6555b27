import SesameJOSE
import Synchronization
import Crypto
import CryptoExtras
import Foundation

/// A private signing key held in memory, outside any actor, so that signing scales with cores.
public struct JWTSigningKey: Sendable {
    public enum Key: Sendable {
        case es256(P256.Signing.PrivateKey)
        case rs256(_RSA.Signing.PrivateKey)
    }

    public let kid: String
    public let key: Key

    public init(kid: String, key: Key) {
        self.kid = kid
        self.key = key
    }

    public var signingAlgorithm: SigningAlgorithm {
        switch key {
        case .es256: .es256
        case .rs256: .rs256
        }
    }

    public var algorithm: String { signingAlgorithm.rawValue }

    /// A compact JWS (RFC 7515) over `payload`, with `typ` in the header.
    public func sign(payload: [UInt8], type: String) throws -> String {
        let header = #"{"alg":"\#(algorithm)","kid":"\#(kid)","typ":"\#(type)"}"#
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        let signature: [UInt8]
        switch key {
        case .es256(let privateKey):
            // JWS wants the raw r ‖ s form, not DER (RFC 7518 §3.4).
            signature = Array(try privateKey.signature(for: Array(signingInput.utf8)).rawRepresentation)
        case .rs256(let privateKey):
            signature = Array(try privateKey.signature(for: SHA256.hash(data: Array(signingInput.utf8)), padding: .insecurePKCS1v1_5).rawRepresentation)
        }
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The left half of the SHA-256 of a token, as `at_hash` wants it (OIDC Core §3.1.3.6).
    public static func leftHalfHash(_ token: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(token.utf8))).prefix(16))
    }
}

/// The keys in use: one signer per algorithm and the public keys to publish.
public struct KeySet: Sendable {
    public let signers: [JWTSigningKey]
    public let publicJWKs: [String]
    /// Every published key by kid, for checking tokens Sesame signed.
    public let verificationKeys: [String: JWTVerificationKey]

    public init(signers: [JWTSigningKey], publicJWKs: [String]) {
        self.signers = signers
        self.publicJWKs = publicJWKs
        self.verificationKeys = Dictionary(
            publicJWKs.compactMap(JWTVerificationKey.init(jwk:)).map { ($0.kid, $0) }, uniquingKeysWith: { first, _ in first }
        )
    }

    /// The key for exactly this algorithm: a token promised in RS256 must never go out in ES256.
    public func signer(for algorithm: SigningAlgorithm) -> JWTSigningKey? {
        signers.first { $0.signingAlgorithm == algorithm }
    }

    /// By JWS name, as a client's registration stores it; nil for a name not registered.
    public func signer(for name: String) -> JWTSigningKey? {
        SigningAlgorithm(rawValue: name).flatMap { signer(for: $0) }
    }

    /// The JWK Set document, `{"keys":[...]}`.
    public var jwksJSON: String { #"{"keys":["# + publicJWKs.joined(separator: ",") + "]}" }
}

/// Holds the current `KeySet`; the server swaps in a fresh one when keys rotate.
public final class KeySetHolder: Sendable {
    private let storage: Mutex<KeySet>

    public init(_ keys: KeySet) { storage = Mutex(keys) }

    public var current: KeySet { storage.withLock { $0 } }
    public func replace(with keys: KeySet) { storage.withLock { $0 = keys } }
}
