/// An IPv4 or IPv6 address block in CIDR form (`192.0.2.0/24`, `2001:db8::/32`, or a single
/// address). Used for trusted proxies on the server and for address-based permissions in apps.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address as 4 or 16 bytes, host bits cleared.
    public let network: [UInt8]
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPRange.parseAddress(String(parts[0])) else { return nil }
        let bits = address.count * 8
        var length = bits
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...bits).contains(parsed), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = parsed
        }
        network = IPRange.masked(address, length)
        prefixLength = length
    }

    /// Whether `address` (text, either family; IPv4-mapped IPv6 counts as IPv4) lies inside.
    public func contains(_ address: String) -> Bool {
        guard var bytes = IPRange.parseAddress(address) else { return false }
        if bytes.count == 16, network.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        return IPRange.masked(bytes, prefixLength) == network
    }

    public var description: String {
        let address: String
        if network.count == 4 {
            address = network.map(String.init).joined(separator: ".")
        } else {
            address = stride(from: 0, to: 16, by: 2).map { String(UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        return "\(address)/\(prefixLength)"
    }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = max(0, min(8, length - index * 8))
            return keep == 8 ? byte : byte & ~(UInt8(0xff) >> keep)
        }
    }

    /// Parses dotted IPv4 or IPv6 (with `::` and an embedded IPv4 tail) into bytes.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        if text.contains(":") { return parseIPv6(text) }
        return parseIPv4(Substring(text))
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func containsDoubleColon(_ text: String) -> Bool {
        zip(text, text.dropFirst()).contains { $0 == ":" && $1 == ":" }
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }  // fe80::1%eth0
        var halves = [String(text)]
        let characters = Array(text)
        if let gap = (0..<max(0, characters.count - 1)).first(where: { characters[$0] == ":" && characters[$0 + 1] == ":" }) {
            let rest = String(characters[(gap + 2)...])
            guard !containsDoubleColon(rest) else { return nil }
            halves = [String(characters[..<gap]), rest]
        }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

extension IPRange {
    /// The client's address from an `X-Forwarded-For` value written by trusted proxies: the
    /// rightmost hop that is not one of them (everything left of it the client wrote itself);
    /// nil when the header names no address.
    public static func forwardedClient(_ header: String, trusted: [IPRange]) -> String? {
        func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }
        let hops = header.split(separator: ",").map { hop in
            String(hop.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        }.filter { parseAddress($0) != nil }
        return hops.last { hop in !trusted.contains { $0.contains(hop) } } ?? hops.first
    }
}
