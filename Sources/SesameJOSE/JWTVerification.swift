import Crypto
import CryptoExtras
import Foundation

/// A public key that checks JWS signatures, built from one of Sesame's published JWKs.
public struct JWTVerificationKey: Sendable {
    public init(kid: String, es256 key: P256.Signing.PublicKey) {
        self.kid = kid
        self.key = .es256(key)
    }

    public init(kid: String, rs256 key: _RSA.Signing.PublicKey) {
        self.kid = kid
        self.key = .rs256(key)
    }

    enum Key: Sendable {
        case es256(P256.Signing.PublicKey)
        case rs256(_RSA.Signing.PublicKey)
    }

    let key: Key
    public let kid: String

    /// Reads an EC P-256 or RSA public JWK; nil for anything else.
    public init?(jwk json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        self.init(jwk: object)
    }

    /// Every usable signing key of a JWK Set (`{"keys": [...]}`).
    public static func keys(fromJWKS json: String) -> [JWTVerificationKey] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let keys = object["keys"] as? [[String: Any]]
        else { return [] }
        return keys.filter { ($0["use"] as? String ?? "sig") == "sig" }.compactMap { JWTVerificationKey(jwk: $0) }
    }

    public init?(jwk object: [String: Any]) {
        guard let kty = object["kty"] as? String else { return nil }
        self.kid = object["kid"] as? String ?? ""
        switch kty {
        case "EC":
            guard object["crv"] as? String == "P-256", let x = (object["x"] as? String).flatMap(Base64URL.decode),
                let y = (object["y"] as? String).flatMap(Base64URL.decode), x.count == 32, y.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            self.key = .es256(key)
        case "RSA":
            guard let n = (object["n"] as? String).flatMap(Base64URL.decode), let e = (object["e"] as? String).flatMap(Base64URL.decode),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { return nil }
            self.key = .rs256(key)
        default:
            return nil
        }
    }

    public var algorithm: String {
        switch key {
        case .es256: "ES256"
        case .rs256: "RS256"
        }
    }

    public func verify(signature: [UInt8], signingInput: [UInt8]) -> Bool {
        switch key {
        case .es256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: signingInput)
        case .rs256(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5)
        }
    }
}

/// A compact JWS whose signature has been checked; claims are parsed but not yet judged.
public struct VerifiedJWT: @unchecked Sendable {
    public let header: [String: Any]
    public let claims: [String: Any]

    public func string(_ name: String) -> String? { claims[name] as? String }
    public func number(_ name: String) -> Double? { (claims[name] as? NSNumber)?.doubleValue }

    /// `aud` as a list, whether the token carries a string or an array.
    public var audiences: [String] {
        if let one = claims["aud"] as? String { return [one] }
        return claims["aud"] as? [String] ?? []
    }

    /// Splits and checks a compact JWS against `keys` (by `kid`). Only ES256 and RS256 are
    /// accepted, and only with the key the `kid` names: never `none`, never an HMAC.
    public static func verify(_ token: String, keys: [String: JWTVerificationKey], kidOverride: String? = nil) -> VerifiedJWT? {
        guard let jws = CompactJWS(token), let kid = kidOverride ?? jws.kid, let key = keys[kid] else { return nil }
        return jws.verified(with: key)
    }
}

/// A compact JWS split and its header read, before any key is chosen: the header says which
/// key (`kid`) and algorithm; `verified(with:)` then checks the signature and reads the claims.
public struct CompactJWS: @unchecked Sendable {
    public let header: [String: Any]
    let signingInput: [UInt8]
    let payload: ArraySlice<UInt8>
    let signature: [UInt8]

    public init?(_ token: String) {
        // Split as bytes: splitting a String walks grapheme clusters, which costs more than the JSON.
        let bytes = Array(token.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, bytes.count < 16_384, let headerBytes = Base64URL.decode(bytes: parts[0]),
            let signature = Base64URL.decode(bytes: parts[2]),
            let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any]
        else { return nil }
        self.header = header
        self.signature = signature
        self.payload = parts[1]
        signingInput = Array(bytes[parts[0].startIndex..<parts[1].endIndex])
    }

    public var algorithm: String? { header["alg"] as? String }
    public var kid: String? { header["kid"] as? String }

    /// The claims, when `key` is of the header's algorithm and the signature is its.
    public func verified(with key: JWTVerificationKey) -> VerifiedJWT? {
        guard algorithm == key.algorithm, key.verify(signature: signature, signingInput: signingInput),
            let payloadBytes = Base64URL.decode(bytes: payload),
            let claims = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any]
        else { return nil }
        return VerifiedJWT(header: header, claims: claims)
    }
}
