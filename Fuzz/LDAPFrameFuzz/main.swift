// libFuzzer target for SesameLDAP's wire format: Fuzz/run.sh compiles it together with the
// NIO-free wire sources (so internal checks are reachable) and swift-asn1, with
// -sanitize=fuzzer,address. Any crash, sanitizer report or failed precondition is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func ldapFrameFuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let limits = LDAPDecodingLimits(maxMessageSize: 1 << 20, maxElements: 65_536)

    // Framing, then decoding of the frame it finds, as the NIO decoder would.
    if let length = try? LDAPFrame.messageLength(in: bytes, maxSize: limits.maxMessageSize), length <= bytes.count {
        _ = try? LDAPMessage(decoding: bytes[..<length], limits: limits)
    }

    // The whole input as one message: what decodes must re-encode to the same value.
    if let message = try? LDAPMessage(decoding: bytes, limits: limits) {
        guard let again = try? LDAPMessage(decoding: message.encode(), limits: .default), again == message else {
            preconditionFailure("re-encoded message decodes differently")
        }
        for control in message.controls {
            _ = try? LDAPPagedResultsControl(decoding: control, limits: limits)
            _ = try? LDAPPasswordPolicyResponse(decoding: control, limits: limits)
        }
        if case .extendedResponse(_, _, let value?) = message.operation {
            _ = try? LDAPPasswordModifyResponse(decoding: value, limits: limits)
        }
        _ = message.operation.result
    }

    // The input as text: filters and DNs parse or throw, and what parses prints back to itself.
    let text = String(decoding: bytes, as: UTF8.self)
    if let filter = try? LDAPFilter.parse(text) {
        guard (try? LDAPFilter.parse(filter.description)) == filter else { preconditionFailure("filter does not print back") }
        let search = LDAPMessage(messageID: 1, operation: .searchRequest(LDAPSearchRequest(base: "", filter: filter)))
        guard (try? LDAPMessage(decoding: search.encode())) == search else { preconditionFailure("filter does not encode back") }
    }
    _ = try? LDAPFilter.parse(template: text, values: ["login": text, "dn": "cn=x"])
    if let dn = try? LDAPDistinguishedName(parsing: text) {
        guard (try? LDAPDistinguishedName(parsing: dn.description)) == dn else { preconditionFailure("DN does not print back") }
    }
    return 0
}
