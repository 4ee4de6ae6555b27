import NIOCore
import NIOSSL

/// RFC 6125 host-name check of the server's certificate against the URL's host: a DNS name must
/// match a dNSName SAN (a `*` only as the whole left-most label), an IP address must equal an
/// iPAddress SAN. The subject's common name is not read (deprecated; certificates carry SANs).
enum LDAPHostNameCheck {
    static func matches(host: String, certificate: NIOSSLCertificate) -> Bool {
        let names = certificate._subjectAlternativeNames()
        if let address = ipAddressBytes(host) {
            for name in names where name.nameType == .ipAddress {
                if Array(name.contents) == address { return true }
            }
            return false
        }
        let wanted = Array(host.lowercased().utf8).trimmingTrailingDot
        guard !wanted.isEmpty else { return false }
        for name in names where name.nameType == .dnsName {
            if dnsName(Array(name.contents), matches: wanted) { return true }
        }
        return false
    }

    /// Whether `host` is an IPv4 or IPv6 literal, as its network-order bytes.
    static func ipAddressBytes(_ host: String) -> [UInt8]? {
        let bytes = Array(host.utf8)
        guard !bytes.isEmpty, bytes.count <= 45 else { return nil }
        return bytes.contains(UInt8(ascii: ":")) ? ipv6(bytes[...]) : ipv4(bytes[...])
    }

    private static func ipv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    private static func ipv6(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        // Groups of up to four hex digits, at most one "::", optionally an IPv4 tail.
        func groups(_ part: ArraySlice<UInt8>) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt8] = []
            let pieces = part.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(UInt8(ascii: ".")) {
                    guard let v4 = ipv4(piece) else { return nil }
                    result += v4
                    continue
                }
                guard (1...4).contains(piece.count) else { return nil }
                var value = 0
                for byte in piece {
                    guard let digit = hexValue(byte) else { return nil }
                    value = value * 16 + digit
                }
                result += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return result
        }
        if let gap = text.firstRange(of: [UInt8(ascii: ":"), UInt8(ascii: ":")]) {
            let head = text[..<gap.lowerBound]
            let tail = text[gap.upperBound...]
            guard tail.firstRange(of: [UInt8(ascii: ":"), UInt8(ascii: ":")]) == nil,
                let first = groups(head), let last = groups(tail), first.count + last.count <= 14
            else { return nil }
            return first + [UInt8](repeating: 0, count: 16 - first.count - last.count) + last
        }
        guard let all = groups(text), all.count == 16 else { return nil }
        return all
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    private static func dnsName(_ certificateName: [UInt8], matches wanted: [UInt8]) -> Bool {
        // Only ASCII letters, digits, '-', '.', and a leading '*.' are taken from a certificate.
        let lowered = certificateName.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }.trimmingTrailingDot
        guard !lowered.isEmpty, lowered.allSatisfy({ isHostByte($0) || $0 == UInt8(ascii: "*") }) else { return false }
        if lowered.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")]) {
            let suffix = lowered.dropFirst(1)  // ".example.com"
            guard !suffix.contains(UInt8(ascii: "*")), suffix.count > 1,
                let firstDot = wanted.firstIndex(of: UInt8(ascii: ".")), firstDot > 0
            else { return false }
            // The wildcard stands for exactly one label, and never for a whole public suffix.
            guard suffix.dropFirst().contains(UInt8(ascii: ".")) else { return false }
            return Array(wanted[firstDot...]) == Array(suffix)
        }
        guard !lowered.contains(UInt8(ascii: "*")) else { return false }
        return lowered == wanted
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate var trimmingTrailingDot: [UInt8] {
        last == UInt8(ascii: ".") ? Array(dropLast()) : self
    }
}
