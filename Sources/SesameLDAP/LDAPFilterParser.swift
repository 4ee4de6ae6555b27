/// A filter string that is not RFC 4515: what is wrong and where (a byte offset into the UTF-8
/// of the filter). Never carries the filter itself, which may hold a user's input.
public struct LDAPFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: Int

    public init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }

    public var description: String { "invalid LDAP filter at byte \(position): \(message)" }
}

extension LDAPFilter {
    /// Parses an RFC 4515 filter strictly: one parenthesised filter, `\XX` escapes only, no
    /// unescaped `*` outside substrings, no empty `&`/`|`. Values are kept as the bytes they
    /// denote; nesting deeper than `maxDepth` or text longer than `maxLength` bytes is refused.
    public static func parse(_ text: String, maxDepth: Int = 32, maxLength: Int = 65_536) throws(LDAPFilterError) -> LDAPFilter {
        try parseRecordingValues(Array(text.utf8), maxDepth: maxDepth, maxLength: maxLength).filter
    }

    /// The filter, and where in `bytes` its assertion values were.
    private static func parseRecordingValues(_ bytes: [UInt8], maxDepth: Int, maxLength: Int) throws(LDAPFilterError) -> (filter: LDAPFilter, values: [Range<Int>]) {
        guard bytes.count <= maxLength else { throw LDAPFilterError("longer than \(maxLength) bytes", at: maxLength) }
        var parser = LDAPFilterParser(bytes: bytes, maxDepth: maxDepth)
        let filter = try parser.filter(depth: 1)
        guard parser.index == bytes.count else { throw LDAPFilterError("text after the filter", at: parser.index) }
        return (filter, parser.valueRanges)
    }

    /// Fills `{name}` placeholders with `values[name]` escaped by `escape(_:)`, in one pass (a
    /// value that looks like a placeholder stays text), then parses. A `{name}` with no value
    /// is an error, so a misspelt placeholder never silently matches nothing; a `{` that does
    /// not open a `{name}` is kept as it is. A placeholder must stand where an assertion value
    /// stands (`(uid={login})`, `(cn={login}*)`): one in an attribute or matching-rule position
    /// is refused, so input can only ever be a value.
    public static func parse(template: String, values: [String: String], maxDepth: Int = 32, maxLength: Int = 65_536) throws(LDAPFilterError) -> LDAPFilter {
        let bytes = Array(template.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        // Where each substituted value landed in `output`, and where its placeholder was in the template.
        var substituted: [(Range<Int>, Int)] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"),
                let close = bytes[(index + 1)...].firstIndex(where: { !LDAPFilterParser.isPlaceholderByte($0) }),
                bytes[close] == UInt8(ascii: "}"), close > index + 1
            {
                let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                guard let value = values[name] else { throw LDAPFilterError("no value for placeholder {\(name)}", at: index) }
                let start = output.count
                output.append(contentsOf: escape(value).utf8)
                guard output.count <= maxLength else { throw LDAPFilterError("longer than \(maxLength) bytes", at: index) }
                substituted.append((start..<output.count, index))
                index = close + 1
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        let (filter, valueRanges) = try parseRecordingValues(output, maxDepth: maxDepth, maxLength: maxLength)
        for (range, templatePosition) in substituted where !valueRanges.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }) {
            throw LDAPFilterError("a placeholder must stand where a value does", at: templatePosition)
        }
        return filter
    }

    /// Escapes a value for use inside a filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL, and
    /// every byte that is not printable ASCII, become `\XX` (lower-case hex). The result has no
    /// byte that means anything to the filter syntax, so it can only ever be a value.
    public static func escape(_ value: String) -> String { escape(bytes: value.utf8) }

    /// The same for binary values (objectGUID, objectSid).
    public static func escape(bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes { LDAPFilterParser.appendEscaped(byte, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension LDAPFilter: CustomStringConvertible {
    /// The RFC 4515 string of this filter, values escaped as `escape(bytes:)` does.
    public var description: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(to out: inout [UInt8]) {
        func value(_ bytes: [UInt8]) { for byte in bytes { LDAPFilterParser.appendEscaped(byte, to: &out) } }
        func text(_ string: String) { out.append(contentsOf: string.utf8) }
        out.append(UInt8(ascii: "("))
        switch self {
        case .and(let filters):
            text("&")
            for filter in filters { filter.write(to: &out) }
        case .or(let filters):
            text("|")
            for filter in filters { filter.write(to: &out) }
        case .not(let filter):
            text("!")
            filter.write(to: &out)
        case .equalityMatch(let type, let bytes):
            text(type + "=")
            value(bytes)
        case .approxMatch(let type, let bytes):
            text(type + "~=")
            value(bytes)
        case .greaterOrEqual(let type, let bytes):
            text(type + ">=")
            value(bytes)
        case .lessOrEqual(let type, let bytes):
            text(type + "<=")
            value(bytes)
        case .present(let type):
            text(type + "=*")
        case .substrings(let type, let parts):
            text(type + "=")
            if let initial = parts.initial { value(initial) }
            text("*")
            for middle in parts.any {
                value(middle)
                text("*")
            }
            if let final = parts.final { value(final) }
        case .extensibleMatch(let assertion):
            if let type = assertion.type { text(type) }
            if assertion.dnAttributes { text(":dn") }
            if let rule = assertion.matchingRule { text(":" + rule) }
            text(":=")
            value(assertion.value)
        }
        out.append(UInt8(ascii: ")"))
    }
}

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
