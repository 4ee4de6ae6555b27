import SwiftASN1

/// Writing LDAP's fields with swift-asn1's DER serializer (DER is valid BER, which servers accept).
/// SET OF values keep the caller's order: LDAP gives it no meaning and DER's sorting would only cost.
extension DER.Serializer {
    mutating func writeOctets(_ bytes: some Sequence<UInt8>, _ id: ASN1Identifier = .octetString) {
        appendPrimitiveNode(identifier: id) { $0.append(contentsOf: bytes) }
    }

    mutating func writeString(_ text: String, _ id: ASN1Identifier = .octetString) {
        writeOctets(text.utf8, id)
    }

    mutating func writeInteger(_ value: some BinaryInteger, _ id: ASN1Identifier = .integer) {
        let wide = Int64(value)
        appendPrimitiveNode(identifier: id) { out in
            // Minimal two's complement: drop leading bytes that only repeat the sign.
            var byteCount = 8
            while byteCount > 1 {
                let top = UInt8(truncatingIfNeeded: wide >> ((byteCount - 1) * 8))
                let next = UInt8(truncatingIfNeeded: wide >> ((byteCount - 2) * 8))
                guard (top == 0x00 && next & 0x80 == 0) || (top == 0xff && next & 0x80 != 0) else { break }
                byteCount -= 1
            }
            for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: wide >> shift))
            }
        }
    }

    mutating func writeEnumerated(_ value: Int) {
        writeInteger(value, BERTag.enumerated)
    }

    mutating func writeBoolean(_ value: Bool, _ id: ASN1Identifier = .boolean) {
        appendPrimitiveNode(identifier: id) { $0.append(value ? 0xff : 0x00) }
    }

    mutating func writeConstructed(_ id: ASN1Identifier, _ body: (inout DER.Serializer) -> Void) {
        appendConstructedNode(identifier: id, body)
    }
}
