import SwiftASN1

/// The tags LDAP uses: almost everything is implicitly tagged [APPLICATION n] or [n].
enum BERTag {
    static func application(_ number: UInt) -> ASN1Identifier { ASN1Identifier(tagWithNumber: number, tagClass: .application) }
    static func context(_ number: UInt) -> ASN1Identifier { ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific) }
    static let enumerated = ASN1Identifier(tagWithNumber: 10, tagClass: .universal)
}

/// Reading typed fields out of swift-asn1 nodes, with LDAP's rules: primitive strings only,
/// minimal two's-complement integers, strings capped and checked as UTF-8 where RFC 4511 says so.
struct BERReader {
    let limits: LDAPDecodingLimits

    func parse(_ bytes: ArraySlice<UInt8>) throws(LDAPMessageError) -> ASN1Node {
        try BERStructureCheck.validate(bytes, limits: limits)
        do {
            return try BER.parse(bytes)
        } catch {
            throw .malformed("BER: \(error)")
        }
    }

    /// The children of a constructed element with tag `id`.
    func children(_ node: ASN1Node, _ id: ASN1Identifier, _ what: String) throws(LDAPMessageError) -> BERCursor {
        guard node.identifier == id, case .constructed(let collection) = node.content else {
            throw .malformed("\(what): expected constructed \(id), got \(node.identifier)")
        }
        return BERCursor(nodes: Array(collection), what: what)
    }

    func primitive(_ node: ASN1Node, _ id: ASN1Identifier, _ what: String) throws(LDAPMessageError) -> ArraySlice<UInt8> {
        guard node.identifier == id, case .primitive(let bytes) = node.content else {
            throw .malformed("\(what): expected primitive \(id), got \(node.identifier)")
        }
        return bytes
    }

    func octets(_ node: ASN1Node, _ id: ASN1Identifier /* or .octetString */, _ what: String) throws(LDAPMessageError) -> [UInt8] {
        Array(try primitive(node, id, what))
    }

    /// An LDAPString / LDAPDN / LDAPOID / URI: UTF-8 (RFC 4511 §4.1.2), at most `maxStringLength` bytes.
    func string(_ node: ASN1Node, _ id: ASN1Identifier /* or .octetString */, _ what: String) throws(LDAPMessageError) -> String {
        let bytes = try primitive(node, id, what)
        guard bytes.count <= limits.maxStringLength else { throw .tooLarge("\(what): \(bytes.count) bytes") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .init(.invalidUTF8, "\(what) is not UTF-8") }
        return text
    }

    /// Text meant for people (diagnostic messages): capped, but bad UTF-8 is repaired rather than
    /// refused, so a server's odd message never turns its answer into an error.
    func text(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> String {
        let bytes = try primitive(node, .octetString, what)
        guard bytes.count <= limits.maxStringLength else { throw .tooLarge("\(what): \(bytes.count) bytes") }
        return String(decoding: bytes, as: UTF8.self)
    }

    func integer(_ node: ASN1Node, _ id: ASN1Identifier /* or .integer */, _ what: String) throws(LDAPMessageError) -> Int64 {
        let bytes = try primitive(node, id, what)
        guard let first = bytes.first else { throw .malformed("\(what): empty integer") }
        guard bytes.count <= 8 else { throw .malformed("\(what): integer over 64 bits") }
        if bytes.count > 1 {
            let second = bytes[bytes.startIndex + 1]
            // X.690 §8.3.2: the first nine bits are never all zeros or all ones.
            guard !(first == 0x00 && second & 0x80 == 0) && !(first == 0xff && second & 0x80 != 0) else {
                throw .malformed("\(what): integer not minimally encoded")
            }
        }
        var value: Int64 = first & 0x80 != 0 ? -1 : 0
        for byte in bytes { value = value << 8 | Int64(byte) }
        return value
    }

    /// An INTEGER (0..maxInt) as LDAP bounds them.
    func int32(_ node: ASN1Node, _ id: ASN1Identifier /* or .integer */, _ what: String) throws(LDAPMessageError) -> Int32 {
        let value = try integer(node, id, what)
        guard let narrow = Int32(exactly: value), narrow >= 0 else { throw .malformed("\(what): \(value) out of 0...2147483647") }
        return narrow
    }

    func enumerated(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> Int {
        let value = try integer(node, BERTag.enumerated, what)
        guard let narrow = Int32(exactly: value), narrow >= 0 else { throw .malformed("\(what): \(value) out of range") }
        return Int(narrow)
    }

    func boolean(_ node: ASN1Node, _ id: ASN1Identifier /* or .boolean */, _ what: String) throws(LDAPMessageError) -> Bool {
        let bytes = try primitive(node, id, what)
        guard bytes.count == 1 else { throw .malformed("\(what): boolean of \(bytes.count) bytes") }
        // BER: any non-zero octet is TRUE (RFC 4511 asks senders for 0xFF).
        return bytes.first != 0
    }
}

// The universal-tag forms of the readers above.
extension BERReader {
    func octets(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> [UInt8] { try octets(node, .octetString, what) }
    func string(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> String { try string(node, .octetString, what) }
    func integer(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> Int64 { try integer(node, .integer, what) }
    func int32(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> Int32 { try int32(node, .integer, what) }
    func boolean(_ node: ASN1Node, _ what: String) throws(LDAPMessageError) -> Bool { try boolean(node, .boolean, what) }
}

/// The children of one constructed element, read in order.
struct BERCursor {
    private let nodes: [ASN1Node]
    private var index = 0
    let what: String

    init(nodes: [ASN1Node], what: String) {
        self.nodes = nodes
        self.what = what
    }

    var count: Int { nodes.count }
    var isAtEnd: Bool { index == nodes.count }

    mutating func next(_ field: String) throws(LDAPMessageError) -> ASN1Node {
        guard index < nodes.count else { throw .malformed("\(what): \(field) missing") }
        defer { index += 1 }
        return nodes[index]
    }

    /// The next element when it carries `id` (an OPTIONAL field), else nil and nothing consumed.
    mutating func optional(_ id: ASN1Identifier) -> ASN1Node? {
        guard index < nodes.count, nodes[index].identifier == id else { return nil }
        defer { index += 1 }
        return nodes[index]
    }

    func end() throws(LDAPMessageError) {
        guard index == nodes.count else { throw .malformed("\(what): unexpected element \(nodes[index].identifier)") }
    }
}
