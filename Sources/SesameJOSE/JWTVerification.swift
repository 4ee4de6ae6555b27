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
        guard let object = (try? JSONValue(parsing: json.utf8))?.object else { return nil }
        self.init(jwk: object)
    }

    /// Every usable signing key of a JWK Set (`{"keys": [...]}`).
    public static func keys(fromJWKS json: String) -> [JWTVerificationKey] {
        guard let keys = (try? JSONValue(parsing: json.utf8))?.object?["keys"]?.array else { return [] }
        return keys.compactMap(\.object).filter { ($0["use"]?.string ?? "sig") == "sig" }.compactMap { JWTVerificationKey(jwk: $0) }
    }

    public init?(jwk object: [String: JSONValue]) {
        func bytes(_ name: String) -> [UInt8]? { object[name]?.string.flatMap(Base64URL.decode) }
        self.kid = object["kid"]?.string ?? ""
        switch object["kty"]?.string {
        case "EC":
            guard object["crv"]?.string == "P-256", let x = bytes("x"), let y = bytes("y"), x.count == 32, y.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            self.key = .es256(key)
        case "RSA":
            guard let n = bytes("n"), let e = bytes("e"), let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
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

    public func verify(signature: [UInt8], signingInput: ArraySlice<UInt8>) -> Bool {
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
public struct VerifiedJWT: Sendable {
    public let header: [String: JSONValue]
    public let claims: [String: JSONValue]

    public func string(_ name: String) -> String? { claims[name]?.string }
    public func number(_ name: String) -> Double? { claims[name]?.number }

    /// `aud` as a list, whether the token carries a string or an array.
    public var audiences: [String] {
        if let one = claims["aud"]?.string { return [one] }
        return claims["aud"]?.strings ?? []
    }

    /// Splits and checks a compact JWS against `keys` (by `kid`). Only ES256 and RS256 are
    /// accepted, and only with the key the `kid` names: never `none`, never an HMAC.
    public static func verify(_ token: String, keys: [String: JWTVerificationKey]) -> VerifiedJWT? {
        guard let jws = CompactJWS(token), let kid = jws.kid, let key = keys[kid] else { return nil }
        return jws.verified(with: key)
    }
}

/// A compact JWS split and its header read, before any key is chosen: the header says which
/// key (`kid`) and algorithm; `verified(with:)` then checks the signature and reads the claims.
public struct CompactJWS: Sendable {
    public let header: [String: JSONValue]
    /// The header's `alg`, `kid` and `typ` (`at+jwt` for RFC 9068 access tokens).
    public let algorithm: String?, kid: String?, type: String?
    let signingInput: ArraySlice<UInt8>
    let payload: ArraySlice<UInt8>
    let signature: [UInt8]

    public init?(_ token: String) {
        // Split as bytes: splitting a String walks grapheme clusters, which costs more than the JSON.
        let bytes = Array(token.utf8)
        guard bytes.count < 16_384, let (first, second) = Self.dots(bytes), let headerBytes = Base64URL.decode(bytes: bytes[..<first]), let signature = Base64URL.decode(bytes: bytes[(second + 1)...]),
            let header = JSONValue.object(parsing: headerBytes)
        else { return nil }
        self.header = header
        (algorithm, kid, type) = (header["alg"]?.string, header["kid"]?.string, header["typ"]?.string)
        self.signature = signature
        payload = bytes[(first + 1)..<second]
        signingInput = bytes[..<second]
    }

    /// Where the two dots of a compact JWS are; nil unless there are exactly two.
    static func dots(_ bytes: [UInt8]) -> (Int, Int)? {
        bytes.withUnsafeBytes { bytes in
            func dot(after start: Int) -> Int? {
                guard start < bytes.count, let found = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: ".")), bytes.count - start) else { return nil }
                return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            guard let first = dot(after: 0), let second = dot(after: first + 1), dot(after: second + 1) == nil else { return nil }
            return (first, second)
        }
    }

    /// The claims, when `key` is of the header's algorithm and the signature is its.
    public func verified(with key: JWTVerificationKey) -> VerifiedJWT? {
        guard algorithm == key.algorithm, key.verify(signature: signature, signingInput: signingInput),
            let claims = unverifiedClaims
        else { return nil }
        return VerifiedJWT(header: header, claims: claims)
    }

    /// The claims before any signature check: only to learn who claims to have signed the token
    /// (a client assertion's `iss`), never to trust them.
    public var unverifiedClaims: [String: JSONValue]? {
        Base64URL.decode(bytes: payload).flatMap(JSONValue.object(parsing:))
    }
}
