/// The RFC 4515 grammar over UTF-8 bytes (never Swift Characters: a combining mark after `)`
/// must not hide the parenthesis).
struct LDAPFilterParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0
    /// Where each assertion value was, so templates can check their placeholders stood there.
    var valueRanges: [Range<Int>] = []

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    static func isPlaceholderByte(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isAlpha(_ byte: UInt8) -> Bool { (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        let special = byte == 0x2a || byte == 0x28 || byte == 0x29 || byte == 0x5c
        if special || byte < 0x20 || byte >= 0x7f {
            let hex = Array("0123456789abcdef".utf8)
            out.append(0x5c)
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        } else {
            out.append(byte)
        }
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func fail(_ message: String) -> LDAPFilterError { LDAPFilterError(message, at: index) }

    private mutating func expect(_ ascii: Unicode.Scalar) throws(LDAPFilterError) {
        guard current == UInt8(ascii: ascii) else {
            throw current == nil ? fail("ends where \"\(ascii)\" was expected") : fail("expected \"\(ascii)\"")
        }
        index += 1
    }

    mutating func filter(depth: Int) throws(LDAPFilterError) -> LDAPFilter {
        guard depth <= maxDepth else { throw fail("nested deeper than \(maxDepth)") }
        try expect("(")
        let result: LDAPFilter
        switch current {
        case UInt8(ascii: "&"):
            index += 1
            result = .and(try list(depth: depth))
        case UInt8(ascii: "|"):
            index += 1
            result = .or(try list(depth: depth))
        case UInt8(ascii: "!"):
            index += 1
            result = .not(try filter(depth: depth + 1))
        default:
            result = try item()
        }
        try expect(")")
        return result
    }

    private mutating func list(depth: Int) throws(LDAPFilterError) -> [LDAPFilter] {
        var filters: [LDAPFilter] = []
        while current == UInt8(ascii: "(") { filters.append(try filter(depth: depth + 1)) }
        guard !filters.isEmpty else { throw fail("& and | need at least one filter") }
        return filters
    }

    private mutating func item() throws(LDAPFilterError) -> LDAPFilter {
        if current == UInt8(ascii: ":") { return try extensible(type: nil) }
        let type = try attributeDescription()
        switch current {
        case UInt8(ascii: ":"):
            return try extensible(type: type)
        case UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "<"):
            let kind = current!
            index += 1
            try expect("=")
            let parts = try valueParts()
            guard parts.count == 1 else { throw fail("unescaped * in a ~=, >= or <= value") }
            switch kind {
            case UInt8(ascii: "~"): return .approxMatch(type, parts[0])
            case UInt8(ascii: ">"): return .greaterOrEqual(type, parts[0])
            default: return .lessOrEqual(type, parts[0])
            }
        case UInt8(ascii: "="):
            index += 1
            let start = index
            let parts = try valueParts()
            if parts.count == 1 { return .equalityMatch(type, parts[0]) }
            if parts.count == 2 && parts[0].isEmpty && parts[1].isEmpty { return .present(type) }
            let middle = parts.dropFirst().dropLast()
            guard !middle.contains(where: \.isEmpty) else { throw LDAPFilterError("empty substring between two *", at: start) }
            return .substrings(type, LDAPSubstrings(
                initial: parts[0].isEmpty ? nil : parts[0], any: Array(middle), final: parts.last!.isEmpty ? nil : parts.last!))
        default:
            throw current == nil ? fail("ends inside an item") : fail("expected =, ~=, >=, <= or :")
        }
    }

    /// `[attr] [:dn] [:rule] := value`; without an attribute the rule is required.
    private mutating func extensible(type: String?) throws(LDAPFilterError) -> LDAPFilter {
        var assertion = LDAPMatchingRuleAssertion(type: type, value: [])
        if isAt(":dn:") {
            assertion.dnAttributes = true
            index += 3
        }
        if current == UInt8(ascii: ":") && !isAt(":=") {
            index += 1
            assertion.matchingRule = try oid()
        }
        guard isAt(":=") else { throw fail("expected := in an extensible match") }
        guard assertion.type != nil || assertion.matchingRule != nil else { throw fail("an extensible match needs a type or a matching rule") }
        index += 2
        let parts = try valueParts()
        guard parts.count == 1 else { throw fail("unescaped * in an extensible match value") }
        assertion.value = parts[0]
        return .extensibleMatch(assertion)
    }

    private func isAt(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard index + expected.count <= bytes.count else { return false }
        return zip(bytes[index..<(index + expected.count)], expected).allSatisfy { LDAPAttributeName.asciiLower($0) == $1 }
    }

    /// attributedescription = attributetype options (RFC 4512 §2.5).
    private mutating func attributeDescription() throws(LDAPFilterError) -> String {
        let start = index
        _ = try oid()
        while current == UInt8(ascii: ";") {
            index += 1
            let optionStart = index
            while let byte = current, Self.isAlpha(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "-") { index += 1 }
            guard index > optionStart else { throw fail("empty attribute option") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// oid = descr / numericoid (RFC 4512 §1.4).
    private mutating func oid() throws(LDAPFilterError) -> String {
        let start = index
        guard let first = current else { throw fail("ends where an attribute or OID was expected") }
        if Self.isAlpha(first) {
            while let byte = current, Self.isAlpha(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "-") { index += 1 }
        } else if Self.isDigit(first) {
            while true {
                let numberStart = index
                while let byte = current, Self.isDigit(byte) { index += 1 }
                guard index > numberStart else { throw fail("empty number in a numeric OID") }
                guard bytes[numberStart] != UInt8(ascii: "0") || index == numberStart + 1 else {
                    throw LDAPFilterError("leading zero in a numeric OID", at: numberStart)
                }
                guard current == UInt8(ascii: "."), index + 1 < bytes.count, Self.isDigit(bytes[index + 1]) else { break }
                index += 1
            }
        } else {
            throw fail("expected an attribute description or OID")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A value up to the closing `)`, split at unescaped `*`; each part unescaped.
    private mutating func valueParts() throws(LDAPFilterError) -> [[UInt8]] {
        let start = index
        defer { valueRanges.append(start..<index) }
        var parts: [[UInt8]] = [[]]
        while let byte = current, byte != UInt8(ascii: ")") {
            switch byte {
            case UInt8(ascii: "*"):
                parts.append([])
                index += 1
            case UInt8(ascii: "\\"):
                guard index + 2 < bytes.count, let high = Self.hexValue(bytes[index + 1]), let low = Self.hexValue(bytes[index + 2]) else {
                    throw fail("\\ must be followed by two hex digits")
                }
                parts[parts.count - 1].append(high << 4 | low)
                index += 3
            case UInt8(ascii: "("):
                throw fail("unescaped ( in a value")
            case 0:
                throw fail("NUL in a value")
            default:
                parts[parts.count - 1].append(byte)
                index += 1
            }
        }
        return parts
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
