/// A distinguished name (RFC 4514), parsed into RDNs. Two DNs are equal (and hash alike) when
/// their normalized forms are: attribute types without regard to ASCII case, values compared
/// after unescaping and without regard to ASCII case, multi-valued RDNs in any order. Types are
/// not mapped between names and OIDs, and no Unicode folding is done: both would need the schema.
public struct LDAPDistinguishedName: Sendable, Hashable, CustomStringConvertible {
    public var rdns: [LDAPRelativeDistinguishedName]

    public init(rdns: [LDAPRelativeDistinguishedName]) { self.rdns = rdns }

    /// Parses RFC 4514 text. Besides the strict grammar it accepts spaces around `,`, `+` and
    /// `=` (people write `dc=example, dc=com` in settings) and `;` as a separator (RFC 1779).
    public init(parsing text: String, maxLength: Int = 65_536, maxRDNs: Int = 512) throws(LDAPDistinguishedNameError) {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxLength else { throw LDAPDistinguishedNameError("longer than \(maxLength) bytes", at: maxLength) }
        var parser = LDAPDistinguishedNameParser(bytes: bytes, maxRDNs: maxRDNs)
        rdns = try parser.distinguishedName()
    }

    /// The RFC 4514 string, with values escaped by `escapeValue` (hex values stay `#hex`).
    public var description: String { rdns.map(\.description).joined(separator: ",") }

    /// A canonical string: equal for equivalent DNs, usable as a dictionary key or in logs.
    public var normalized: String { rdns.map(\.normalized).joined(separator: ",") }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.normalized == rhs.normalized }
    public func hash(into hasher: inout Hasher) { hasher.combine(normalized) }

    /// The DN one level up; nil for the empty DN.
    public var parent: LDAPDistinguishedName? { rdns.isEmpty ? nil : LDAPDistinguishedName(rdns: Array(rdns.dropFirst())) }

    /// Whether this DN is `base` or lies below it.
    public func isWithin(_ base: LDAPDistinguishedName) -> Bool {
        rdns.count >= base.rdns.count && zip(rdns.suffix(base.rdns.count), base.rdns).allSatisfy { $0.normalized == $1.normalized }
    }

    /// Whether two DN strings name the same entry; false when either is not a DN.
    public static func equivalent(_ a: String, _ b: String) -> Bool {
        guard let left = try? LDAPDistinguishedName(parsing: a), let right = try? LDAPDistinguishedName(parsing: b) else { return false }
        return left == right
    }

    /// Escapes an attribute value for a DN string (RFC 4514 §2.4): `"` `+` `,` `;` `<` `>` `\`
    /// anywhere, `#` and space at the start, space at the end, NUL and other control bytes as
    /// `\XX`. Works on UTF-8 bytes; non-ASCII text is kept as it is.
    public static func escapeValue(_ value: String) -> String {
        var out: [UInt8] = []
        LDAPDistinguishedNameParser.appendEscaped(Array(value.utf8), to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// One RDN: usually one type and value, several joined by `+` in a multi-valued RDN.
public struct LDAPRelativeDistinguishedName: Sendable, Equatable, CustomStringConvertible {
    public var attributes: [LDAPAttributeTypeAndValue]

    public init(attributes: [LDAPAttributeTypeAndValue]) { self.attributes = attributes }

    public init(type: String, value: String) {
        attributes = [LDAPAttributeTypeAndValue(type: type, value: Array(value.utf8))]
    }

    public var description: String { attributes.map(\.description).joined(separator: "+") }

    /// The multi-valued parts sorted, so their order does not matter.
    var normalized: String { attributes.map(\.normalized).sorted().joined(separator: "+") }
}

public struct LDAPAttributeTypeAndValue: Sendable, Equatable, CustomStringConvertible {
    public var type: String
    /// The value's bytes after unescaping; for a `#hex` value, the BER encoding it spelled.
    public var value: [UInt8]
    /// Whether the value was written `#hex` (RFC 4514 §2.4): `value` is then BER.
    public var isBER: Bool

    public init(type: String, value: [UInt8], isBER: Bool = false) {
        self.type = type
        self.value = value
        self.isBER = isBER
    }

    /// The value as text, when it is a string value (not `#hex`).
    public var stringValue: String? { isBER ? nil : String(validating: value, as: UTF8.self) }

    public var description: String {
        var out = Array(type.utf8)
        out.append(UInt8(ascii: "="))
        if isBER {
            out.append(UInt8(ascii: "#"))
            for byte in value { out.append(contentsOf: LDAPDistinguishedNameParser.hex(byte)) }
        } else {
            LDAPDistinguishedNameParser.appendEscaped(value, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    var normalized: String {
        var comparable = value
        // A #hex value that is a primitive string (OCTET STRING, UTF8String, PrintableString,
        // IA5String) compares as its text, so `cn=#0c024869` equals `cn=Hi`.
        if isBER, value.count >= 2, [0x04, 0x0c, 0x13, 0x16].contains(value[0]), Int(value[1]) == value.count - 2 {
            comparable = Array(value[2...])
        }
        var out = type.utf8.map(LDAPAttributeName.asciiLower)
        out.append(UInt8(ascii: "="))
        LDAPDistinguishedNameParser.appendEscaped(comparable.map(LDAPAttributeName.asciiLower), to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A DN string that is not RFC 4514: what and where (a byte offset); never the DN itself.
public struct LDAPDistinguishedNameError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: Int

    public init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }

    public var description: String { "invalid DN at byte \(position): \(message)" }
}
