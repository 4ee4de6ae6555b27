import Foundation
import SesameJOSE

/// Foundation's reading of a text, as a `JSONValue`: the independent parser ours is compared with.
func foundationReading(_ bytes: [UInt8]) -> JSONValue? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return nil }
    return JSONValue(foundation: object)
}

/// Ours, nil when it refuses.
func ourReading(_ bytes: [UInt8]) -> JSONValue? { try? JSONValue(parsing: bytes) }

extension JSONValue {
    init?(foundation value: Any) {
        switch value {
        case is NSNull:
            self = .null
        case let number as NSNumber:
            // Foundation gives Booleans as NSNumbers whose type code is "c".
            if String(cString: number.objCType) == "c" { self = .bool(number.boolValue) } else { self = .number(number.doubleValue) }
        case let string as String:
            self = .string(string)
        case let array as [Any]:
            var elements = [JSONValue]()
            for element in array {
                guard let converted = JSONValue(foundation: element) else { return nil }
                elements.append(converted)
            }
            self = .array(elements)
        case let object as [String: Any]:
            var members = [String: JSONValue]()
            for (name, member) in object {
                guard let converted = JSONValue(foundation: member) else { return nil }
                members[name] = converted
            }
            self = .object(members)
        default:
            return nil
        }
    }

    /// As Foundation's writer would take it.
    var foundationObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .number(let value): value
        case .string(let value): value
        case .array(let elements): elements.map(\.foundationObject)
        case .object(let members): members.mapValues(\.foundationObject)
        }
    }
}

/// A seeded generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random JSON values with the corners that matter: escapes, control characters, non-ASCII and
/// astral characters, negative and fractional numbers, big exponents, deep and empty containers.
struct RandomJSON {
    var random: SplitMix64

    static let characters: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "€", "𝄞", "😀", "\u{7F}", "\u{2028}"]

    mutating func value(depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(number())
        case 3: return .string(string())
        case 4: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in value(depth: depth + 1) })
        default:
            var members = [String: JSONValue]()
            for _ in 0..<Int.random(in: 0..<4, using: &random) { members[string()] = value(depth: depth + 1) }
            return .object(members)
        }
    }

    mutating func number() -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Double(Int.random(in: -1000...1000, using: &random))
        case 1: Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &random))
        case 2: Double.random(in: -1...1, using: &random)
        default: Double.random(in: -1e300...1e300, using: &random)
        }
    }

    mutating func string() -> String {
        String((0..<Int.random(in: 0..<8, using: &random)).map { _ in Self.characters.randomElement(using: &random)! }.joined())
    }

    /// A text with one to three bytes changed, inserted or removed.
    mutating func mutated(_ text: [UInt8]) -> [UInt8] {
        let interesting = Array(#"{}[]":,\-+.0123456789eEtfnu "#.utf8) + [0x00, 0x1F, 0x80, 0xC0, 0xED, 0xF5, 0xFF]
        var bytes = text
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let byte = interesting.randomElement(using: &random)!
            let at = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0 where at < bytes.count: bytes[at] = byte
            case 1 where at < bytes.count: bytes.remove(at: at)
            default: bytes.insert(byte, at: at)
            }
        }
        return bytes
    }
}

extension JSONValue {
    /// Equal, numbers within a few units in the last place: Foundation on Linux reads some
    /// decimal fractions a little off, where `Double(_:)` rounds correctly.
    func nearlyEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.number(let a), .number(let b)): a == b || abs(a - b) <= abs(a) * 1e-15
        case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.nearlyEquals($1) }
        case (.object(let a), .object(let b)): a.count == b.count && a.allSatisfy { name, value in b[name].map(value.nearlyEquals) == true }
        default: self == other
        }
    }
}
