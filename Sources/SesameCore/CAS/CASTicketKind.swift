/// The CAS ticket kinds (CAS 3.0 §3), registered once: each is stored under its name and handed
/// out as its name, a dash and 256 random bits.
public enum CASTicketKind: String, Sendable, CaseIterable {
    case serviceTicket = "ST"
    case proxyTicket = "PT"
    case proxyGrantingTicket = "PGT"
    /// Only ever sent to the proxy callback, never stored or accepted.
    case proxyGrantingTicketIOU = "PGTIOU"

    public var prefix: String { rawValue + "-" }

    /// A fresh ticket of this kind.
    func make(_ random: any RandomSource) -> String { prefix + random.token(byteCount: 32) }

    /// Whether `ticket` is spelled as this kind (its prefix only; the store decides if it exists).
    public func spells(_ ticket: String) -> Bool { ticket.hasPrefix(prefix) }
}
