/// One JSON object written straight into UTF-8 bytes, for the answers and claims on the token
/// paths: `JSONEncoder` cost as much as the ES256 signature there. Members are added in the order
/// given; a nil value leaves its member out, as the `Encodable` types here do. Strings are escaped
/// on bytes (RFC 8259 §7): `"`, `\` and the C0 controls; everything else is copied, `/` included.
public struct JSONObjectWriter: Sendable {
    private var bytes: [UInt8]
    private var empty = true

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    public mutating func add(_ name: ClaimName, _ value: String?) {
        guard let value else { return }
        member(name)
        Self.appendString(value, to: &bytes)
    }

    public mutating func add(_ name: ClaimName, _ value: Int?) {
        guard let value else { return }
        member(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func add(_ name: ClaimName, _ value: Bool?) {
        guard let value else { return }
        member(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func add(_ name: ClaimName, _ values: [String]?) {
        guard let values else { return }
        member(name)
        Self.appendArray(values, to: &bytes)
    }

    /// The finished object.
    public var json: [UInt8] { bytes + [UInt8(ascii: "}")] }

    /// A JSON array of strings on its own (the store keeps lists in this form).
    public static func array(_ values: [String]) -> String {
        var bytes: [UInt8] = []
        appendArray(values, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendArray(_ values: [String], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func member(_ name: ClaimName) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        Self.appendString(name.rawValue, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Tokens, ids and scopes have nothing to escape: copied in one go.
        // (Scanned over the contiguous bytes of a native string: through `String.UTF8View` the scan
        // of a 400-byte access token showed in the token endpoint's profile.)
        let escapes: (UInt8) -> Bool = { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        guard value.utf8.withContiguousStorageIfAvailable({ $0.contains(where: escapes) }) ?? value.utf8.contains(where: escapes) else {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(contentsOf: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension TokenResponse {
    /// The answer as JSON, members in name order as the server's `JSONEncoder` wrote them.
    public var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.add(ClaimName(rawValue: "access_token"), access_token)
        writer.add(ClaimName(rawValue: "expires_in"), expires_in)
        writer.add(ClaimName(rawValue: "id_token"), id_token)
        writer.add(ClaimName(rawValue: "refresh_token"), refresh_token)
        writer.add(.scope, scope)
        writer.add(ClaimName(rawValue: "token_type"), token_type)
        return writer.json
    }
}

extension IntrospectionResponse {
    /// The answer as JSON, members in name order as the server's `JSONEncoder` wrote them.
    public var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.add(ClaimName(rawValue: "active"), active)
        writer.add(.audience, aud)
        writer.add(.clientID, client_id)
        writer.add(.expiresAt, exp)
        writer.add(.issuedAt, iat)
        writer.add(.issuer, iss)
        writer.add(.tokenID, jti)
        writer.add(.scope, scope)
        writer.add(.subject, sub)
        writer.add(ClaimName(rawValue: "token_type"), token_type)
        writer.add(ClaimName(rawValue: "username"), username)
        return writer.json
    }
}
