import SwiftASN1

/// A control (RFC 4511 §4.1.11) as it travels; typed helpers such as `LDAPPagedResultsControl`
/// and `LDAPPasswordPolicyControl` read and make the values of the ones this client uses.
public struct LDAPControl: Sendable, Equatable {
    public var oid: String
    public var criticality: Bool
    public var value: [UInt8]?

    public init(oid: String, criticality: Bool = false, value: [UInt8]? = nil) {
        self.oid = oid
        self.criticality = criticality
        self.value = value
    }
}

extension LDAPControl {
    func write(into coder: inout DER.Serializer) {
        coder.writeConstructed(.sequence) { inner in
            inner.writeString(oid)
            // DEFAULT FALSE: omitted when false, as DER asks and servers expect.
            if criticality { inner.writeBoolean(true) }
            if let value { inner.writeOctets(value) }
        }
    }

    static func read(_ node: ASN1Node, _ reader: BERReader) throws(LDAPMessageError) -> LDAPControl {
        var fields = try reader.children(node, .sequence, "Control")
        let oid = try reader.string(fields.next("controlType"), "controlType")
        var criticality = false
        if let node = fields.optional(.boolean) { criticality = try reader.boolean(node, "criticality") }
        var value: [UInt8]?
        if let node = fields.optional(.octetString) { value = try reader.octets(node, "controlValue") }
        try fields.end()
        return LDAPControl(oid: oid, criticality: criticality, value: value)
    }
}

extension Array where Element == LDAPControl {
    /// The first control with this OID, if any.
    public func first(oid: String) -> LDAPControl? { first { $0.oid == oid } }
}
