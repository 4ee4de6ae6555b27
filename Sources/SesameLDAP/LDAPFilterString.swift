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
