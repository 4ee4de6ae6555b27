/// Active Directory's binary identifiers: `objectGUID` as the canonical UUID string people and
/// tools show, and `objectSid` for finding the primary group.
public enum DirectoryBinaryID {
    /// A GUID's first three fields are little-endian in AD (the Windows GUID struct), the last
    /// eight bytes in order: bytes 00 01 … 0f read `03020100-0504-0706-0809-0a0b0c0d0e0f`.
    public static func guidString(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return nil }
        let order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
        var text = ""
        for (position, index) in order.enumerated() {
            if [4, 6, 8, 10].contains(position) { text += "-" }
            text += hex(bytes[index])
        }
        return text
    }

    /// `S-1-5-21-…`: revision, 48-bit big-endian authority, then little-endian 32-bit sub-authorities.
    public static func sidString(_ bytes: [UInt8]) -> String? {
        guard let parts = sidParts(bytes) else { return nil }
        return "S-\(parts.revision)-\(parts.authority)" + parts.subAuthorities.map { "-\($0)" }.joined()
    }

    /// The SID of the user's domain with `rid` as the last sub-authority: the primary group's SID.
    public static func sibling(of sid: [UInt8], rid: UInt32) -> [UInt8]? {
        guard let parts = sidParts(sid), !parts.subAuthorities.isEmpty else { return nil }
        var out = Array(sid[0..<(sid.count - 4)])
        out += [UInt8(rid & 0xff), UInt8(rid >> 8 & 0xff), UInt8(rid >> 16 & 0xff), UInt8(rid >> 24)]
        return out
    }

    /// A filter value that matches these exact bytes: every byte escaped as `\hh` (RFC 4515), so
    /// nothing in them can change the filter.
    public static func filterValue(_ bytes: [UInt8]) -> String {
        bytes.map { "\\" + hex($0) }.joined()
    }

    private static func sidParts(_ bytes: [UInt8]) -> (revision: UInt8, authority: UInt64, subAuthorities: [UInt32])? {
        guard bytes.count >= 8 else { return nil }
        let count = Int(bytes[1])
        guard count <= 15, bytes.count == 8 + 4 * count else { return nil }
        let authority = bytes[2..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let subs = (0..<count).map { i -> UInt32 in
            let b = bytes[(8 + 4 * i)..<(12 + 4 * i)].map(UInt32.init)
            return b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
        }
        return (bytes[0], authority, subs)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]], as: UTF8.self)
    }
}
