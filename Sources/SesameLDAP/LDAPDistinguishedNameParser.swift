/// RFC 4514 §3 over UTF-8 bytes.
struct LDAPDistinguishedNameParser {
    let bytes: [UInt8]
    let maxRDNs: Int
    var index = 0

    init(bytes: [UInt8], maxRDNs: Int) {
        self.bytes = bytes
        self.maxRDNs = maxRDNs
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }
    private func fail(_ message: String) -> LDAPDistinguishedNameError { LDAPDistinguishedNameError(message, at: index) }
    private mutating func skipSpaces() { while current == 0x20 { index += 1 } }

    mutating func distinguishedName() throws(LDAPDistinguishedNameError) -> [LDAPRelativeDistinguishedName] {
        skipSpaces()
        guard current != nil else { return [] }
        var rdns: [LDAPRelativeDistinguishedName] = []
        while true {
            guard rdns.count < maxRDNs else { throw fail("more than \(maxRDNs) RDNs") }
            var attributes = [try attributeTypeAndValue()]
            while current == UInt8(ascii: "+") {
                index += 1
                guard attributes.count < maxRDNs else { throw fail("more than \(maxRDNs) values in one RDN") }
                attributes.append(try attributeTypeAndValue())
            }
            rdns.append(LDAPRelativeDistinguishedName(attributes: attributes))
            guard let separator = current else { return rdns }
            guard separator == UInt8(ascii: ",") || separator == UInt8(ascii: ";") else { throw fail("expected , between RDNs") }
            index += 1
        }
    }

    private mutating func attributeTypeAndValue() throws(LDAPDistinguishedNameError) -> LDAPAttributeTypeAndValue {
        skipSpaces()
        let type = try attributeType()
        skipSpaces()
        guard current == UInt8(ascii: "=") else { throw current == nil ? fail("ends where = was expected") : fail("expected = after the attribute type") }
        index += 1
        skipSpaces()
        if current == UInt8(ascii: "#") { return LDAPAttributeTypeAndValue(type: type, value: try hexString(), isBER: true) }
        return LDAPAttributeTypeAndValue(type: type, value: try stringValue())
    }

    /// descr / numericoid (RFC 4512 §1.4); `oid.` prefixes (RFC 2253 readers) are not accepted.
    private mutating func attributeType() throws(LDAPDistinguishedNameError) -> String {
        let start = index
        guard let first = current else { throw fail("ends where an attribute type was expected") }
        if LDAPFilterParser.isAlpha(first) {
            while let byte = current, LDAPFilterParser.isAlpha(byte) || LDAPFilterParser.isDigit(byte) || byte == UInt8(ascii: "-") { index += 1 }
        } else if LDAPFilterParser.isDigit(first) {
            while true {
                let numberStart = index
                while let byte = current, LDAPFilterParser.isDigit(byte) { index += 1 }
                guard index > numberStart else { throw fail("empty number in a numeric OID") }
                guard bytes[numberStart] != UInt8(ascii: "0") || index == numberStart + 1 else {
                    throw LDAPDistinguishedNameError("leading zero in a numeric OID", at: numberStart)
                }
                guard current == UInt8(ascii: ".") else { break }
                index += 1
            }
        } else {
            throw fail("expected an attribute type")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func hexString() throws(LDAPDistinguishedNameError) -> [UInt8] {
        index += 1
        var value: [UInt8] = []
        while let high = current.flatMap(LDAPFilterParser.hexValue) {
            guard index + 1 < bytes.count, let low = LDAPFilterParser.hexValue(bytes[index + 1]) else { throw fail("odd number of hex digits") }
            value.append(high << 4 | low)
            index += 2
        }
        guard !value.isEmpty else { throw fail("# must be followed by hex digits") }
        skipSpaces()
        guard current == nil || [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "+")].contains(current!) else { throw fail("unexpected byte after a #hex value") }
        return value
    }

    /// A string value up to an unescaped `,` `;` `+` or the end; unescaped trailing spaces dropped.
    private mutating func stringValue() throws(LDAPDistinguishedNameError) -> [UInt8] {
        let start = index
        var value: [UInt8] = []
        var significant = 0  // length of `value` up to its last escaped or non-space byte
        loop: while let byte = current {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "+"):
                break loop
            case UInt8(ascii: "\\"):
                index += 1
                guard let next = current else { throw fail("\\ at the end") }
                if let high = LDAPFilterParser.hexValue(next) {
                    guard index + 1 < bytes.count, let low = LDAPFilterParser.hexValue(bytes[index + 1]) else { throw fail("\\ must be followed by two hex digits or a special character") }
                    value.append(high << 4 | low)
                    index += 2
                } else if Self.escapable.contains(next) {
                    value.append(next)
                    index += 1
                } else {
                    throw fail("\\ must be followed by two hex digits or a special character")
                }
                significant = value.count
            case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"):
                throw fail("unescaped special character in a value")
            case 0:
                throw fail("NUL in a value")
            default:
                value.append(byte)
                index += 1
                if byte != 0x20 { significant = value.count }
            }
        }
        value.removeLast(value.count - significant)
        // Escapes may spell any bytes; the value of a string-form attribute is UTF-8 text.
        guard String(validating: value, as: UTF8.self) != nil else { throw LDAPDistinguishedNameError("value is not UTF-8", at: start) }
        return value
    }

    static let escapable: Set<UInt8> = Set("\"+,;<>\\ #=".utf8)

    static func hex(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
    }

    static func appendEscaped(_ value: [UInt8], to out: inout [UInt8]) {
        for (offset, byte) in value.enumerated() {
            let alwaysSpecial = "\"+,;<>\\".utf8.contains(byte)
            let leading = offset == 0 && (byte == 0x20 || byte == UInt8(ascii: "#"))
            let trailing = offset == value.count - 1 && byte == 0x20
            if byte < 0x20 || byte == 0x7f {
                out.append(0x5c)
                out.append(contentsOf: hex(byte))
            } else if alwaysSpecial || leading || trailing {
                out.append(0x5c)
                out.append(byte)
            } else {
                out.append(byte)
            }
        }
    }
}
