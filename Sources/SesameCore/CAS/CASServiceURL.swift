import Foundation

/// A service or proxy callback URL taken apart on its bytes, so that a pattern compares the
/// origin exactly and the path at a `/` boundary: a string prefix let
/// `https://intranet.example.test.evil.test/` and `https://intranet.example.test@127.0.0.1/`
/// through for the pattern `https://intranet.example.test`.
public struct CASServiceURL: Sendable, Equatable {
    public let scheme: String
    /// Lowercased; an IPv6 literal keeps its brackets.
    public let host: String
    /// The explicit port, or the scheme's default.
    public let port: Int
    /// Percent-encoded as written, `/` when empty.
    public let path: String
    /// `?query#fragment` as written, or empty.
    public let rest: String

    /// `scheme://host:port`, with the port only when it is not the default: where single log-out may go.
    public var origin: String { scheme + "://" + host + (port == Self.defaultPort(scheme) ? "" : ":\(port)") }

    /// Nil for anything but a plain absolute http(s) URL: no user info, no backslash, no space,
    /// control or non-ASCII byte, no `.`/`..` path segment (a browser would resolve it elsewhere).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 4096, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return nil }
        let lower = String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else { return nil }
        let afterScheme = bytes[(scheme.utf8.count + 3)...]
        let authorityEnd = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        let authority = Array(bytes[afterScheme.startIndex..<authorityEnd])
        guard !authority.contains(UInt8(ascii: "@")), let (host, port) = Self.hostAndPort(authority, scheme: scheme) else { return nil }
        let pathEnd = bytes[authorityEnd...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        let path = String(decoding: bytes[authorityEnd..<pathEnd], as: UTF8.self)
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            let decoded = segment.lowercased().replacingOccurrences(of: "%2e", with: ".")
            if decoded == "." || decoded == ".." { return nil }
        }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.rest = String(decoding: bytes[pathEnd...], as: UTF8.self)
    }

    /// True when `url` is at or under this URL taken as a prefix pattern: same scheme, host and
    /// port; the path equal or continuing after a `/`; a pattern's query must then start the URL's.
    public func covers(_ url: CASServiceURL) -> Bool {
        guard url.scheme == scheme, url.host == host, url.port == port else { return false }
        if !rest.isEmpty {
            return url.path == path && url.rest.hasPrefix(rest)
        }
        if url.path == path || path == "/" { return true }
        let boundary = path.hasSuffix("/") ? path : path + "/"
        return url.path.hasPrefix(boundary)
    }

    static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }

    private static func hostAndPort(_ authority: [UInt8], scheme: String) -> (String, Int)? {
        var hostBytes = authority[...]
        var port = defaultPort(scheme)
        let closing = authority.lastIndex(of: UInt8(ascii: "]"))
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), closing.map({ colon > $0 }) ?? true {
            let digits = authority[(colon + 1)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let value = Int(String(decoding: digits, as: UTF8.self)), (1...65535).contains(value)
            else { return nil }
            port = value
            hostBytes = authority[..<colon]
        }
        guard !hostBytes.isEmpty else { return nil }
        if hostBytes.first == UInt8(ascii: "[") {
            guard hostBytes.last == UInt8(ascii: "]"), hostBytes.count > 2,
                hostBytes.dropFirst().dropLast().allSatisfy({ Self.isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
        } else {
            guard hostBytes.allSatisfy({ Self.isHostByte($0) }) else { return nil }
        }
        return (String(decoding: hostBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self), port)
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// Letters, digits, `-` and `.`: a DNS name or an IPv4 address (punycode for the rest).
    private static func isHostByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
