extension AuditEvent {
    /// Bytes kept of a name (type, actor, subject, client, address). Much of what is recorded
    /// comes from requests no one has authenticated yet (a client_id, a CAS service URL).
    public static let maxFieldBytes = 256
    /// Bytes kept of the detail, which may list a change's values before and after.
    public static let maxDetailBytes = 1024

    /// The event as it may be stored: each field cut to its bound on a Unicode scalar boundary
    /// (marked with "…"), without control characters, which could forge lines in a text export.
    public var bounded: AuditEvent {
        var event = self
        event.type = Self.bound(type, maxBytes: Self.maxFieldBytes)
        event.actor = actor.map { Self.bound($0, maxBytes: Self.maxFieldBytes) }
        event.subject = subject.map { Self.bound($0, maxBytes: Self.maxFieldBytes) }
        event.clientID = clientID.map { Self.bound($0, maxBytes: Self.maxFieldBytes) }
        event.clientAddress = clientAddress.map { Self.bound($0, maxBytes: Self.maxFieldBytes) }
        event.detail = detail.map { Self.bound($0, maxBytes: Self.maxDetailBytes) }
        return event
    }

    static func bound(_ value: String, maxBytes: Int) -> String {
        // Most values are short printable ASCII (ids, addresses, grant names): nothing to do.
        if value.utf8.count <= maxBytes, value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return value }
        let kept = value.unicodeScalars.filter { !isControl($0) }
        var total = 0
        for scalar in kept { total += scalar.utf8.count }
        if total <= maxBytes {
            return kept.count == value.unicodeScalars.count ? value : String(String.UnicodeScalarView(kept))
        }
        let mark: Unicode.Scalar = "…"
        var cut = String.UnicodeScalarView()
        var used = mark.utf8.count
        for scalar in kept {
            used += scalar.utf8.count
            if used > maxBytes { break }
            cut.append(scalar)
        }
        cut.append(mark)
        return String(cut)
    }

    /// C0 and C1 controls, line and paragraph separators, and bidirectional overrides.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x2028...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
