/// Why a text is not JSON, and at which byte.
public struct JSONParseError: Error, Equatable, Sendable {
    public let offset: Int
    public let reason: String
}

extension JSONValue {
    /// Parses one JSON text from its UTF-8 bytes, strictly: RFC 8259's grammar and nothing more
    /// (no comments, trailing commas, byte-order mark, `NaN`, or invalid UTF-8), no duplicate
    /// member names (RFC 7515 §4 allows refusing them), at most 64 levels of nesting, and only
    /// numbers a `Double` holds.
    ///
    /// Written for JOSE: Foundation's `JSONSerialization` cost more than an RSA signature check.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        let result = bytes.withContiguousStorageIfAvailable(JSONParser.parse) ?? Array(bytes).withUnsafeBufferPointer(JSONParser.parse)
        self = try result.get()
    }

    /// Parses a JSON object, nil for anything else.
    static func object(parsing bytes: [UInt8]) -> [String: JSONValue]? {
        guard case .success(.object(let members)) = bytes.withUnsafeBufferPointer(JSONParser.parse) else { return nil }
        return members
    }
}

/// A recursive-descent parser over a byte buffer.
struct JSONParser {
    static let maximumDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: bytes)
        return Result { () throws(JSONParseError) in
            parser.skipWhitespace()
            let value = try parser.value()
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw parser.error("text after the value") }
            return value
        }
    }

    func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    var next: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == .space || bytes[index] == .tab || bytes[index] == .lineFeed || bytes[index] == .carriageReturn {
            index += 1
        }
    }

    mutating func value() throws(JSONParseError) -> JSONValue {
        guard let byte = next else { throw error("unexpected end of the text") }
        switch byte {
        case .openBrace: return .object(try object())
        case .openBracket: return .array(try array())
        case .quote: return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case .minus, UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let matches = word.withUTF8Buffer { word in
            bytes.count - index >= word.count && word.indices.allSatisfy { bytes[index + $0] == word[$0] }
        }
        guard matches else { throw error("unexpected characters") }
        index += word.utf8CodeUnitCount
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested too deep") }
        index += 1
        skipWhitespace()
    }

    mutating func object() throws(JSONParseError) -> [String: JSONValue] {
        try enter()
        // Room for a JOSE header or a token's claims without growing (and rehashing) on the way.
        var members = [String: JSONValue](minimumCapacity: 8)
        if next == .closeBrace {
            index += 1
            depth -= 1
            return members
        }
        while true {
            guard next == .quote else { throw error("expected a member name") }
            let nameOffset = index
            let name = try string()
            skipWhitespace()
            guard next == .colon else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            guard members.updateValue(try value(), forKey: name) == nil else {
                throw JSONParseError(offset: nameOffset, reason: "duplicate member name")
            }
            skipWhitespace()
            switch next {
            case .comma:
                index += 1
                skipWhitespace()
            case .closeBrace:
                index += 1
                depth -= 1
                return members
            default:
                throw error("expected ',' or '}'")
            }
        }
    }

    mutating func array() throws(JSONParseError) -> [JSONValue] {
        try enter()
        var elements = [JSONValue]()
        if next == .closeBracket {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            switch next {
            case .comma:
                index += 1
                skipWhitespace()
            case .closeBracket:
                index += 1
                depth -= 1
                return elements
            default:
                throw error("expected ',' or ']'")
            }
        }
    }

    /// A string without escapes is made straight from the buffer; one with escapes is rebuilt.
    mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == .quote {
                let content = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: content, as: UTF8.self) }
                guard let text = String(validating: content, as: UTF8.self) else { throw JSONParseError(offset: start, reason: "invalid UTF-8") }
                return text
            }
            if byte == .backslash { return try escapedString(from: start) }
            guard byte >= 0x20 else { throw error("control character in a string") }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw error("unterminated string")
    }

    mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        var utf8 = [UInt8]()
        utf8.reserveCapacity(bytes.count - start)
        utf8.append(contentsOf: bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case .quote:
                guard let text = String(validating: utf8, as: UTF8.self) else { throw JSONParseError(offset: start, reason: "invalid UTF-8") }
                return text
            case .backslash:
                guard let escape = next else { break }
                index += 1
                switch escape {
                case .quote, .backslash, .slash: utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(.lineFeed)
                case UInt8(ascii: "r"): utf8.append(.carriageReturn)
                case UInt8(ascii: "t"): utf8.append(.tab)
                case UInt8(ascii: "u"): UTF8.encode(try escapedScalar()) { utf8.append($0) }
                default: throw JSONParseError(offset: index - 2, reason: "invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw JSONParseError(offset: index - 1, reason: "control character in a string") }
                let run = index - 1
                while index < bytes.count, bytes[index] != .quote, bytes[index] != .backslash, bytes[index] >= 0x20 { index += 1 }
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
            }
        }
        throw error("unterminated string")
    }

    /// `\uXXXX`, or two of them for a surrogate pair; a lone surrogate is refused.
    mutating func escapedScalar() throws(JSONParseError) -> Unicode.Scalar {
        let offset = index - 2
        let first = try hexQuad()
        var value = first
        if (0xD800...0xDBFF).contains(first) {
            guard bytes.count - index >= 2, bytes[index] == .backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(offset: offset, reason: "lone surrogate")
            }
            index += 2
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second) else { throw JSONParseError(offset: offset, reason: "lone surrogate") }
            value = 0x10000 + (first - 0xD800) << 10 + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw JSONParseError(offset: offset, reason: "lone surrogate") }
        return scalar
    }

    mutating func hexQuad() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("bad hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Integers of up to 15 digits are read directly; anything else goes through `Double(_:)`.
    mutating func number() throws(JSONParseError) -> Double {
        let start = index
        let negative = next == .minus
        if negative { index += 1 }
        var integer: UInt64 = 0
        var digits = 0
        if next == UInt8(ascii: "0") {
            index += 1
        } else {
            guard next.map(\.isDigit) == true else { throw error("expected a digit") }
            while let byte = next, byte.isDigit {
                if digits < 18 { integer = integer * 10 + UInt64(byte - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
        }
        var exact = digits <= 15
        if next == .dot {
            exact = false
            index += 1
            try skipDigits()
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            exact = false
            index += 1
            if next == .plus || next == .minus { index += 1 }
            try skipDigits()
        }
        if exact { return negative ? -Double(integer) : Double(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParseError(offset: start, reason: "number out of range") }
        return value
    }

    mutating func skipDigits() throws(JSONParseError) {
        guard next.map(\.isDigit) == true else { throw error("expected a digit") }
        while let byte = next, byte.isDigit { index += 1 }
    }
}

extension UInt8 {
    fileprivate static var space: UInt8 { UInt8(ascii: " ") }
    fileprivate static var tab: UInt8 { UInt8(ascii: "\t") }
    fileprivate static var lineFeed: UInt8 { UInt8(ascii: "\n") }
    fileprivate static var carriageReturn: UInt8 { UInt8(ascii: "\r") }
    fileprivate static var quote: UInt8 { UInt8(ascii: "\"") }
    fileprivate static var backslash: UInt8 { UInt8(ascii: "\\") }
    fileprivate static var slash: UInt8 { UInt8(ascii: "/") }
    fileprivate static var openBrace: UInt8 { UInt8(ascii: "{") }
    fileprivate static var closeBrace: UInt8 { UInt8(ascii: "}") }
    fileprivate static var openBracket: UInt8 { UInt8(ascii: "[") }
    fileprivate static var closeBracket: UInt8 { UInt8(ascii: "]") }
    fileprivate static var colon: UInt8 { UInt8(ascii: ":") }
    fileprivate static var comma: UInt8 { UInt8(ascii: ",") }
    fileprivate static var minus: UInt8 { UInt8(ascii: "-") }
    fileprivate static var plus: UInt8 { UInt8(ascii: "+") }
    fileprivate static var dot: UInt8 { UInt8(ascii: ".") }
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
