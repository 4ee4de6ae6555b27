import SwiftASN1

/// The simple paged results control (RFC 2696). The client sends the page size and the cookie of
/// the previous page (empty at first); the server answers with its size estimate and the next
/// cookie, empty when the last page has been sent.
public struct LDAPPagedResultsControl: Sendable, Equatable {
    public var size: Int32
    public var cookie: [UInt8]

    public init(size: Int32, cookie: [UInt8] = []) {
        self.size = size
        self.cookie = cookie
    }

    /// realSearchControlValue ::= SEQUENCE { size INTEGER (0..maxInt), cookie OCTET STRING }
    public func control(criticality: Bool = false) -> LDAPControl {
        var coder = DER.Serializer()
        coder.writeConstructed(.sequence) { inner in
            inner.writeInteger(size)
            inner.writeOctets(cookie)
        }
        return LDAPControl(oid: LDAPOID.pagedResults, criticality: criticality, value: coder.serializedBytes)
    }

    public init(decoding control: LDAPControl, limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        guard control.oid == LDAPOID.pagedResults else { throw .malformed("paged results: control \(control.oid)") }
        guard let value = control.value else { throw .malformed("paged results: no value") }
        let reader = BERReader(limits: limits)
        var fields = try reader.children(reader.parse(value[...]), .sequence, "realSearchControlValue")
        size = try reader.int32(fields.next("size"), "size")
        cookie = try reader.octets(fields.next("cookie"), "cookie")
        try fields.end()
    }

    /// The paged results control among `controls`, decoded; nil when there is none.
    public static func find(in controls: [LDAPControl], limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) -> LDAPPagedResultsControl? {
        guard let control = controls.first(oid: LDAPOID.pagedResults) else { return nil }
        return try LDAPPagedResultsControl(decoding: control, limits: limits)
    }
}
