import SwiftASN1

/// A search filter (RFC 4511 §4.5.1.7). Attribute descriptions are strings; assertion values are
/// bytes, because a filter may match binary values (objectGUID, objectSid). Build one from text
/// with `LDAPFilter.parse`, never by pasting input into a string: `parse(template:values:)`
/// escapes every value first.
public indirect enum LDAPFilter: Sendable, Equatable {
    case and([LDAPFilter])
    case or([LDAPFilter])
    case not(LDAPFilter)
    case equalityMatch(String, [UInt8])
    case substrings(String, LDAPSubstrings)
    case greaterOrEqual(String, [UInt8])
    case lessOrEqual(String, [UInt8])
    case present(String)
    case approxMatch(String, [UInt8])
    case extensibleMatch(LDAPMatchingRuleAssertion)

    /// `(type=value)` with a UTF-8 value.
    public static func equal(_ type: String, _ value: String) -> LDAPFilter { .equalityMatch(type, Array(value.utf8)) }
}

/// The parts of a substring assertion: `initial*any1*any2*final`.
public struct LDAPSubstrings: Sendable, Equatable {
    public var initial: [UInt8]?
    public var any: [[UInt8]]
    public var final: [UInt8]?

    public init(initial: [UInt8]? = nil, any: [[UInt8]] = [], final: [UInt8]? = nil) {
        self.initial = initial
        self.any = any
        self.final = final
    }
}

/// An extensible match, e.g. Active Directory's `(member:1.2.840.113556.1.4.1941:=DN)`.
public struct LDAPMatchingRuleAssertion: Sendable, Equatable {
    public var matchingRule: String?
    public var type: String?
    public var value: [UInt8]
    public var dnAttributes: Bool

    public init(matchingRule: String? = nil, type: String? = nil, value: [UInt8], dnAttributes: Bool = false) {
        self.matchingRule = matchingRule
        self.type = type
        self.value = value
        self.dnAttributes = dnAttributes
    }
}

extension LDAPFilter {
    func write(into coder: inout DER.Serializer) {
        switch self {
        case .and(let filters), .or(let filters):
            let tag: UInt = if case .and = self { 0 } else { 1 }
            coder.writeConstructed(BERTag.context(tag)) { inner in
                for filter in filters { filter.write(into: &inner) }
            }
        case .not(let filter):
            coder.writeConstructed(BERTag.context(2)) { filter.write(into: &$0) }
        case .equalityMatch(let type, let value):
            Self.writeAssertion(3, type, value, into: &coder)
        case .greaterOrEqual(let type, let value):
            Self.writeAssertion(5, type, value, into: &coder)
        case .lessOrEqual(let type, let value):
            Self.writeAssertion(6, type, value, into: &coder)
        case .approxMatch(let type, let value):
            Self.writeAssertion(8, type, value, into: &coder)
        case .present(let type):
            coder.writeString(type, BERTag.context(7))
        case .substrings(let type, let parts):
            coder.writeConstructed(BERTag.context(4)) { inner in
                inner.writeString(type)
                inner.writeConstructed(.sequence) { list in
                    if let initial = parts.initial { list.writeOctets(initial, BERTag.context(0)) }
                    for middle in parts.any { list.writeOctets(middle, BERTag.context(1)) }
                    if let final = parts.final { list.writeOctets(final, BERTag.context(2)) }
                }
            }
        case .extensibleMatch(let assertion):
            coder.writeConstructed(BERTag.context(9)) { inner in
                if let rule = assertion.matchingRule { inner.writeString(rule, BERTag.context(1)) }
                if let type = assertion.type { inner.writeString(type, BERTag.context(2)) }
                inner.writeOctets(assertion.value, BERTag.context(3))
                if assertion.dnAttributes { inner.writeBoolean(true, BERTag.context(4)) }
            }
        }
    }

    private static func writeAssertion(_ tag: UInt, _ type: String, _ value: [UInt8], into coder: inout DER.Serializer) {
        coder.writeConstructed(BERTag.context(tag)) { inner in
            inner.writeString(type)
            inner.writeOctets(value)
        }
    }

    static func read(_ node: ASN1Node, _ reader: BERReader) throws(LDAPMessageError) -> LDAPFilter {
        guard node.identifier.tagClass == .contextSpecific else { throw .malformed("Filter: tag \(node.identifier)") }
        let id = node.identifier
        switch id.tagNumber {
        case 0, 1:
            var list = try reader.children(node, id, "Filter set")
            guard list.count > 0 else { throw .malformed("Filter: empty and/or") }
            var filters: [LDAPFilter] = []
            while !list.isAtEnd { filters.append(try read(list.next("filter"), reader)) }
            return id.tagNumber == 0 ? .and(filters) : .or(filters)
        case 2:
            var inner = try reader.children(node, id, "not")
            let filter = try read(inner.next("filter"), reader)
            try inner.end()
            return .not(filter)
        case 3, 5, 6, 8:
            var fields = try reader.children(node, id, "AttributeValueAssertion")
            let type = try reader.string(fields.next("attributeDesc"), "attributeDesc")
            let value = try reader.octets(fields.next("assertionValue"), "assertionValue")
            try fields.end()
            switch id.tagNumber {
            case 3: return .equalityMatch(type, value)
            case 5: return .greaterOrEqual(type, value)
            case 6: return .lessOrEqual(type, value)
            default: return .approxMatch(type, value)
            }
        case 4:
            var fields = try reader.children(node, id, "SubstringFilter")
            let type = try reader.string(fields.next("type"), "type")
            var list = try reader.children(fields.next("substrings"), .sequence, "substrings")
            try fields.end()
            guard list.count > 0 else { throw .malformed("SubstringFilter: no substrings") }
            var parts = LDAPSubstrings()
            var position = 0
            while !list.isAtEnd {
                let part = try list.next("substring")
                let last = list.isAtEnd
                switch part.identifier {
                case BERTag.context(0) where position == 0:
                    parts.initial = try reader.octets(part, BERTag.context(0), "initial")
                case BERTag.context(1):
                    parts.any.append(try reader.octets(part, BERTag.context(1), "any"))
                case BERTag.context(2) where last:
                    parts.final = try reader.octets(part, BERTag.context(2), "final")
                default:
                    throw .malformed("SubstringFilter: substring \(part.identifier) out of place")
                }
                position += 1
            }
            return .substrings(type, parts)
        case 7:
            return .present(try reader.string(node, id, "present"))
        case 9:
            var fields = try reader.children(node, id, "MatchingRuleAssertion")
            var assertion = LDAPMatchingRuleAssertion(value: [])
            if let rule = fields.optional(BERTag.context(1)) { assertion.matchingRule = try reader.string(rule, BERTag.context(1), "matchingRule") }
            if let type = fields.optional(BERTag.context(2)) { assertion.type = try reader.string(type, BERTag.context(2), "type") }
            assertion.value = try reader.octets(fields.next("matchValue"), BERTag.context(3), "matchValue")
            if let dn = fields.optional(BERTag.context(4)) { assertion.dnAttributes = try reader.boolean(dn, BERTag.context(4), "dnAttributes") }
            try fields.end()
            guard assertion.matchingRule != nil || assertion.type != nil else { throw .malformed("MatchingRuleAssertion: neither rule nor type") }
            return .extensibleMatch(assertion)
        default:
            throw .malformed("Filter: unknown choice [\(id.tagNumber)]")
        }
    }
}
