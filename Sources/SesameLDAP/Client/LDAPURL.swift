/// Where an LDAP server listens: `ldap://host[:389]` (plain, or StartTLS when configured) or
/// `ldaps://host[:636]` (TLS from the first byte). Only scheme, host and port are read; a DN,
/// attributes or filter after the host are refused rather than silently ignored.
public struct LDAPURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable {
        case ldap, ldaps
    }

    public var scheme: Scheme
    /// A DNS name or an IP address (IPv6 without its brackets).
    public var host: String
    public var port: Int

    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? (scheme == .ldaps ? 636 : 389)
    }

    /// Parses `ldap://host:port` or `ldaps://host:port` (a trailing `/` is allowed).
    public init(_ string: String) throws(LDAPClientError) {
        let bytes = Array(string.utf8)
        guard bytes.count <= 300 else { throw .invalidURL("longer than 300 bytes") }
        let lower = string.lowercased()
        let scheme: Scheme
        let rest: Substring
        if lower.hasPrefix("ldaps://") {
            scheme = .ldaps
            rest = string.dropFirst(8)
        } else if lower.hasPrefix("ldap://") {
            scheme = .ldap
            rest = string.dropFirst(7)
        } else {
            throw .invalidURL("the scheme must be ldap:// or ldaps://")
        }
        var authority = rest
        if let slash = authority.firstIndex(of: "/") {
            guard authority[slash...].count == 1 else { throw .invalidURL("a DN, attributes or filter in the URL are not read: give them apart") }
            authority = authority[..<slash]
        }
        guard !authority.isEmpty else { throw .invalidURL("no host") }
        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL("unclosed [ in the host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw .invalidURL("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
        }
        // Host names and addresses only: letters, digits, '.', '-', and ':' inside brackets.
        let allowed = host.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", ":": true
            default: false
            }
        }
        guard !host.isEmpty, allowed else { throw .invalidURL("the host may hold only letters, digits, '.', '-' and ':'") }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.unicodeScalars.allSatisfy({ $0 >= "0" && $0 <= "9" }),
                let number = Int(portText), (1...65535).contains(number)
            else { throw .invalidURL("the port must be a number from 1 to 65535") }
            port = number
        }
        self.init(scheme: scheme, host: String(host), port: port)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(shownHost):\(port)"
    }
}
