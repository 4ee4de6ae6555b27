/// A pass over raw bytes before swift-asn1 sees them: definite lengths only, single-byte tags
/// only (LDAP uses no tag above 30), depth and element caps. swift-asn1 allocates a node per
/// element and accepts indefinite lengths, so this bounds its work and keeps RFC 4511 §5.1 strict.
enum BERStructureCheck {
    static func validate(_ bytes: ArraySlice<UInt8>, limits: LDAPDecodingLimits) throws(LDAPMessageError) {
        guard !bytes.isEmpty else { throw .truncated("empty input") }
        // Ends of the open constructed elements; iterative, so hostile depth never grows the call stack.
        var openEnds: [Int] = []
        var index = bytes.startIndex
        var elements = 0
        repeat {
            elements += 1
            guard openEnds.count < limits.maxDepth else { throw .tooDeep("nesting over \(limits.maxDepth)") }
            guard elements <= limits.maxElements else { throw .tooLarge("more than \(limits.maxElements) elements") }
            let identifier = bytes[index]
            guard identifier & 0x1f != 0x1f else { throw .malformed("multi-byte tag") }
            guard let header = try BERLength.peek(bytes, at: index + 1) else { throw .truncated("length field cut short") }
            let contentStart = index + 1 + header.lengthOfLength
            let end = contentStart + header.length
            guard end <= bytes.endIndex else { throw .truncated("element longer than the input") }
            if let parentEnd = openEnds.last, end > parentEnd { throw .malformed("element overruns its parent") }
            if identifier & 0x20 != 0 && header.length > 0 {
                openEnds.append(end)
                index = contentStart
            } else {
                index = end
            }
            while let parentEnd = openEnds.last, index == parentEnd { openEnds.removeLast() }
        } while !openEnds.isEmpty
        guard index == bytes.endIndex else { throw .malformed("bytes after the message") }
    }
}

/// A definite BER length (X.690 §8.1.3): short form, or long form with up to 4 length bytes
/// (leading zero bytes allowed: Active Directory always writes four).
enum BERLength {
    struct Header: Equatable {
        var length: Int
        /// Bytes the length field itself takes.
        var lengthOfLength: Int
    }

    /// The length field starting at `index`; nil when the bytes end before it does.
    static func peek<C: Collection<UInt8>>(_ bytes: C, at index: C.Index) throws(LDAPMessageError) -> Header? {
        guard index < bytes.endIndex else { return nil }
        let first = bytes[index]
        if first < 0x80 { return Header(length: Int(first), lengthOfLength: 1) }
        guard first != 0x80 else { throw .init(.indefiniteLength, "indefinite length") }
        let count = Int(first & 0x7f)
        guard count <= 4 else { throw .tooLarge("length field of \(count) bytes") }
        var length = 0
        var cursor = bytes.index(after: index)
        for _ in 0..<count {
            guard cursor < bytes.endIndex else { return nil }
            length = length << 8 | Int(bytes[cursor])
            cursor = bytes.index(after: cursor)
        }
        return Header(length: length, lengthOfLength: 1 + count)
    }
}
